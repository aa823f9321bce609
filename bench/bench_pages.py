"""How heavy the main pages are, and how long the server takes to make them.

Builds an office on a throw-away SQLite registry (an officer, a clerk, signed births,
twenty drafts waiting, each
with its probable duplicates), signs in through the form, then asks each main screen N times in
Arabic and French. Prints the bytes of each page (with the style sheet, sent once and
cached after), the time to carry them over a 64 kbit/s rural link, and the server's
p50 / p95 to make them.

    python bench/bench_pages.py [--births 200] [--rounds 30]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
from fastapi.testclient import TestClient

from shared import percentile
from sijill.auth import accounts
from sijill.config import Settings
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import acts, drafts, offices
from sijill.services.context import Registry
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.web.app import create_app

FES = "03.231.01.0"
PASSWORD = "a bench password"
LINK_BITS_PER_S = 64_000


def declaration(born: str, n: int) -> dict[str, Any]:
    names = ("يوسف", "Youssef") if n % 2 else ("سلمى", "Salma")
    return {
        "child": {
            "first_name_ar": names[0],
            "family_name_ar": "الإدريسي",
            "first_name_lat": names[1],
            "family_name_lat": "El Idrissi",
        },
        "sex": "M" if n % 2 else "F",
        "birth_date": born,
        "birth_time": "08:30",
        "birth_place": "فاس",
        "birth_commune": FES,
        "mother": {
            "first_name_ar": "خديجة",
            "family_name_ar": "التازي",
            "first_name_lat": "Khadija",
            "family_name_lat": "Tazi",
            "nationality": "MA",
        },
        "declarant": {"full_name": "خديجة التازي", "relationship": "mother"},
    }


def build(where: Path, births: int) -> tuple[Registry, str, str]:
    settings = Settings(data_dir=where)
    engine = make_engine(settings.resolved_database_url())
    upgrade(engine)
    reg = Registry(engine=engine, keys=KeyStore(settings.resolved_keys_dir()))
    offices.create_office(reg, actor=SYSTEM, commune_code=FES)
    staff = {}
    for role in ("officer", "clerk"):
        offices.appoint_staff(
            reg,
            actor=SYSTEM,
            office=FES,
            username=f"{role}.bench",
            role=role,
            full_name_ar="موظف",
            full_name_fr="Agent",
        )
        staff[role] = Actor(f"{role}.bench", role, FES)
    secret = ""
    for actor in staff.values():
        enrolment = accounts.open_account(
            reg, actor=SYSTEM, username=actor.username, role=actor.role
        )
        accounts.choose_password(
            reg, username=actor.username, code=enrolment.code, password=PASSWORD
        )
        secret = enrolment.totp_secret or secret
    born = (reg.now().date() - timedelta(days=3)).isoformat()
    ref = ""
    for n in range(births):
        draft = drafts.register_birth(
            reg, actor=staff["clerk"], office=FES, data=declaration(born, n)
        )
        ref = str(
            acts.sign_act(reg, actor=staff["officer"], office=FES, draft_id=draft)
        )
    for n in range(20):  # a busy morning: more than a page of the signing queue
        drafts.register_birth(
            reg, actor=staff["clerk"], office=FES, data=declaration(born, n)
        )
    return reg, ref, secret


def sign_in(client: TestClient, secret: str) -> None:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    client.post(
        "/login",
        data={
            "username": "officer.bench",
            "password": PASSWORD,
            "totp": pyotp.TOTP(secret).now(),
            "csrf_token": token.group(1),
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--births", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as where:
        reg, ref, secret = build(Path(where), args.births)
        year = ref.split("/")[1]
        with TestClient(create_app(reg), base_url="https://bench") as client:
            sign_in(client, secret)
            css = len(client.get("/static/sijill.css").content)
            print(f"style sheet: {css / 1000:.1f} kB (cached after the first page)")
            print(
                f"{'page':42} {'lang':4} {'kB':>6} {'+css':>6} {'64k s':>6} "
                f"{'p50 ms':>7} {'p95 ms':>7}"
            )
            for path in (
                "/declare/birth",
                "/declare/death",
                "/drafts",
                "/notices",
                "/predeclarations",
                f"/acts/{ref}",
                f"/offices/{FES}/registers/{year}/birth",
                "/search?name=Youssef",
                "/documents",
                "/verify",
            ):
                for lang in ("ar", "fr"):
                    client.get(f"/?lang={lang}")
                    times, size = [], 0
                    for _ in range(args.rounds):
                        start = time.perf_counter()
                        page = client.get(path)
                        times.append(time.perf_counter() - start)
                        size = len(page.content)
                    assert page.status_code == 200, (path, page.status_code)
                    total = size + css
                    print(
                        f"{path[:42]:42} {lang:4} {size / 1000:6.1f} "
                        f"{total / 1000:6.1f} {total * 8 / LINK_BITS_PER_S:6.1f} "
                        f"{percentile(times, 0.5) * 1000:7.1f} "
                        f"{percentile(times, 0.95) * 1000:7.1f}"
                    )
        reg.engine.dispose()


if __name__ == "__main__":
    main()
