"""The roll-out through the real ``sijill`` command: the key ceremony, the pilot, a
province, and the pilot offices syncing with a real central server on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from sijill.demo import PILOT_COMMUNES
from sijill.store import tables as t
from sijill.store.engine import make_engine
from tests.builders import birth, death
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import SIJILL, free_port
from tests.e2e.faults import wait_for

PASSPHRASE = "the ministry's own passphrase"
FES, TANGER = "03.231.01.0", "01.511.01.0"
PILOT = [*PILOT_COMMUNES, "C-FR-PARIS"]


def sijill(
    data_dir: Path,
    *args: str,
    database: str | None = None,
    passphrase: str = PASSPHRASE,
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SIJILL_DATA_DIR": str(data_dir),
        "SIJILL_ROOT_PASSPHRASE": passphrase,
        "COLUMNS": "240",
    }
    env.pop("SIJILL_DATABASE_URL", None)
    if database is not None:
        env["SIJILL_DATABASE_URL"] = database
    return subprocess.run(
        [SIJILL, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def centre_db(postgres: PostgresDatabases) -> str:
    return postgres.new()


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        process.terminate()
        process.wait(timeout=20)


def _start(
    started: list[subprocess.Popen[bytes]],
    args: list[str],
    env: dict[str, str],
    log: Path,
) -> str:
    port = free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [SIJILL, *args, "--port", str(port)],
            env={**os.environ, **env},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    started.append(process)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/api/offices", timeout=1)
            return url
        except httpx.TransportError:
            if process.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")) from None
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _count(url: str, table: object, **where: str) -> int:
    engine = make_engine(url)
    query = select(func.count()).select_from(table)  # type: ignore[arg-type]
    for column, value in where.items():
        query = query.where(table.c[column] == value)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        found = int(conn.execute(query).scalar_one())
    engine.dispose()
    return found


def _sign(office_dir: Path, office: str, kind: str, data: dict[str, object]) -> str:
    officer = f"officer.{office.replace('.', '').lower()}"
    declared = office_dir / f"{kind}.json"
    declared.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    drafted = sijill(
        office_dir, kind, "register", "--office", office, "-f", str(declared),
        "--as", officer,
    )  # fmt: skip
    assert drafted.returncode == 0, drafted.stderr
    signed = sijill(
        office_dir, "act", "sign", "--office", office, drafted.stdout.split()[1],
        "--as", officer,
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    return signed.stdout.split()[-1]


@pytest.mark.postgres
def test_the_pilot_brings_up_six_offices_and_a_centre_that_sync_with_each_other(
    tmp_path: Path, centre_db: str, processes: list[subprocess.Popen[bytes]]
) -> None:
    ministry = tmp_path / "ministry"
    ceremony = sijill(ministry, "keys", "init", database=centre_db)
    assert ceremony.returncode == 0, ceremony.stderr
    assert "trust list published" in ceremony.stdout

    wrong = sijill(ministry, "pilot", database=centre_db, passphrase="not it at all")
    assert wrong.returncode == 2
    assert "passphrase does not open the ministry root key" in wrong.stderr

    centre_url = _start(
        processes,
        ["serve", "--role", "central"],
        {"SIJILL_DATA_DIR": str(ministry), "SIJILL_DATABASE_URL": centre_db},
        tmp_path / "centre.log",
    )
    pilot = sijill(ministry, "pilot", "--centre-url", centre_url, database=centre_db)
    assert pilot.returncode == 0, pilot.stderr
    assert _count(centre_db, t.onboardings) == 6
    again = sijill(ministry, "pilot", database=centre_db)
    assert again.returncode == 0 and again.stdout.count("already") == 6

    offices = ministry / "offices"
    assert sorted(p.name for p in offices.iterdir()) == sorted(PILOT)
    today = date.today()
    born = _sign(offices / FES, FES, "birth", birth(today - timedelta(days=2)))
    died = _sign(
        offices / TANGER,
        TANGER,
        "death",
        death(today - timedelta(days=1), birth_act_ref=born),
    )
    for code in PILOT:  # each office's agent, one round, from its own configuration
        config = (offices / code / "office.toml").read_text(encoding="utf-8")
        key = config.split('centre_key = "')[1].split('"')[0]
        assert centre_url in config
        round_ = sijill(
            offices / code, "sync", "--office", code, "--centre", centre_url,
            "--centre-key", key, "--once",
        )  # fmt: skip
        assert round_.returncode == 0, round_.stderr
    assert _count(centre_db, t.acts, ref=born) == 1
    assert _count(centre_db, t.acts, ref=died) == 1
    wait_for(
        "the death notice routed to the office of birth",
        lambda: _count(centre_db, t.notices, target_office=FES) == 1,
    )
    fes_config = (offices / FES / "office.toml").read_text(encoding="utf-8")
    key = fes_config.split('centre_key = "')[1].split('"')[0]
    pulled = sijill(
        offices / FES, "sync", "--office", FES, "--centre", centre_url,
        "--centre-key", key, "--once",
    )  # fmt: skip
    assert pulled.returncode == 0 and "notices 1" in pulled.stdout
    merged = sijill(
        ministry, "office", "merge", "--from", "03.231.81.03", "--into", FES,
        database=centre_db,
    )  # fmt: skip
    assert merged.returncode == 0, merged.stderr
    assert "held by 03.231.01.0" in merged.stdout
    twice = sijill(
        ministry, "office", "merge", "--from", "03.231.81.03", "--into", FES,
        database=centre_db,
    )  # fmt: skip
    assert twice.returncode == 5 and "closed" in twice.stderr
    status = sijill(ministry, "rollout", "status", database=centre_db)
    assert status.returncode == 0, status.stderr
    assert "5 of 1544 offices in service, 0 being onboarded, 1 closed" in (
        status.stdout.replace("\n", " ")
    )


def test_an_office_server_starts_from_the_file_onboarding_wrote(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    ministry = tmp_path / "ministry"
    assert sijill(ministry, "keys", "init").returncode == 0
    unknown = sijill(ministry, "office", "onboard", "--commune", "99.999.99.9")
    assert unknown.returncode == 2 and "commune" in unknown.stderr
    done = sijill(ministry, "office", "onboard", "--commune", FES)
    assert done.returncode == 0, done.stderr
    assert "Left to do by hand" in done.stdout
    twice = sijill(ministry, "office", "onboard", "--commune", FES)
    assert twice.returncode == 0 and "already onboarded — nothing changed" in (
        twice.stdout
    )
    rotated = sijill(ministry, "office", "rotate-key", "--office", FES)
    assert rotated.returncode == 0, rotated.stderr
    previous = rotated.stdout.split("key ")[1].split()[0]
    revoked = sijill(ministry, "keys", "revoke", previous, "--reason", "rotated out")
    assert revoked.returncode == 0, revoked.stderr
    assert f"the centre refuses entries signed by {previous}" in revoked.stdout
    config = ministry / "offices" / FES / "office.toml"
    url = _start(
        processes, ["serve", "--config", str(config)], {}, tmp_path / "office.log"
    )
    listed = httpx.get(url + "/api/offices").json()
    assert [o["code"] for o in listed] == [FES]


def test_a_province_is_rolled_out_from_the_command_line(tmp_path: Path) -> None:
    ministry = tmp_path / "ministry"
    assert sijill(ministry, "keys", "init").returncode == 0
    dry = sijill(ministry, "rollout", "--province", "11.121", "--dry-run")
    assert dry.returncode == 0 and "4 to onboard" in dry.stdout
    assert not (ministry / "offices").exists()
    first = sijill(ministry, "office", "onboard", "--commune", "11.121.01.01")
    assert first.returncode == 0, first.stderr
    done = sijill(ministry, "rollout", "--province", "11.121")
    assert done.returncode == 0, done.stderr
    assert "3 office(s) onboarded, 0 resumed, 1 already in service" in done.stdout
    dry = sijill(ministry, "rollout", "--province", "11.121", "--dry-run")
    assert "0 to onboard, 0 to resume, 4 already in service" in dry.stdout
    bad = sijill(ministry, "rollout", "--province", "99.999")
    assert bad.returncode == 2 and "province" in bad.stderr


def test_the_ministry_follows_the_rollout_in_a_browser(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]], browser: Any
) -> None:
    import pyotp

    from sijill.auth import accounts
    from sijill.domain.offices import SYSTEM
    from tests.e2e.conftest import registry_at

    ministry = tmp_path / "ministry"
    assert sijill(ministry, "keys", "init").returncode == 0
    assert sijill(ministry, "rollout", "--province", "11.121").returncode == 0
    reg = registry_at(ministry)
    opened = accounts.open_account(
        reg, actor=SYSTEM, username="ministry.one", role="ministry"
    )
    password = "correct horse battery"
    accounts.choose_password(
        reg, username="ministry.one", code=opened.code, password=password
    )
    reg.engine.dispose()
    url = _start(
        processes,
        ["serve", "--role", "central"],
        {"SIJILL_DATA_DIR": str(ministry)},
        tmp_path / "centre.log",
    )
    page = browser.new_page()
    page.goto(url + "/login?lang=ar")
    page.get_by_label("اسم المستخدم").fill("ministry.one")
    page.get_by_label("كلمة المرور").fill(password)
    page.locator("input[name=totp]").fill(pyotp.TOTP(opened.totp_secret).now())
    page.get_by_role("button", name="دخول").click()
    page.get_by_role("link", name="تعميم المكاتب").click()
    rows = page.locator("#rollout-offices tbody tr")
    assert rows.count() == 4
    assert "في الخدمة" in rows.first.inner_text()
    assert "4 / 1544" in page.locator("#rollout-totals").inner_text()
    page.goto(url + "/rollout?province=11.121&lang=fr")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "en service" in page.locator("#rollout-offices").inner_text()
    (province,) = page.locator("#rollout-provinces tbody tr").all()
    assert province.inner_text().split()[0] == "11.121"
