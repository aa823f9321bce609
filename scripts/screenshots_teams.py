"""Screenshots of the keying, adjudication, review, supervision and rulings screens,
in Arabic and French, into docs/screenshots/ (run by hand; the tests never run it).

    .venv/bin/python scripts/screenshots_teams.py [--out docs/screenshots]

It builds a throw-away registry (Fès with a digitization team, a batch keyed twice
with keying errors, a sampled batch, a birth registered twice, a prosecutor's
authorization left unapplied for 40 days), serves it with ``sijill serve --role
central`` and drives Debian's Chromium through each screen as its user.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyotp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.builders import FES, RABAT, open_office, signed_birth  # noqa: E402

from sijill.auth import accounts  # noqa: E402
from sijill.config import Settings  # noqa: E402
from sijill.digitize import reconcile as rec  # noqa: E402
from sijill.digitize.batches import BatchSpec  # noqa: E402
from sijill.digitize.keying import key_act, open_batch  # noqa: E402
from sijill.digitize.quality import draw_sample  # noqa: E402
from sijill.domain.offices import SYSTEM, Actor  # noqa: E402
from sijill.search import review  # noqa: E402
from sijill.services import offices  # noqa: E402
from sijill.services.context import Registry  # noqa: E402
from sijill.store.engine import make_engine  # noqa: E402
from sijill.store.keys import KeyStore  # noqa: E402
from sijill.store.schema import upgrade  # noqa: E402
from sijill.sync.centre import enroll_office, open_centre  # noqa: E402
from sijill.sync.justice import submit_ruling  # noqa: E402
from sijill.synthetic.keyed import Keying  # noqa: E402

PASSWORD = "sijill-screens-2026"
AIN_BIDA = "03.231.81.03"
SIJILL = str(Path(sys.executable).with_name("sijill"))
TEAM = (
    ("keyer.one", "keyer"),
    ("keyer.two", "keyer"),
    ("adjudicator.fes", "adjudicator"),
    ("reviewer.fes", "reviewer"),
    ("supervisor.fes", "supervisor"),
)


def _registry(data_dir: Path, clock: Any = None) -> Registry:
    settings = Settings(data_dir=data_dir)
    engine = make_engine(settings.resolved_database_url())
    upgrade(engine)
    keys = KeyStore(settings.resolved_keys_dir())
    return (
        Registry(engine=engine, keys=keys, clock=clock)
        if clock
        else Registry(engine=engine, keys=keys)
    )


def _spec(batch: str, first: int, last: int) -> BatchSpec:
    return BatchSpec(
        batch,
        FES,
        "birth",
        1962,
        first,
        last,
        "/static/scans/1962-N-{page:04d}.png",
        "fes-a",
    )


def build(data_dir: Path) -> dict[str, str]:
    """The registry the screens show; returns each account's TOTP secret (or "")."""
    past = datetime.now(UTC) - timedelta(days=40)
    reg = _registry(data_dir, clock=lambda: past)
    fes = open_office(reg)
    rabat = open_office(reg, RABAT)
    offices.create_office(reg, actor=SYSTEM, commune_code=AIN_BIDA)
    for username, role in TEAM:
        offices.appoint_staff(
            reg,
            actor=SYSTEM,
            office=FES,
            username=username,
            role=role,
            full_name_ar="سعيد العمراني",
            full_name_fr="Said El Amrani",
        )
    open_centre(reg)
    for code in (FES, RABAT):
        public = reg.keys.signer(code).public_key_hex
        enroll_office(reg, actor=SYSTEM, office=code, public_key=public)
    ref = str(signed_birth(reg, fes, days_old=2))
    signed_birth(reg, fes, days_old=2)  # the same child registered twice
    signed_birth(reg, rabat, days_old=2)
    review.queue_duplicates(reg, actor=fes.clerk)
    submit_ruling(
        reg,
        actor=Actor("parquet.fes", "prosecutor", None),
        kind="correction_prosecutor",
        act=ref,
        source={
            "reference": "إذن النيابة العامة عدد 77/2026",
            "date": past.date().isoformat(),
        },
        data={"field": "child.first_name_lat", "value": "Youssef"},
    )
    reg = _registry(data_dir)
    keyers = [Actor(u, "keyer", FES) for u in ("keyer.one", "keyer.two")]
    for batch, (first, last), rate in (
        ("FES-1962-N-01", (1, 2), 0.04),
        ("FES-1962-N-02", (3, 4), 0.0),
    ):
        open_batch(reg, actor=fes.officer, spec=_spec(batch, first, last))
        keyed = Keying(7 + first, office=FES, year=1962, error_rate=rate).acts(12)
        for act in keyed:
            for keyer, fields in zip(keyers, (act.first, act.second), strict=True):
                key_act(
                    reg,
                    actor=keyer,
                    batch_id=batch,
                    page=act.page + first - 1,
                    line=act.line,
                    fields=fields,
                )
        rec.reconcile_batch(reg, actor=fes.officer, batch_id=batch)
    draw_sample(
        reg, actor=Actor("reviewer.fes", "reviewer", FES), batch_id="FES-1962-N-02"
    )
    open_batch(reg, actor=fes.officer, spec=_spec("FES-1962-N-03", 5, 6))
    for act in Keying(11, office=FES, year=1962).acts(2):
        key_act(
            reg,
            actor=keyers[0],
            batch_id="FES-1962-N-03",
            page=5,
            line=act.line,
            fields=act.first,
        )
    secrets = {}
    for username, role in (
        *TEAM,
        (fes.officer.username, "officer"),
        ("tpi.fes", "court"),
    ):
        enrolment = accounts.open_account(
            reg, actor=SYSTEM, username=username, role=role
        )
        accounts.choose_password(
            reg, username=username, code=enrolment.code, password=PASSWORD
        )
        secrets[username] = enrolment.totp_secret or ""
    reg.engine.dispose()
    return secrets


def serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SIJILL_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [SIJILL, "serve", "--role", "central", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("sijill serve did not start")


def shoot(url: str, secrets: dict[str, str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    shots: list[Path] = []
    screens: tuple[tuple[str, str, str, Any], ...] = (
        ("keyer.one", "keying", "/digitize/FES-1962-N-03/key?page=5&line=3", None),
        ("keyer.one", "batches", "/digitize", None),
        ("keyer.one", "keying-refused", "/digitize/FES-1962-N-03/key", _bad_line),
        ("adjudicator.fes", "adjudication", "/digitize/FES-1962-N-01/adjudicate", None),
        ("reviewer.fes", "review", "/digitize/FES-1962-N-02/review", None),
        ("supervisor.fes", "supervision", "/supervise", None),
        ("supervisor.fes", "duplicates", "/duplicates", None),
        ("tpi.fes", "rulings", "/rulings", None),
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        pages: dict[str, Any] = {}
        for username, name, path, act in screens:
            if username not in pages:
                pages[username] = _signed_in(browser, url, username, secrets[username])
            page = pages[username]
            for lang in ("ar", "fr"):
                page.goto(f"{url}{path}{'&' if '?' in path else '?'}lang={lang}")
                if act is not None:
                    act(page)
                target = out / f"{name}-{lang}.png"
                page.screenshot(path=str(target))
                shots.append(target)
        browser.close()
    return shots


def _bad_line(page: Any) -> None:
    """A page outside the batch: refused next to the field, the rest kept."""
    page.wait_for_function("() => document.activeElement?.id === 'f-page'")
    page.keyboard.type("9")
    for value in ("4", "13", "فاطمة", "الفاسي", "Fatima", "El Fassi"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_selector("#key-refused")


def _signed_in(browser: Any, url: str, username: str, secret: str) -> Any:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    if secret:
        page.fill("input[name=totp]", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    page.wait_for_selector("#signed-in")
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sijill-screens-") as tmp:
        data_dir = Path(tmp)
        secrets = build(data_dir)
        server = serve(data_dir, args.port)
        try:
            for shot in shoot(f"http://127.0.0.1:{args.port}", secrets, args.out):
                print(shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
