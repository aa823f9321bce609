"""The `sijill` command, run as a process: register, sign, show, verify, tamper, rebuild."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.builders import birth
from tests.e2e.conftest import cli, registry_at

pytestmark = pytest.mark.e2e


def test_the_command_line_registers_signs_shows_and_verifies(tmp_path: Path) -> None:
    registry_at(tmp_path).engine.dispose()
    assert cli(tmp_path, "office", "create", "--commune", "03.231.01.0").returncode == 0
    for username, role, ar, fr in (
        ("officer.fes", "officer", "محمد العلوي", "Mohamed Alaoui"),
        ("clerk.fes", "clerk", "فاطمة بناني", "Fatima Bennani"),
    ):
        done = cli(
            tmp_path,
            "office",
            "appoint",
            "--office",
            "03.231.01.0",
            "--username",
            username,
            "--role",
            role,
            "--name-ar",
            ar,
            "--name-fr",
            fr,
        )
        assert done.returncode == 0, done.stderr
    declaration = tmp_path / "birth.json"
    from datetime import date, timedelta

    # Born yesterday: a birth today at 08:30 is in the future before 08:30.
    yesterday = date.today() - timedelta(days=1)
    declaration.write_text(json.dumps(birth(yesterday)), encoding="utf-8")
    drafted = cli(
        tmp_path,
        "birth",
        "register",
        "--office",
        "03.231.01.0",
        "-f",
        str(declaration),
        "--as",
        "clerk.fes",
    )
    assert drafted.returncode == 0, drafted.stderr
    draft_id = drafted.stdout.split()[1]
    refused = cli(
        tmp_path,
        "act",
        "sign",
        "--office",
        "03.231.01.0",
        draft_id,
        "--as",
        "clerk.fes",
    )
    assert refused.returncode == 4
    signed = cli(
        tmp_path,
        "act",
        "sign",
        "--office",
        "03.231.01.0",
        draft_id,
        "--as",
        "officer.fes",
    )
    assert signed.returncode == 0, signed.stderr
    ref = signed.stdout.split()[-1]
    shown = cli(tmp_path, "act", "show", ref)
    assert "Acte de naissance" in shown.stdout and "رسم ولادة" in shown.stdout
    assert "Youssef" in shown.stdout and "يوسف" in shown.stdout
    verified = cli(tmp_path, "journal", "verify")
    assert verified.returncode == 0 and "journal intact" in verified.stdout


def test_a_bad_declaration_names_the_field_and_the_rule(tmp_path: Path) -> None:
    registry_at(tmp_path).engine.dispose()
    cli(tmp_path, "office", "create", "--commune", "03.231.01.0")
    cli(
        tmp_path,
        "office",
        "appoint",
        "--office",
        "03.231.01.0",
        "--username",
        "clerk.fes",
        "--role",
        "clerk",
        "--name-ar",
        "فاطمة بناني",
        "--name-fr",
        "Fatima Bennani",
    )
    declaration = tmp_path / "bad.json"
    declaration.write_text(
        json.dumps({"sex": "M", "birth_time": "8h"}), encoding="utf-8"
    )
    done = cli(
        tmp_path,
        "birth",
        "register",
        "--office",
        "03.231.01.0",
        "-f",
        str(declaration),
        "--as",
        "clerk.fes",
    )
    assert done.returncode == 2
    assert "child — is required" in done.stderr
    assert "birth_time — must be an hour written HH:MM" in done.stderr
    assert "ساعة" in done.stderr
    as_operator = cli(
        tmp_path, "birth", "register", "--office", "03.231.01.0", "-f", str(declaration)
    )
    assert (
        as_operator.returncode == 4
    )  # the machine's operator is not a clerk of the office


def test_verify_names_the_entry_whose_payload_was_changed_in_the_database(
    tmp_path: Path,
) -> None:
    registry_at(tmp_path).engine.dispose()
    cli(tmp_path, "office", "create", "--commune", "03.231.01.0")
    cli(tmp_path, "office", "create", "--commune", "04.421.01.0")
    db = sqlite3.connect(tmp_path / "sijill.db")
    db.execute("DROP TRIGGER journal_no_update")
    payload = db.execute(
        "SELECT payload FROM journal WHERE office_code = '04.421.01.0' AND seq = 1"
    ).fetchone()[0]
    changed = bytearray(payload)
    changed[10] ^= 0x01
    db.execute(
        "UPDATE journal SET payload = ? WHERE office_code = '04.421.01.0' AND seq = 1",
        (bytes(changed),),
    )
    db.commit()
    db.close()
    verified = cli(tmp_path, "journal", "verify")
    assert verified.returncode == 6
    assert "04.421.01.0: 0 entries — BROKEN at entry 1" in verified.stdout
    assert "✓ 03.231.01.0" in verified.stdout
    rebuilt = cli(tmp_path, "journal", "rebuild")
    assert rebuilt.returncode == 6 and "04.421.01.0" in rebuilt.stderr


def test_audit_verify_names_an_audit_entry_changed_in_the_database(
    tmp_path: Path,
) -> None:
    registry_at(tmp_path).engine.dispose()
    assert cli(tmp_path, "office", "create", "--commune", "03.231.01.0").returncode == 0
    assert cli(tmp_path, "audit", "checkpoint").returncode == 0
    verified = cli(tmp_path, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert (
        "audit intact" in verified.stdout and "1 signed checkpoint" in verified.stdout
    )
    listed = cli(tmp_path, "audit", "query", "--actor", "system")
    assert listed.returncode == 0 and "office.create" in listed.stdout

    db = sqlite3.connect(tmp_path / "sijill.db")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET action = 'office.view' WHERE seq = 1")
    db.commit()
    db.close()
    verified = cli(tmp_path, "audit", "verify")
    assert verified.returncode == 6
    assert "entry 1" in verified.stderr and "was changed" in verified.stderr
