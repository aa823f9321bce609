"""The demo network is built through the use cases and leaves verifiable journals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sijill.demo import PILOT_COMMUNES, build_demo, office_registry
from sijill.domain.offices import SYSTEM
from sijill.services import journal, queries
from sijill.services.context import Registry
from sijill.sync.centre import network_status


def test_the_pilot_network_is_six_offices_synced_with_the_centre(
    registry: Registry, tmp_path: Path
) -> None:
    report = build_demo(
        registry,
        offices_dir=tmp_path / "offices",
        today=date(2026, 11, 25),
        first_year=2014,
        scale=0.25,
    )
    offices = queries.list_offices(registry)
    assert [o["code"] for o in offices] == sorted([*PILOT_COMMUNES, "C-FR-PARIS"])
    assert {o["setting"] for o in offices} == {"urban", "rural", None}
    assert report.births > 100 and report.deaths > 20
    assert sum(o["acts"] for o in offices) == report.births + report.deaths
    assert report.notices_applied + report.notices_returned > 0  # notices travelled
    status = network_status(registry, actor=SYSTEM)
    assert all(o["backlog"] == 0 for o in status["offices"])
    assert status["notices"]["issued"] == status["notices"]["delivered"] == 0
    assert all(r.ok for r in journal.verify_journal(registry, actor=SYSTEM))
    fes = office_registry(tmp_path / "offices" / "03.231.01.0", registry.clock)
    registers = queries.list_registers(fes, office="03.231.01.0")
    closed = {(r["year"], r["kind"]) for r in registers if r["closed_at"]}
    assert {(2024, "birth"), (2025, "death")} <= closed
    assert all(r.ok for r in journal.verify_journal(fes, actor=SYSTEM))
    fes.engine.dispose()


def test_the_demo_opens_accounts_one_can_sign_in_with(
    registry: Registry, tmp_path: Path
) -> None:
    import pyotp

    from sijill.auth.accounts import authenticate
    from sijill.demo_accounts import DEMO_PASSWORD, open_demo_accounts
    from sijill.services import offices

    offices.create_office(registry, actor=SYSTEM, commune_code="03.231.01.0")
    for username, role in (
        ("officer0.03231010", "officer"),
        ("clerk2.03231010", "clerk"),
    ):
        offices.appoint_staff(
            registry,
            actor=SYSTEM,
            office="03.231.01.0",
            username=username,
            role=role,
            full_name_ar="سعيد فاس",
            full_name_fr="Said Fes",
        )
    opened = open_demo_accounts(registry, tmp_path / "demo-accounts.txt")
    assert [(u, r) for u, r, _ in opened] == [
        ("ministry.demo", "ministry"),
        ("clerk2.03231010", "clerk"),
        ("officer0.03231010", "officer"),
    ]
    written = (tmp_path / "demo-accounts.txt").read_text()
    for username, _, secret in opened:
        assert username in written and (secret in written)
        code = pyotp.TOTP(secret).at(registry.clock()) if secret else None
        actor = authenticate(
            registry, username=username, password=DEMO_PASSWORD, totp=code
        )
        assert actor.username == username


def test_the_demo_root_key_certifies_the_offices_and_opens_with_its_passphrase(
    registry: Registry,
) -> None:
    from sijill.demo_accounts import DEMO_ROOT_PASSPHRASE, open_demo_root
    from sijill.documents.service import trust_directory
    from sijill.documents.trust import TrustList, TrustStore
    from sijill.services import offices

    offices.create_office(registry, actor=SYSTEM, commune_code="03.231.01.0")
    assert open_demo_root(registry) is True
    store = TrustStore(trust_directory(registry))
    store.check_passphrase(DEMO_ROOT_PASSPHRASE.encode())
    key_id = registry.keys.signer("03.231.01.0").key_id
    assert store.is_certified(key_id)
    assert key_id in TrustList.load(store.directory).keys
    assert open_demo_root(registry) is False  # once: the key is never replaced
