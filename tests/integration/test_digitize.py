"""Digitization of a legacy register, end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sijill.digitize import reconcile as rec
from sijill.digitize.adjudication import Decision, adjudicate_many
from sijill.digitize.batches import BatchSpec, import_keyed_file
from sijill.digitize.load import load_accepted_batch
from sijill.digitize.quality import draw_sample, review_act
from sijill.digitize.report import batch_report, quality_figures
from sijill.digitize.tables import (
    batch_acts,
    batches,
    disagreements,
    keyings,
    legacy_acts,
)
from sijill.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from sijill.domain.offices import SYSTEM, Actor
from sijill.search.index import indexed_tokens
from sijill.services import journal, offices
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.synthetic.keyed import KeyedAct, Keying, as_csv, as_jsonl, keyed_rows
from tests.builders import FES, scanned_decisions

BATCH = "FES-1962-N-01"


@dataclass
class Team:
    officer: Actor
    first: Actor
    second: Actor
    adjudicator: Actor
    reviewer: Actor


def digitization_team(reg: Registry) -> Team:
    offices.create_office(reg, actor=SYSTEM, commune_code=FES)
    people = {}
    for username, role in (
        ("officer.fes", "officer"),
        ("keyer.one", "keyer"),
        ("keyer.two", "keyer"),
        ("adjudicator.fes", "adjudicator"),
        ("reviewer.fes", "reviewer"),
    ):
        offices.appoint_staff(
            reg,
            actor=SYSTEM,
            office=FES,
            username=username,
            role=role,
            full_name_ar="سعيد العمراني",
            full_name_fr="Said El Amrani",
        )
        people[username] = Actor(username, role, FES)
    return Team(*people.values())


def spec(**changes: object) -> BatchSpec:
    values: dict[str, object] = {
        "batch_id": BATCH,
        "office": FES,
        "kind": "birth",
        "year": 1962,
        "first_page": 1,
        "last_page": 50,
        "scans": "archive/fes/1962/N/{page:04d}.tif",
        "team": "fes-a",
    }
    values.update(changes)
    return BatchSpec(**values)  # type: ignore[arg-type]


def keyed_files(tmp: Path, acts: list[KeyedAct]) -> tuple[Path, Path]:
    first, second = tmp / "keyer-one.csv", tmp / "keyer-two.jsonl"
    first.write_text(as_csv(keyed_rows(acts, "keyer.one", "first")), encoding="utf-8")
    # An older keying tool exported Windows-1256 (it has no Arabic-Indic digits).
    text = as_jsonl(keyed_rows(acts, "keyer.two", "second"))
    text = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    second.write_bytes(text.encode("windows-1256"))
    return first, second


def reconciled(
    reg: Registry, team: Team, tmp: Path, count: int = 120
) -> list[KeyedAct]:
    acts = list(Keying(5, office=FES, year=1962, error_rate=0.02).acts(count))
    for path in keyed_files(tmp, acts):
        import_keyed_file(reg, actor=team.first, spec=spec(), path=path)
    rec.reconcile_batch(reg, actor=team.officer, batch_id=BATCH, chunk=40)
    return acts


def adjudicate_all(reg: Registry, team: Team, acts: list[KeyedAct]) -> int:
    truth = {(a.page, a.line): a.truth for a in acts}
    decided = 0
    queue = rec.adjudication_queue(
        reg, actor=team.adjudicator, batch_id=BATCH, limit=10_000
    )
    for d in queue["disagreements"]:
        rec.adjudicate(
            reg,
            actor=team.adjudicator,
            batch_id=BATCH,
            page=d["page"],
            line=d["line"],
            field=d["field"],
            value=truth[(d["page"], d["line"])].get(d["field"], ""),
        )
        decided += 1
    return decided


def accepted(reg: Registry, team: Team) -> dict[str, object]:
    sample = draw_sample(reg, actor=team.reviewer, batch_id=BATCH)
    outcome: dict[str, object] = {}
    for a in sample["acts"]:
        outcome = review_act(
            reg,
            actor=team.reviewer,
            batch_id=BATCH,
            page=a["page"],
            line=a["line"],
            errors=[],
        )
    return outcome


def test_a_keyed_register_becomes_signed_digitized_acts(
    registry: Registry, tmp_path: Path
) -> None:
    team = digitization_team(registry)
    acts = reconciled(registry, team, tmp_path)
    assert adjudicate_all(registry, team, acts) > 0
    assert accepted(registry, team) == {"verdict": "accepted"}
    assert (
        load_accepted_batch(registry, actor=team.officer, batch_id=BATCH, chunk=50)
        == 120
    )
    with registry.engine.connect() as conn:
        rows = conn.execute(
            select(t.acts.c.ref, t.acts.c.status, t.acts.c.first_name_ar).order_by(
                t.acts.c.number
            )
        ).all()
        assert [r.ref for r in rows] == [f"{FES}/1962/N/{n}" for n in range(1, 121)]
        assert {r.status for r in rows} == {"digitized"}
        assert [r.first_name_ar for r in rows] == [
            a.truth["first_name_ar"] for a in acts
        ]
        provenance = conn.execute(select(legacy_acts)).all()
        assert len(provenance) == 120
        assert {tuple(p.keyers) for p in provenance} == {("keyer.one", "keyer.two")}
        assert {p.reviewer for p in provenance} == {"reviewer.fes"}
        assert len(indexed_tokens(conn)) == 120
        entries = conn.execute(
            select(t.journal.c.event_type).where(
                t.journal.c.event_type == "LegacyActsLoaded"
            )
        ).all()
        assert len(entries) == 3  # 120 acts in chunks of 50: one signature per chunk
        register = conn.execute(select(t.registers.c.last_number)).scalar_one()
        assert register == 120
    assert all(r.ok for r in journal.verify_journal(registry, actor=SYSTEM))
    # Loading again changes nothing; a rebuild from the journal gives the same acts.
    assert load_accepted_batch(registry, actor=team.officer, batch_id=BATCH) == 120
    journal.rebuild_state(registry, actor=SYSTEM)
    with registry.engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(t.acts)).scalar_one() == 120
        )
        assert (
            conn.execute(select(func.count()).select_from(legacy_acts)).scalar_one()
            == 120
        )
    report = batch_report(registry, actor=team.officer, batch_id=BATCH)
    assert report["loaded"] == 120
    assert report["sampling"][0]["plan"]["sample_size"] == 20  # lot 120: F, AQL 0.65
    assert set(report["keyers"]) == {"keyer.one", "keyer.two"}
    figures = quality_figures(registry, actor=SYSTEM)
    assert figures["offices"][FES]["loaded"] == 120


def test_an_act_whose_validated_data_is_missing_is_validated_again_at_load(
    registry: Registry, tmp_path: Path
) -> None:
    # A batch reconciled before the validated data was kept beside each act: the
    # load builds the act from its keyed fields with the same rules.
    team = digitization_team(registry)
    acts = reconciled(registry, team, tmp_path)
    adjudicate_all(registry, team, acts)
    assert accepted(registry, team) == {"verdict": "accepted"}
    with registry.engine.begin() as conn:
        kept = dict(
            conn.execute(
                select(batch_acts.c.line, batch_acts.c.data).where(
                    batch_acts.c.page == 2
                )
            ).all()
        )
        conn.execute(
            batch_acts.update()
            .where(batch_acts.c.page == 2)
            .values(data=None, number=None)
        )
    assert load_accepted_batch(registry, actor=team.officer, batch_id=BATCH) == 120
    with registry.engine.connect() as conn:
        loaded = dict(
            conn.execute(
                select(legacy_acts.c.line, t.acts.c.data)
                .join(t.acts, t.acts.c.act_id == legacy_acts.c.act_id)
                .where(legacy_acts.c.page == 2)
            ).all()
        )
    assert loaded == kept and len(kept) == 20


def test_a_keyer_of_a_batch_never_adjudicates_it(
    registry: Registry, tmp_path: Path
) -> None:
    team = digitization_team(registry)
    acts = list(Keying(5, office=FES, year=1962, error_rate=0.05).acts(40))
    first, _ = keyed_files(tmp_path, acts)
    rows = keyed_rows(acts, "adjudicator.fes", "second")
    second = tmp_path / "by-the-adjudicator.csv"
    second.write_text(as_csv(rows), encoding="utf-8")
    for path in (first, second):
        import_keyed_file(registry, actor=team.first, spec=spec(), path=path)
    rec.reconcile_batch(registry, actor=team.officer, batch_id=BATCH)
    queue = rec.adjudication_queue(registry, actor=team.adjudicator, batch_id=BATCH)
    d = queue["disagreements"][0]
    assert d["scan"] == f"archive/fes/1962/N/{d['page']:04d}.tif"
    with pytest.raises(Forbidden) as refused:
        rec.adjudicate(
            registry,
            actor=team.adjudicator,
            batch_id=BATCH,
            page=d["page"],
            line=d["line"],
            field=d["field"],
            take="first",
        )
    assert refused.value.rule == "digitize.own_batch"


def test_bad_rows_are_refused_or_skipped_and_reported_by_file_and_line(
    registry: Registry, tmp_path: Path
) -> None:
    team = digitization_team(registry)
    acts = list(Keying(5, office=FES, year=1962).acts(10))
    first, _ = keyed_files(tmp_path, acts)
    rows = keyed_rows(acts, "keyer.two", "second")
    rows[3]["page"] = "x"
    rows[5]["page"] = "99"
    bad = tmp_path / "bad.csv"
    bad.write_text(as_csv(rows), encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        import_keyed_file(registry, actor=team.first, spec=spec(), path=bad)
    assert [(v.field, v.rule) for v in refused.value.violations] == [
        ("bad.csv:5.page", "keying.position"),
        ("bad.csv:7.page", "keying.page_outside"),
    ]
    with registry.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(keyings)).scalar_one() == 0
    import_keyed_file(registry, actor=team.first, spec=spec(), path=first)
    result = import_keyed_file(
        registry, actor=team.first, spec=spec(), path=bad, on_error="skip"
    )
    assert (result.rows, len(result.skipped)) == (8, 2)
    # The same file again changes nothing.
    assert import_keyed_file(registry, actor=team.first, spec=spec(), path=bad).already
    # A third keyer for the same acts is refused, row by row.
    third = tmp_path / "third.csv"
    third.write_text(
        as_csv(keyed_rows(acts[:2], "keyer.three", "first")), encoding="utf-8"
    )
    result = import_keyed_file(
        registry, actor=team.first, spec=spec(), path=third, on_error="skip"
    )
    assert [v.rule for e in result.skipped for v in e.violations] == [
        "keying.third"
    ] * 2
    # Two acts were keyed once only: reconciliation says so and does nothing.
    with pytest.raises(Conflict) as once:
        rec.reconcile_batch(registry, actor=team.officer, batch_id=BATCH)
    assert once.value.params["count"] == 2


def test_a_file_cut_in_the_middle_is_refused_whole(
    registry: Registry, tmp_path: Path
) -> None:
    team = digitization_team(registry)
    acts = list(Keying(5, office=FES, year=1962).acts(10))
    first, second = keyed_files(tmp_path, acts)
    cut = tmp_path / "cut.jsonl"
    data = second.read_bytes()
    cut.write_bytes(data[: len(data) - 30])
    first.write_bytes(first.read_bytes()[:-10])
    for path in (first, cut):
        with pytest.raises(InvalidInput) as refused:
            import_keyed_file(
                registry, actor=team.first, spec=spec(), path=path, on_error="skip"
            )
        assert refused.value.violations[0].rule == "file.truncated"
    with registry.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(keyings)).scalar_one() == 0


def test_acts_failing_the_rules_wait_for_a_correction_read_on_the_scan(
    registry: Registry, tmp_path: Path
) -> None:
    team = digitization_team(registry)
    acts = list(Keying(5, office=FES, year=1962, error_rate=0).acts(20))
    for a in (acts[2].first, acts[2].second):
        a["birth_commune"] = "Atlantis"
    for path in keyed_files(tmp_path, acts):
        import_keyed_file(registry, actor=team.first, spec=spec(), path=path)
    rec.reconcile_batch(registry, actor=team.officer, batch_id=BATCH)
    queue = rec.adjudication_queue(registry, actor=team.adjudicator, batch_id=BATCH)
    assert queue["failing"] == [
        {
            "page": 1,
            "line": 3,
            "scan": "archive/fes/1962/N/0001.tif",
            "failures": [
                {
                    "field": "birth_commune",
                    "rule": "legacy.commune_unknown",
                    "params": {"value": "Atlantis"},
                }
            ],
        }
    ]
    with pytest.raises(Conflict):
        draw_sample(registry, actor=team.reviewer, batch_id=BATCH)
    fixed = rec.adjudicate(
        registry,
        actor=team.adjudicator,
        batch_id=BATCH,
        page=1,
        line=3,
        field="birth_commune",
        value="Mazagan",
    )
    assert fixed["failures"] == []
    assert accepted(registry, team)["verdict"] == "accepted"


def test_a_rejected_batch_goes_back_to_keying(
    registry: Registry, tmp_path: Path
) -> None:
    team = digitization_team(registry)
    reconciled(registry, team, tmp_path, count=30)
    adjudicate_all(
        registry, team, list(Keying(5, office=FES, year=1962, error_rate=0.02).acts(30))
    )
    sample = draw_sample(registry, actor=team.reviewer, batch_id=BATCH)
    for a in sample["acts"]:
        review_act(
            registry,
            actor=team.reviewer,
            batch_id=BATCH,
            page=a["page"],
            line=a["line"],
            errors=["birth_place"],
        )
    with registry.engine.connect() as conn:
        batch = conn.execute(select(batches)).one()
        assert (batch.status, batch.round) == ("keying", 2)
        assert conn.execute(select(func.count()).select_from(keyings)).scalar_one() == 0
    report = batch_report(registry, actor=team.officer, batch_id=BATCH)
    assert report["sampling"][0]["verdict"] == "rejected"
    assert report["sampling"][0]["accuracy_per_field"] == {"birth_place": 0.0}


def _workspace(reg: Registry, batch_id: str) -> list[tuple[object, ...]]:
    with reg.engine.connect() as conn:
        acts = conn.execute(
            select(batch_acts)
            .where(batch_acts.c.batch_id == batch_id)
            .order_by(batch_acts.c.page, batch_acts.c.line)
        ).all()
        queue = conn.execute(
            select(disagreements)
            .where(disagreements.c.batch_id == batch_id)
            .order_by(disagreements.c.page, disagreements.c.line, disagreements.c.field)
        ).all()
    return [tuple(r)[1:] for r in acts] + [tuple(r)[1:] for r in queue]


def test_a_whole_queue_decided_at_once_gives_the_same_acts_as_field_by_field(
    registry: Registry, tmp_path: Path
) -> None:
    team = digitization_team(registry)
    acts = reconciled(registry, team, tmp_path)
    other = "FES-1962-N-02"
    for path in keyed_files(tmp_path, acts):
        import_keyed_file(
            registry, actor=team.first, spec=spec(batch_id=other), path=path
        )
    rec.reconcile_batch(registry, actor=team.officer, batch_id=other)
    truth = {(a.page, a.line): a.truth for a in acts}
    queue = rec.adjudication_queue(
        registry, actor=team.adjudicator, batch_id=other, limit=10_000
    )["disagreements"]
    decisions = scanned_decisions(queue, truth)
    assert adjudicate_all(registry, team, acts) == len(decisions) > 0
    assert adjudicate_many(
        registry, actor=team.adjudicator, batch_id=other, decisions=decisions
    ) == len(decisions)
    assert _workspace(registry, other) == _workspace(registry, BATCH)
    with registry.engine.connect() as conn:
        assert rec.open_items(conn, other) == (0, 0)


def test_a_decision_on_no_open_field_refuses_the_whole_set(
    registry: Registry, tmp_path: Path
) -> None:
    team = digitization_team(registry)
    reconciled(registry, team, tmp_path)
    before = _workspace(registry, BATCH)
    queue = rec.adjudication_queue(registry, actor=team.adjudicator, batch_id=BATCH)
    d = queue["disagreements"][0]
    decisions = [
        Decision(d["page"], d["line"], d["field"], "محمد"),
        Decision(d["page"], d["line"] + 1000, d["field"], "محمد"),
    ]
    with pytest.raises(NotFound):
        adjudicate_many(
            registry, actor=team.adjudicator, batch_id=BATCH, decisions=decisions
        )
    with pytest.raises(Forbidden):
        adjudicate_many(
            registry, actor=team.first, batch_id=BATCH, decisions=decisions[:1]
        )
    assert _workspace(registry, BATCH) == before
