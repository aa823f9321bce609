"""A supervisor's province (quality, overdue notices, duplicates) and the rulings of
courts and prosecutors, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from sijill.domain.errors import Forbidden, InvalidInput
from sijill.domain.offices import SYSTEM, Actor
from sijill.quality.province import province_quality
from sijill.search import review
from sijill.services import offices
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.sync.centre import enroll_office, open_centre
from sijill.sync.justice import submit_ruling
from sijill.sync.overdue import overdue_notices
from sijill.sync.protocol import CENTRE
from tests.builders import FES, RABAT, Staffed, open_office, signed_birth
from tests.fakes import FakeClock

AIN_BIDA = "03.231.81.03"  # a rural commune of the province of Fès
COURT = Actor("tpi.fes", "court", None)
PROSECUTOR = Actor("parquet.fes", "prosecutor", None)
JUDGMENT = {"reference": "حكم عدد 1123/2026", "date": "2026-11-20"}


@dataclass
class Province:
    fes: Staffed
    rabat: Staffed
    ref: str
    supervisor: Actor
    other_supervisor: Actor


@pytest.fixture
def province(registry: Registry) -> Province:
    fes = open_office(registry)
    rabat = open_office(registry, RABAT)
    offices.create_office(registry, actor=SYSTEM, commune_code=AIN_BIDA)
    supervisors = []
    for office in (FES, RABAT):
        username = f"supervisor.{office[:2]}"
        offices.appoint_staff(
            registry,
            actor=SYSTEM,
            office=office,
            username=username,
            role="supervisor",
            full_name_ar="سعيد العمراني",
            full_name_fr="Said El Amrani",
        )
        supervisors.append(Actor(username, "supervisor", office))
    ref = str(signed_birth(registry, fes))
    open_centre(registry)  # the same database serves as the centre's replica here
    for code in (FES, RABAT):
        key = registry.keys.signer(code).public_key_hex
        enroll_office(registry, actor=SYSTEM, office=code, public_key=key)
    return Province(fes, rabat, ref, *supervisors)


def test_a_court_judgment_becomes_a_notice_to_the_office_holding_the_act(
    registry: Registry, province: Province
) -> None:
    record = submit_ruling(
        registry,
        actor=COURT,
        kind="correction_judgment",
        act=province.ref,
        source={**JUDGMENT, "authority": "prosecutor"},  # the actor's own counts
        data={"field": "child.first_name_lat", "value": "Mohammed"},
    )
    with registry.engine.connect() as conn:
        notice = conn.execute(select(t.notices)).one()
        recorded = conn.execute(select(t.recorded_events)).one()
        audited = conn.execute(
            select(t.audit_log).where(t.audit_log.c.action == "judgment.submit")
        ).one()
    assert (notice.target_office, notice.target_ref, notice.status) == (
        FES,
        province.ref,
        "issued",
    )
    assert notice.mention["source"]["authority"] == "court"
    assert notice.mention["data"] == {
        "field": "child.first_name_lat",
        "value": "Mohammed",
    }
    assert (recorded.office_code, recorded.record_id) == (CENTRE, record)
    assert (audited.username, audited.target) == ("tpi.fes", record)


def test_a_judgment_on_a_death_act_is_routed_to_it_and_written_on_it(
    registry: Registry, province: Province
) -> None:
    from datetime import timedelta

    from sijill.services import acts, drafts, queries
    from sijill.sync import office as remote
    from tests.builders import death

    rabat = province.rabat
    died = registry.now().date() - timedelta(days=1)
    draft = drafts.register_death(
        registry, actor=rabat.clerk, office=rabat.code, data=death(died)
    )
    ref = str(
        acts.sign_act(registry, actor=rabat.officer, office=RABAT, draft_id=draft)
    )
    with pytest.raises(InvalidInput) as wrong_field:  # a death act has no child
        submit_ruling(
            registry,
            actor=COURT,
            kind="correction_judgment",
            act=ref,
            source=JUDGMENT,
            data={"field": "child.first_name_lat", "value": "Aicha"},
        )
    assert [v.field for v in wrong_field.value.violations] == ["data.field"]
    with pytest.raises(InvalidInput) as malformed:
        submit_ruling(
            registry,
            actor=COURT,
            kind="correction_judgment",
            act="03.231.01.0/2026/X",
            source=JUDGMENT,
            data={"field": "death_place", "value": "فاس"},
        )
    assert [(v.field, v.rule) for v in malformed.value.violations] == [
        ("act", "act.ref_format")
    ]
    submit_ruling(
        registry,
        actor=COURT,
        kind="correction_judgment",
        act=ref,
        source=JUDGMENT,
        data={"field": "death_place", "value": "مستشفى ابن سينا، الرباط"},
    )
    with registry.engine.connect() as conn:
        notice = conn.execute(select(t.notices)).one()
    assert (notice.target_office, notice.target_ref, notice.status) == (
        RABAT,
        ref,
        "issued",
    )  # not the matching queue: the act is named
    remote.receive_notice(
        registry,
        office=RABAT,
        notice={**notice._asdict(), "source": notice.source or {}},
    )
    remote.apply_notice(
        registry, actor=rabat.officer, office=RABAT, notice_id=notice.notice_id
    )
    view = queries.get_act(registry, actor=rabat.officer, ref=ref)
    assert view.current["death_place"] == "مستشفى ابن سينا، الرباط"
    assert [m["kind"] for m in view.mentions] == ["correction_judgment"]


def test_each_authority_rules_on_its_own_and_bad_input_names_the_field(
    registry: Registry, province: Province
) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit_ruling(
            registry,
            actor=PROSECUTOR,
            kind="correction_judgment",
            act="nothing",
            source={"reference": "", "date": "2026-02-30"},
            data={"field": "sex", "value": "F"},
        )
    fields = {v.field for v in refused.value.violations}
    assert {"kind", "act", "source.date"} <= fields
    # A prosecutor authorizes clerical corrections only: never the sex.
    with pytest.raises(InvalidInput) as substantive:
        submit_ruling(
            registry,
            actor=PROSECUTOR,
            kind="correction_prosecutor",
            act=province.ref,
            source=JUDGMENT,
            data={"field": "sex", "value": "F"},
        )
    assert [v.field for v in substantive.value.violations] == ["data.field"]
    for actor in (province.fes.clerk, province.fes.officer, province.supervisor):
        with pytest.raises(Forbidden):
            submit_ruling(
                registry,
                actor=actor,
                kind="annulment",
                act=province.ref,
                source={**JUDGMENT, "authority": "court"},
                data={"reason": "رسم مكرر"},
            )
    with registry.engine.connect() as conn:
        assert conn.execute(select(t.notices)).all() == []


def test_a_supervisor_sees_the_overdue_notices_of_the_province(
    registry: Registry, province: Province, clock: FakeClock
) -> None:
    submit_ruling(
        registry,
        actor=PROSECUTOR,
        kind="correction_prosecutor",
        act=province.ref,
        source=JUDGMENT,
        data={"field": "child.first_name_lat", "value": "Mohammed"},
    )
    found = overdue_notices(registry, actor=province.supervisor)
    assert (found["province"], found["notices"]) == ("03.231", [])
    clock.advance(days=31)
    [late] = overdue_notices(registry, actor=province.supervisor)["notices"]
    assert (late["target_office"], late["kind"], late["state"]) == (
        FES,
        "correction_prosecutor",
        "issued",
    )
    assert overdue_notices(registry, actor=province.other_supervisor)["notices"] == []
    assert len(overdue_notices(registry, actor=SYSTEM)["notices"]) == 1
    with pytest.raises(Forbidden):
        overdue_notices(registry, actor=province.supervisor, province="04.421")
    with pytest.raises(Forbidden):
        overdue_notices(registry, actor=province.fes.clerk)


def test_a_supervisor_reads_quality_and_duplicates_of_the_province_only(
    registry: Registry, province: Province
) -> None:
    signed_birth(registry, province.fes)  # the same child, registered twice
    signed_birth(registry, province.rabat)
    assert review.queue_duplicates(registry, actor=province.fes.clerk) >= 1
    figures = province_quality(registry, actor=province.supervisor)
    assert figures["offices"] == sorted([FES, AIN_BIDA])
    assert {f["group"] for f in figures["figures"]} == {FES}
    assert figures["figures"][0]["suspected_duplicates"] >= 1
    other = province_quality(registry, actor=province.other_supervisor)
    assert {f["group"] for f in other["figures"]} == {RABAT}
    with pytest.raises(Forbidden):
        province_quality(registry, actor=province.supervisor, province="04.421")
    pairs = review.review_queue(registry, actor=province.supervisor)
    assert pairs and {p["office_code"] for p in pairs} == {FES}
    assert review.review_queue(registry, actor=province.other_supervisor) == []
    with pytest.raises(Forbidden):
        review.review_queue(registry, actor=province.supervisor, office=RABAT)


def test_a_declaratory_judgment_is_registered_as_an_act_by_the_office_it_names(
    registry: Registry, province: Province
) -> None:
    from datetime import timedelta

    from sijill.domain.errors import Conflict
    from sijill.services import acts, drafts, worklists
    from sijill.sync import office as remote
    from sijill.sync.justice import submit_declaratory_judgment
    from tests.builders import birth

    fes = province.fes
    born = registry.now().date() - timedelta(days=700)  # never declared
    declaration = birth(born, child__first_name_ar="سلمى", sex="F")
    declaration["child"]["first_name_lat"] = "Salma"
    judgment = {
        "court": "المحكمة الابتدائية بفاس",
        "number": "1456/2026",
        "date": "2026-11-02",
    }

    def submit(**changes: Any) -> str:
        given: dict[str, Any] = {
            "kind": "birth",
            "office": FES,
            "judgment": judgment,
            "declaration": declaration,
            **changes,
        }
        return submit_declaratory_judgment(registry, actor=COURT, **given)

    with pytest.raises(InvalidInput) as refused:
        submit(
            office=AIN_BIDA,  # not in the network yet
            judgment={**judgment, "number": ""},
            declaration={**declaration, "mother": None, "sex": "X"},
        )
    assert {v.field for v in refused.value.violations} == {
        "office",
        "judgment.number",
        "mother",
        "sex",
    }
    with pytest.raises(Forbidden):
        submit_declaratory_judgment(
            registry,
            actor=PROSECUTOR,
            kind="birth",
            office=FES,
            judgment=judgment,
            declaration=declaration,
        )
    with registry.engine.connect() as conn:
        assert conn.execute(select(t.notices)).all() == []

    submit()
    with registry.engine.connect() as conn:
        notice = conn.execute(select(t.notices)).one()
    assert (notice.kind, notice.target_office, notice.target_ref, notice.status) == (
        "declaratory_birth",
        FES,
        None,
        "issued",
    )
    assert notice.mention["source"]["reference"] == "1456/2026"
    remote.receive_notice(
        registry, office=FES, notice={**notice._asdict(), "source": notice.source}
    )
    (pending,) = remote.pending_notices(registry, actor=fes.officer, office=FES)
    assert pending["notice_id"] == notice.notice_id
    with pytest.raises(Conflict):  # no act to write on: it is drafted
        remote.apply_notice(
            registry, actor=fes.officer, office=FES, notice_id=notice.notice_id
        )
    (waiting,) = worklists.list_predeclarations(registry, actor=fes.clerk, office=FES)
    assert (waiting["predeclaration_id"], waiting["sender_kind"]) == (
        notice.notice_id,
        "court",
    )
    assert waiting["data"]["child"]["first_name_lat"] == "Salma"

    def draft() -> str:
        return drafts.draft_act(
            registry,
            actor=fes.clerk,
            office=FES,
            kind="birth",
            data=waiting["data"],
            predeclaration_id=notice.notice_id,
        )

    first = draft()
    drafts.cancel_draft(
        registry, actor=fes.clerk, office=FES, draft_id=first, reason="خطأ في الرقن"
    )
    # A court's judgment must still be carried out: it is back among the waiting.
    assert worklists.list_predeclarations(registry, actor=fes.clerk, office=FES)
    ref = acts.sign_act(registry, actor=fes.officer, office=FES, draft_id=draft())
    with registry.engine.connect() as conn:
        status = conn.execute(
            select(t.office_notices.c.status).where(
                t.office_notices.c.notice_id == notice.notice_id
            )
        ).scalar_one()
        act = conn.execute(select(t.acts).where(t.acts.c.ref == str(ref))).one()
    assert status == "applied"  # the judgment carried out, as the centre sees it
    assert act.data["judgment"]["number"] == "1456/2026"
    assert remote.pending_notices(registry, actor=fes.officer, office=FES) == []
    assert worklists.list_predeclarations(registry, actor=fes.clerk, office=FES) == []
