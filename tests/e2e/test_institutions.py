"""A notary registered from the command line checks data through the real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from sijill.services import queries
from tests.builders import open_office, signed_birth
from tests.e2e.conftest import cli, registry_at

pytestmark = pytest.mark.e2e


def test_a_notary_checks_data_with_its_token_until_it_is_revoked(
    tmp_path: Path, serve: Any
) -> None:
    reg = registry_at(tmp_path)
    fes = open_office(reg)
    ref = str(signed_birth(reg, fes))
    born = str(queries.get_act(reg, actor=fes.clerk, ref=ref).data["birth_date"])
    reg.engine.dispose()

    added = cli(tmp_path, "institution", "add", "Étude Bennis", "--kind", "notary")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    institution_id = added.stdout.split("registered: ")[1].split()[0]
    assert token.startswith("sji_")
    assert token not in cli(tmp_path, "institution", "list").stdout

    held = {"first_name": "Youssef", "family_name": "الإدريسي", "birth_date": born}
    body = {"act": ref, "purpose": "succession", "data": held, "detail": True}
    bearer = {"Authorization": f"Bearer {token}"}
    server = serve(tmp_path)
    answer = httpx.post(
        f"{server.url}/api/institutions/check", json=body, headers=bearer
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["match"] is True
    assert set(answer.json()["fields"].values()) == {"match"}

    checked = cli(
        tmp_path,
        "institution",
        "check",
        "--token",
        token,
        "--act",
        ref,
        "--first-name",
        "Karim",
        "--purpose",
        "succession",
    )
    assert checked.returncode == 1 and "no match" in checked.stdout

    revoked = cli(tmp_path, "institution", "revoke", institution_id)
    assert revoked.returncode == 0, revoked.stderr
    refused = httpx.post(
        f"{server.url}/api/institutions/check", json=body, headers=bearer
    )
    assert refused.status_code == 401
    assert refused.json()["rule"] == "institution.revoked"
