"""Data-quality figures per office, province, batch and keyer, on SQLite and PostgreSQL.

Every expected figure is counted here again, straight from the tables.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from sijill.cli.app import app as cli_app
from sijill.digitize.load import load_accepted_batch
from sijill.digitize.tables import batch_acts, disagreements, keyings
from sijill.domain.errors import Forbidden, InvalidInput
from sijill.domain.offices import Actor
from sijill.quality.figures import quality_report
from sijill.search import review
from sijill.services.context import Registry
from sijill.web.app import create_app
from tests.builders import FES, RABAT, Staffed, open_office, signed_birth
from tests.integration.test_digitize import (
    BATCH,
    Team,
    accepted,
    adjudicate_all,
    digitization_team,
    reconciled,
)

NATIONAL = Actor("inspector", "ministry", None)


def _by_group(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["group"]: row for row in rows}


@pytest.fixture
def offices(registry: Registry, tmp_path: Path) -> tuple[Team, Staffed]:
    """A digitized register at Fès; at Rabat three live births, one keyed twice."""
    team = digitization_team(registry)
    acts = reconciled(registry, team, tmp_path)
    adjudicate_all(registry, team, acts)
    accepted(registry, team)
    load_accepted_batch(registry, actor=team.officer, batch_id=BATCH, chunk=50)
    rabat = open_office(registry, RABAT)
    signed_birth(registry, rabat, days_old=3)
    signed_birth(registry, rabat, days_old=3, child__first_name_lat="Yousef")
    signed_birth(
        registry,
        rabat,
        days_old=5,
        father=None,
        child__first_name_ar="سلمى",
        child__first_name_lat="Salma",
        sex="F",
    )
    assert review.queue_duplicates(registry, actor=rabat.clerk) == 1
    return team, rabat


def _keying_counts(reg: Registry) -> tuple[Counter[str], Counter[str], Counter[str]]:
    with reg.engine.connect() as conn:
        failures: Counter[str] = Counter()
        for (found,) in conn.execute(select(batch_acts.c.failures)):
            failures.update(f"{f['field']}: {f['rule']}" for f in found or [])
        d = disagreements.c
        per_field = Counter(
            dict(
                conn.execute(
                    select(d.field, func.count())
                    .where(d.first_value != d.second_value)
                    .group_by(d.field)
                ).all()
            )
        )
        per_keyer = Counter(
            dict(
                conn.execute(
                    select(keyings.c.keyer, func.count()).group_by(keyings.c.keyer)
                ).all()
            )
        )
    return failures, per_field, per_keyer


def test_figures_per_office_and_province_match_the_tables(
    registry: Registry, offices: tuple[Team, Staffed]
) -> None:
    failures, per_field, _ = _keying_counts(registry)
    assert sum(per_field.values()) > 0
    for by, fes, rabat in (
        ("office", FES, RABAT),
        ("province", "03.231", "04.421"),
    ):
        rows = _by_group(quality_report(registry, actor=NATIONAL, by=by))
        assert set(rows) == {fes, rabat}, by
        digitized, live = rows[fes], rows[rabat]
        assert (digitized["acts"], digitized["births"], digitized["keyed"]) == (
            120,
            120,
            120,
        )
        assert digitized["timeliness"] is None  # legacy acts were not late
        assert digitized["validation_failures"] == dict(failures)
        assert digitized["disagreements"] == dict(per_field)
        assert digitized["disagreement_rate"] == {
            f: round(n / 120, 6) for f, n in per_field.items()
        }
        assert (live["acts"], live["keyed"], live["timeliness"]) == (3, 0, 1.0)
        assert live["completeness_father"] == round(2 / 3, 4)
        assert live["suspected_duplicates"] == 1
        assert live["confirmed_duplicates"] == 0


def test_figures_per_batch_and_keyer_match_the_tables(
    registry: Registry, offices: tuple[Team, Staffed]
) -> None:
    failures, per_field, per_keyer = _keying_counts(registry)
    [batch] = quality_report(registry, actor=NATIONAL, by="batch")
    assert (batch["group"], batch["acts"], batch["keyed"]) == (BATCH, 120, 120)
    assert batch["disagreements"] == dict(per_field)
    keyers = _by_group(quality_report(registry, actor=NATIONAL, by="keyer"))
    assert set(keyers) == {"keyer.one", "keyer.two"}
    for name, row in keyers.items():
        assert row["keyed"] == per_keyer[name]
        assert row["acts"] == 120  # each keyed every loaded act
        # A disagreement is between the two keyers: each took part in all of them.
        assert row["disagreements"] == dict(per_field)
        assert row["validation_failures"] == dict(failures)


def test_staff_see_their_office_and_bad_groupings_are_refused(
    registry: Registry, offices: tuple[Team, Staffed]
) -> None:
    team, rabat = offices
    assert [r["group"] for r in quality_report(registry, actor=rabat.clerk)] == [RABAT]
    assert quality_report(registry, actor=rabat.clerk, by="batch") == []
    with pytest.raises(Forbidden):
        quality_report(registry, actor=rabat.clerk, office=FES)
    with pytest.raises(Forbidden):
        quality_report(registry, actor=team.first)  # a keyer
    with pytest.raises(InvalidInput) as refused:
        quality_report(registry, actor=NATIONAL, by="street")
    assert [v.field for v in refused.value.violations] == ["by"]


def test_the_quality_command_and_api_answer_csv_and_json(
    registry: Registry,
    offices: tuple[Team, Staffed],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sijill.cli.common.bootstrap", lambda settings: registry)
    done = CliRunner().invoke(
        cli_app, ["quality", "figures", "--by", "keyer", "--format", "json"]
    )
    assert done.exit_code == 0, done.output
    assert [r["group"] for r in json.loads(done.output)] == ["keyer.one", "keyer.two"]
    table = CliRunner().invoke(cli_app, ["quality", "figures"])
    assert table.exit_code == 0, table.output
    header, *lines = table.output.splitlines()
    assert header.startswith("group,acts,births,timeliness")
    assert len(lines) == 2
    refused = CliRunner().invoke(cli_app, ["quality", "figures", "--by", "street"])
    assert refused.exit_code == 2
    from sijill.auth.tokens import issue_token
    from sijill.domain.offices import SYSTEM

    client = TestClient(create_app(registry))
    assert client.get("/api/quality", params={"by": "province"}).status_code == 401
    token = issue_token(registry, actor=SYSTEM, name="inspection", role="ministry")
    client.headers["authorization"] = f"Bearer {token}"
    found = client.get("/api/quality", params={"by": "province"})
    assert found.status_code == 200
    assert [r["group"] for r in found.json()] == ["03.231", "04.421"]
    assert client.get("/api/quality", params={"by": "street"}).status_code == 422
