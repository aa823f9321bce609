"""Searching signed acts by name across scripts and spellings, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from sijill.cli.app import app as cli_app
from sijill.domain.errors import Conflict, Forbidden, InvalidInput
from sijill.domain.identifiers import ActRef
from sijill.domain.offices import SYSTEM, Actor
from sijill.search import postings, review, windows
from sijill.search import query as search_query
from sijill.search.criteria import read_criteria
from sijill.search.dedup import (
    find_duplicates,
    office_persons,
    person_of,
    probable_duplicates,
)
from sijill.search.index import (
    PERSON_NAMES,
    base_token,
    in_year,
    index_table,
    indexed_tokens,
    parents_of,
)
from sijill.search.postings import TokenStats
from sijill.search.ranking import names_of, person_names
from sijill.search.service import reindex_names, search_acts
from sijill.search.tables import name_index
from sijill.services import acts, drafts, journal
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.synthetic import Generator
from sijill.web.app import create_app
from tests.builders import RABAT, Staffed, birth, open_office, signed_birth

NATIONAL = Actor("inspector", "ministry", None)


def _child(ar: tuple[str, str], lat: tuple[str, str], sex: str = "M") -> dict[str, Any]:
    return {
        "child__first_name_ar": ar[0],
        "child__family_name_ar": ar[1],
        "child__first_name_lat": lat[0],
        "child__family_name_lat": lat[1],
        "sex": sex,
    }


@dataclass
class Registers:
    """Two offices with a few signed births each."""

    fes: Staffed
    rabat: Staffed
    youssef: ActRef
    mohammed: ActRef
    ali: ActRef
    karima: ActRef
    rabat_mohamed: ActRef


@pytest.fixture
def registers(registry: Registry) -> Registers:
    fes, rabat = open_office(registry), open_office(registry, RABAT)
    youssef = signed_birth(registry, fes, days_old=3)
    mohammed = signed_birth(
        registry,
        fes,
        days_old=10,
        **_child(("محمد", "العلوي"), ("Mohammed", "Alaoui")),
        mother__first_name_ar="فاطمة",
        mother__family_name_ar="بناني",
        mother__first_name_lat="Fatima",
        mother__family_name_lat="Bennani",
    )
    ali = signed_birth(
        registry, fes, days_old=20, **_child(("علي", "العمراني"), ("Ali", "El Amrani"))
    )
    karima = signed_birth(
        registry,
        fes,
        days_old=5,
        **_child(("كريمة", "التازي"), ("Karima", "Tazi"), "F"),
    )
    rabat_mohamed = signed_birth(
        registry, rabat, days_old=7, **_child(("محمد", "العلوي"), ("Mohamed", "Alaoui"))
    )
    return Registers(fes, rabat, youssef, mohammed, ali, karima, rabat_mohamed)


def _refs(reg: Registry, actor: Actor, **query: Any) -> list[str]:
    return [h.ref for h in search_acts(reg, actor=actor, **query).hits]


# --- names across scripts and spellings ---------------------------------------------


def test_a_birth_is_found_by_any_spelling_in_either_script(
    registry: Registry, registers: Registers
) -> None:
    for asked in ("Youssef El Idrissi", "يوسف الادريسي", "Yousef Idrissi", "Drissi"):
        result = search_acts(registry, actor=registers.fes.clerk, name=asked)
        assert [h.ref for h in result.hits] == [str(registers.youssef)], asked
        assert result.hits[0].score >= 0.85, asked
        assert result.hits[0].reasons[0].startswith("name: "), asked


def test_the_centre_finds_the_same_person_in_every_office(
    registry: Registry, registers: Registers
) -> None:
    found = _refs(registry, NATIONAL, name="Mohamed Alaoui")
    assert set(found) == {str(registers.mohammed), str(registers.rabat_mohamed)}
    assert _refs(registry, NATIONAL, name="محمد العلوي") == found


def test_an_office_sees_only_its_own_acts(
    registry: Registry, registers: Registers
) -> None:
    assert _refs(registry, registers.rabat.clerk, name="Mohamed Alaoui") == [
        str(registers.rabat_mohamed)
    ]
    with pytest.raises(Forbidden):
        search_acts(
            registry,
            actor=registers.rabat.clerk,
            name="Alaoui",
            office=registers.fes.code,
        )


def test_a_prefix_finds_the_names_that_begin_with_it_and_ali_is_not_alaoui(
    registry: Registry, registers: Registers
) -> None:
    found = _refs(registry, registers.fes.clerk, name="Moh*")
    assert found == [str(registers.mohammed)]
    assert _refs(registry, registers.fes.clerk, name="كري*") == [str(registers.karima)]
    # Ali is not Alaoui, though both skeletons hold one l.
    assert _refs(registry, registers.fes.clerk, name="Ali") == [str(registers.ali)]


def test_two_words_are_found_in_any_order_and_with_a_prefix(
    registry: Registry, registers: Registers
) -> None:
    both = {str(registers.mohammed), str(registers.rabat_mohamed)}
    assert set(_refs(registry, NATIONAL, name="Alaoui Mohamed")) == both
    assert set(_refs(registry, NATIONAL, name="العلوي محمد")) == both
    assert _refs(registry, registers.fes.clerk, name="Mohamed Ala*") == [
        str(registers.mohammed)
    ]
    assert _refs(registry, registers.fes.clerk, name="Ali Alaoui") == []
    # The index holds the first 3 and 5 letters of a word; a prefix between is
    # checked on the act: Alaz* meets the three letters of Alaoui, not the name.
    assert _refs(registry, NATIONAL, name="Mohamed Alaz*") == []
    assert _refs(registry, NATIONAL, name="Alaou*") != []
    # "Ala*" reads the first three letters of the Latin family name's key.
    act = _act(registry, registers.mohammed)
    year = act.event_date.year
    assert _token("person", "lat3", "ala", year) in _tokens_of(registry, act)


def test_parents_names_are_searched_in_their_own_role(
    registry: Registry, registers: Registers
) -> None:
    by_mother = _refs(registry, registers.fes.clerk, mother="فاطمة بناني")
    assert by_mother == [str(registers.mohammed)]
    assert _refs(registry, registers.fes.clerk, name="Fatima Bennani") == []
    fathers = _refs(registry, registers.fes.clerk, father="Ahmed El Idrissi")
    assert len(fathers) == 5 - 1  # every Fès birth of the builder but none of Rabat
    hits = search_acts(registry, actor=registers.fes.clerk, father="Ahmed Idrissi").hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.reasons for h in hits)


# --- other criteria ------------------------------------------------------------------


def test_sex_date_range_and_place_narrow_the_search(
    registry: Registry, registers: Registers
) -> None:
    clerk = registers.fes.clerk
    today = registry.now().date()
    assert _refs(registry, clerk, father="Ahmed", sex="F") == [str(registers.karima)]
    recent = _refs(
        registry,
        clerk,
        date_from=(today - timedelta(days=6)).isoformat(),
        date_to=today.isoformat(),
    )
    assert set(recent) == {str(registers.youssef), str(registers.karima)}
    in_rabat_region = _refs(registry, NATIONAL, name="Alaoui", place="04")
    assert in_rabat_region == [str(registers.rabat_mohamed)]
    in_fes_province = _refs(registry, NATIONAL, name="Alaoui", place="03.231")
    assert in_fes_province == [str(registers.mohammed)]


def test_an_act_is_found_by_reference_and_by_civil_identifier(
    registry: Registry, registers: Registers
) -> None:
    assert _refs(registry, NATIONAL, ref=str(registers.ali).lower()) == [
        str(registers.ali)
    ]
    with registry.engine.connect() as conn:
        civil_id = conn.execute(
            select(t.acts.c.civil_id).where(t.acts.c.ref == str(registers.karima))
        ).scalar_one()
    hits = search_acts(registry, actor=NATIONAL, civil_id=civil_id).hits
    assert [h.ref for h in hits] == [str(registers.karima)]
    assert hits[0].reasons == [f"civil identifier {civil_id}"]


def test_results_are_paginated(registry: Registry, registers: Registers) -> None:
    clerk = registers.fes.clerk
    first = search_acts(registry, actor=clerk, father="Ahmed", page_size=3)
    second = search_acts(registry, actor=clerk, father="Ahmed", page=2, page_size=3)
    assert first.total == second.total == 4
    assert len(first.hits) == 3 and len(second.hits) == 1
    assert not {h.ref for h in first.hits} & {h.ref for h in second.hits}


def test_a_search_is_audited_with_its_criteria(
    registry: Registry, registers: Registers
) -> None:
    search_acts(registry, actor=registers.fes.clerk, name="Karima", sex="F")
    with registry.engine.connect() as conn:
        rows = conn.execute(
            select(t.audit_log).where(t.audit_log.c.action == "act.search")
        ).all()
    assert len(rows) == 1
    assert rows[0].username == registers.fes.clerk.username
    assert rows[0].office_code == registers.fes.code
    assert rows[0].detail["criteria"] == {
        "names": {"name": "karima"},
        "sex": "F",
        "page": 1,
    }
    assert rows[0].detail["shown"] == [str(registers.karima)]


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "query"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "ال"}, "name"),
        ({"name": "El"}, "name"),
        ({"name": "Ben"}, "name"),
        ({"name": "Ben El"}, "name"),
        ({"name": "12345"}, "name"),
        ({"name": "%%%"}, "name"),
        ({"name": "M*"}, "name"),
        ({"name": "El Mo*"}, "name"),
        ({"name": "a" * 101}, "name"),
        ({"name": "Ali\x00"}, "name"),
        ({"mother": "Fatima", "sex": "X"}, "sex"),
        ({"sex": "M"}, "query"),
        ({"name": "Ali", "date_from": "2026-02-30"}, "date_from"),
        ({"date_from": "2026-10-01", "date_to": "2026-01-01"}, "date_to"),
        ({"name": "Ali", "page_size": 100_000}, "page_size"),
        ({"name": "Ali", "page": 0}, "page"),
        ({"name": "Ali", "page": 400, "page_size": 100}, "page"),
        ({"ref": "'; DROP TABLE acts; --"}, "ref"),
        ({"civil_id": "1234567891"}, "civil_id"),
        ({"name": "Ali", "place": "03' OR 1=1 --"}, "place"),
    ],
)
def test_bad_queries_are_refused_naming_the_field(
    query: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_criteria(query)
    assert field in [v.field for v in refused.value.violations]


def test_a_refused_search_reads_nothing_and_injection_is_only_a_name(
    registry: Registry, registers: Registers
) -> None:
    with pytest.raises(InvalidInput) as refused:
        search_acts(registry, actor=NATIONAL, name="El", page_size=10_000)
    assert [v.field for v in refused.value.violations] == ["name", "page_size"]
    with registry.engine.connect() as conn:
        searches = conn.execute(
            select(func.count())
            .select_from(t.audit_log)
            .where(t.audit_log.c.action == "act.search")
        ).scalar_one()
    assert searches == 0
    for hostile in ("Robert'); DROP TABLE acts;--", "x' OR '1'='1"):
        assert _refs(registry, NATIONAL, name=hostile) == [], hostile
    assert _refs(registry, NATIONAL, name="Ali' --") == [str(registers.ali)]
    assert len(_refs(registry, NATIONAL, name="Alaoui")) == 2


# --- the keys as a projection ----------------------------------------------------------


def _keys(reg: Registry) -> dict[str, set[int]]:
    with reg.engine.connect() as conn:
        return indexed_tokens(conn)


def _act(reg: Registry, ref: ActRef) -> Any:
    with reg.engine.connect() as conn:
        return conn.execute(select(t.acts).where(t.acts.c.ref == str(ref))).one()


def _tokens_of(reg: Registry, act: Any) -> set[int]:
    return _keys(reg)[act.act_id]


def _token(role: str, kind: str, key: str, year: int) -> int:
    return in_year(base_token(role, kind, key), year)


def test_a_rebuild_and_a_reindex_give_back_the_same_keys(
    registry: Registry, registers: Registers
) -> None:
    before = _keys(registry)
    assert before
    journal.rebuild_state(registry, actor=SYSTEM)
    assert _keys(registry) == before
    assert reindex_names(registry, actor=SYSTEM) == 5
    assert _keys(registry) == before
    _assert_index_names(registry)
    with pytest.raises(Forbidden):
        reindex_names(registry, actor=registers.fes.officer)


def test_a_search_ranks_by_the_same_names_without_reading_the_declaration(
    registry: Registry, registers: Registers
) -> None:
    with registry.engine.connect() as conn:
        rows = conn.execute(select(t.acts)).all()
    assert rows
    for row in rows:
        assert person_names(row) == names_of("name", row.kind, row.data), row.ref
    _assert_index_names(registry)
    # Asked for a parent, the search reads the declaration; else only the columns.
    assert _refs(registry, NATIONAL, name="Mohammed", mother="فاطمة بناني") == [
        str(registers.mohammed)
    ]


def _assert_index_names(registry: Registry) -> None:
    # PostgreSQL's index rows hold the names a search ranks by: the acts' own.
    if registry.engine.dialect.name != "postgresql":
        return
    with registry.engine.connect() as conn:
        acts_names = {
            r.act_id: (*(getattr(r, n) for n in PERSON_NAMES), parents_of(r.data))
            for r in conn.execute(select(t.acts))
        }
        held = {
            r.act_id: (*(getattr(r, n) for n in PERSON_NAMES), r.parents)
            for r in conn.execute(select(name_index))
        }
    assert acts_names and held == acts_names
    assert any(parents for *_, parents in held.values())


def test_keys_are_derived_and_the_act_keeps_what_was_registered(
    registry: Registry, registers: Registers
) -> None:
    act = _act(registry, registers.mohammed)
    tokens = _tokens_of(registry, act)
    year = act.event_date.year
    assert (act.first_name_ar, act.first_name_lat) == ("محمد", "Mohammed")
    for role, kind, key in (
        ("person", "sk", "mhmd"),
        ("person", "lat", "muhamad"),
        ("person", "ar", "محمد"),
        ("mother", "ar", "بناني"),
    ):
        assert _token(role, kind, key, year) in tokens, key
        # Filed under the act's year: another year's token is another key.
        assert _token(role, kind, key, year - 1) not in tokens, key
    assert _token("father", "ar", "بناني", year) not in tokens
    assert len(_keys(registry)) == 5


# --- the command line and the API --------------------------------------------------------


def _cli(monkeypatch: pytest.MonkeyPatch, registry: Registry, *args: str) -> Any:
    # The command runs on the test's registry (its database, keys and clock).
    monkeypatch.setattr("sijill.cli.common.bootstrap", lambda settings: registry)
    return CliRunner().invoke(cli_app, list(args))


def test_the_search_command_prints_json(
    registry: Registry, registers: Registers, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = _cli(
        monkeypatch,
        registry,
        "search",
        "acts",
        "--name",
        "محمد العلوي",
        "--json",
        "--as",
        registers.fes.clerk.username,
    )
    assert done.exit_code == 0, done.output
    body = json.loads(done.output)
    assert [h["ref"] for h in body["hits"]] == [str(registers.mohammed)]
    refused = _cli(monkeypatch, registry, "search", "acts", "--name", "El")
    assert refused.exit_code == 2


def test_the_search_api_answers_json_and_names_bad_fields(
    registry: Registry, registers: Registers
) -> None:
    from sijill.auth.tokens import issue_token
    from sijill.domain.offices import SYSTEM

    client = TestClient(create_app(registry))
    assert client.get("/api/search", params={"name": "Karima"}).status_code == 401
    token = issue_token(registry, actor=SYSTEM, name="inspection", role="ministry")
    client.headers["authorization"] = f"Bearer {token}"
    found = client.get("/api/search", params={"name": "Karima Tazi"})
    assert found.status_code == 200
    assert [h["ref"] for h in found.json()["hits"]] == [str(registers.karima)]
    refused = client.get("/api/search", params={"name": "ال", "page_size": "many"})
    assert refused.status_code == 422
    fields = {v["field"] for v in refused.json()["violations"]}
    assert fields == {"name", "page_size"}


@pytest.fixture
def pairs_file(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["a", "b"])
        writer.writerows([["محمد", "Mohamed"], ["Ali", "العلوي"], ["Karim", "Karima"]])
    return path


def test_names_compare_prints_a_similarity_and_a_verdict(pairs_file: Path) -> None:
    one = CliRunner().invoke(cli_app, ["names", "compare", "عبد الله", "Abdellah"])
    assert one.exit_code == 0
    similarity, verdict, *_ = one.output.split("\t")
    assert float(similarity) >= 0.85 and verdict == "same"
    many = CliRunner().invoke(cli_app, ["names", "compare", "--pairs", str(pairs_file)])
    assert many.exit_code == 0
    verdicts = [line.split("\t")[1] for line in many.output.splitlines()]
    assert verdicts == ["same", "different", "maybe"]


def test_names_compare_refuses_a_file_without_the_columns(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n", encoding="utf-8")
    done = CliRunner().invoke(cli_app, ["names", "compare", "--pairs", str(bad)])
    assert done.exit_code == 2


# --- duplicates ---------------------------------------------------------------------------


def _declaration_of_mohammed(reg: Registry, **changes: Any) -> dict[str, Any]:
    born = reg.now().date() - timedelta(days=10)
    spelled = {
        **_child(("محمد", "العلوى"), ("Mohamed", "El Alaoui")),
        "mother__first_name_ar": "فاطمه",
        "mother__family_name_ar": "بناني",
        "mother__first_name_lat": "Fatima",
        "mother__family_name_lat": "Benani",
        **changes,
    }
    return birth(born, **spelled)


def test_a_birth_already_registered_under_another_spelling_is_flagged(
    registry: Registry, registers: Registers
) -> None:
    declaration = _declaration_of_mohammed(registry)
    with registry.engine.connect() as conn:
        found = probable_duplicates(conn, declaration)
    assert found[0].ref == str(registers.mohammed)
    assert found[0].verdict == "probable"
    # Rabat's Mohamed Alaoui, born three days apart of another mother, is at most
    # "possible": shown to the officer, never called the same person.
    assert all(c.verdict == "possible" for c in found[1:])
    assert any("same birth date" in r for r in found[0].reasons)


def test_two_namesakes_born_the_same_year_are_not_the_same_person(
    registry: Registry, registers: Registers
) -> None:
    other = _declaration_of_mohammed(
        registry,
        mother__first_name_ar="سعاد",
        mother__family_name_ar="الشامي",
        mother__first_name_lat="Souad",
        mother__family_name_lat="Chami",
        father__first_name_ar="عمر",
        father__first_name_lat="Omar",
    )
    other["birth_date"] = (registry.now().date() - timedelta(days=200)).isoformat()
    with registry.engine.connect() as conn:
        assert probable_duplicates(conn, other) == []


def test_the_persons_of_an_office_are_read_as_from_the_whole_act(
    registry: Registry, registers: Registers
) -> None:
    with registry.engine.connect() as conn:
        whole = {
            r.ref: person_of(r.kind, r.data)
            for r in conn.execute(select(t.acts).where(t.acts.c.kind == "birth"))
        }
        read = dict(office_persons(conn))
        fes = dict(office_persons(conn, registers.fes.code))
    assert read == whole and len(whole) >= 2
    assert any(p.mother_first and p.father_first for p in read.values())
    assert fes and set(fes) < set(read) and all(whole[r] == p for r, p in fes.items())


def test_batch_detection_finds_second_keyings_and_spares_namesakes() -> None:
    gen = Generator(seed=66)
    rng = random.Random(6)
    births = [d for _, d in gen.births(1500, date(2019, 1, 1), date(2019, 12, 31))]
    people = [(f"a{i}", person_of("birth", d)) for i, d in enumerate(births)]
    truth = set()
    fields = ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat")
    for k, i in enumerate(rng.sample(range(len(births)), 75)):
        again = gen.keying_variant({f: births[i]["child"][f] for f in fields})
        keyed = {**births[i], "child": {**births[i]["child"], **again}}
        people.append((f"d{k}", person_of("birth", keyed)))
        truth.add(frozenset((f"a{i}", f"d{k}")))
    found = {frozenset((p.left, p.right)) for p in find_duplicates(people)}
    true_positives = len(found & truth)
    assert true_positives / len(truth) >= 0.97  # recall
    assert true_positives / max(len(found), 1) >= 0.97  # precision


def test_suspected_duplicates_are_reviewed_and_decisions_recorded(
    registry: Registry, registers: Registers
) -> None:
    office = registers.fes
    draft = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=_declaration_of_mohammed(registry),
    )
    again = acts.sign_act(
        registry, actor=office.officer, office=office.code, draft_id=draft
    )
    assert review.queue_duplicates(registry, actor=office.clerk) == 1
    assert review.queue_duplicates(registry, actor=office.clerk) == 0
    [pending] = review.review_queue(registry, actor=office.clerk)
    assert {pending["left"]["ref"], pending["right"]["ref"]} == {
        str(registers.mohammed),
        str(again),
    }
    assert pending["reasons"]
    with pytest.raises(Forbidden):
        review.decide(
            registry,
            actor=office.clerk,
            review_id=pending["review_id"],
            decision="same",
        )
    outcome = review.decide(
        registry, actor=office.officer, review_id=pending["review_id"], decision="same"
    )
    assert "judgment" in outcome
    with pytest.raises(Conflict):
        review.decide(
            registry,
            actor=office.officer,
            review_id=pending["review_id"],
            decision="not_same",
        )
    assert review.review_queue(registry, actor=office.clerk) == []
    [decided] = review.review_queue(registry, actor=office.clerk, status="same")
    assert decided["decided_by"] == office.officer.username
    [figures] = review.quality_figures(registry, actor=office.clerk)
    assert figures["births"] == 5
    assert figures["confirmed_duplicates"] == 1
    assert figures["timeliness"] == 1.0
    assert figures["completeness_father"] == 1.0


def test_the_officer_is_warned_of_a_probable_duplicate_before_signing(
    registry: Registry,
) -> None:
    from sijill.search.service import draft_duplicates
    from sijill.services import drafts
    from tests.builders import birth

    office = open_office(registry)
    first = signed_birth(registry, office, days_old=3)
    again = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=birth(
            registry.now().date() - timedelta(days=3), child__first_name_lat="Yousef"
        ),  # keyed again, spelled otherwise
    )
    found = draft_duplicates(
        registry, actor=office.officer, office=office.code, draft_id=again
    )
    assert [c.ref for c in found] == [str(first)]
    other = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=birth(
            registry.now().date() - timedelta(days=3),
            child__first_name_ar="سلمى",
            child__first_name_lat="Salma",
            sex="F",
        ),
    )
    assert (
        draft_duplicates(
            registry, actor=office.officer, office=office.code, draft_id=other
        )
        == []
    )


def test_a_search_finds_the_same_acts_whichever_token_sets_the_index_intersects(
    registry: Registry, registers: Registers, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries: list[dict[str, Any]] = [
        {"name": "Mohamed Alaoui"},
        {"name": "محمد", "mother": "فاطمة بناني"},
        {"name": "Alaou*"},
        {"name": "Karima Tazi", "date_from": "2000-01-01"},
        {"father": "أحمد الإدريسي"},
        {"name": "Mohammed", "father": "Ahmed Idrissi"},
    ]
    every = [_refs(registry, NATIONAL, **q) for q in queries]
    assert all(every)
    # The pair of a father's two words narrows what the index reads, not what is found.
    with monkeypatch.context() as without_pairs:
        without_pairs.setattr(search_query, "pair_groups", lambda role, words: [])
        assert [_refs(registry, NATIONAL, **q) for q in queries] == every
    if registry.engine.dialect.name != "postgresql":
        return  # SQLite's index intersects every set
    # Every token as common as can be, and rows free to read: the index intersects
    # the rarest set only and the others are checked on the rows it finds.
    monkeypatch.setattr(postings, "ROW_COST", 0.0)
    monkeypatch.setattr(
        search_query, "token_stats", lambda conn: TokenStats({}, 0.5, 1000.0)
    )
    assert [_refs(registry, NATIONAL, **q) for q in queries] == every
    # Nor which windows of months it reads: here a month or a year each.
    monkeypatch.setattr(windows, "YEARS_AT_ONCE", 1)
    monkeypatch.setattr(windows, "MARGIN", 0.001)
    assert [_refs(registry, NATIONAL, **q) for q in queries] == every


def test_the_statistics_of_the_tokens_are_postgresqls_own(
    registry: Registry, registers: Registers
) -> None:
    if registry.engine.dialect.name != "postgresql":
        return  # SQLite's index intersects every set, with no statistics
    postings._cache.clear()
    with registry.engine.connect() as conn:
        assert postings.token_stats(conn) is None  # never analyzed yet
    with registry.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE name_index")
    postings._cache.clear()
    with registry.engine.connect() as conn:
        stats = postings.token_stats(conn)
        held = indexed_tokens(conn)
    assert stats is not None and stats.rows == 5
    # The years it knows acts of: those of the acts' dates.
    with registry.engine.connect() as conn:
        dates = conn.exec_driver_sql("SELECT event_date FROM name_index").scalars()
        assert stats.years and stats.years <= {d.year for d in dates}
    # The month of the acts (all signed this month or last) is held by several.
    assert stats.common and set(stats.common) <= set().union(*held.values())
    assert all(0 < f <= 1 for f in stats.common.values()) and stats.other > 0
    # Ten thousand of the most common tokens are kept (migration 0022), not a thousand.
    with registry.engine.connect() as conn:
        target = conn.exec_driver_sql(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'name_index'::regclass AND attname = 'tokens'"
        ).scalar()
    assert target == 1000


def test_the_name_index_is_read_without_compiling_the_statements(
    registry: Registry, registers: Registers
) -> None:
    if registry.engine.dialect.name != "postgresql":
        pytest.skip("SQLite compiles no statement")
    groups = search_query.groups_of(read_criteria({"name": "Mohamed Alaoui"}))

    def plan(conn: Any) -> str:
        sql = search_query.keyed(conn, groups, range(1990, 2030)).compile(conn)
        found = conn.exec_driver_sql(
            f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", sql.params
        )
        return json.dumps(found.scalar())

    with registry.engine.begin() as conn:
        # Any statement costs more than this: JIT compiles it where it may.
        conn.exec_driver_sql("SET LOCAL jit_above_cost = 0")
        if conn.exec_driver_sql("SELECT pg_jit_available()").scalar():
            assert '"JIT"' in plan(conn)
        with search_query.index_scans(conn):
            assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
            assert '"JIT"' not in plan(conn)
        # The settings end with the block.
        assert conn.exec_driver_sql("SHOW jit").scalar() == "on"


def test_migration_0025_indexes_again_the_acts_holding_ben_and_abd_glued(
    registry: Registry, registers: Registers
) -> None:
    from alembic import command

    from sijill.store.schema import alembic_config, upgrade

    glued = signed_birth(
        registry,
        registers.fes,
        days_old=2,
        **_child(("آية", "بنعبد الله"), ("Aya", "Benabd Allah"), "F"),
    )
    before = _keys(registry)
    act = _act(registry, glued)
    with registry.engine.begin() as conn:
        config = alembic_config(registry.engine)
        config.attributes["connection"] = conn
        command.downgrade(config, "0024")
        # As the older code left them: none of the tokens (nor of the other acts,
        # which the migration must leave as they are).
        table = index_table(conn)
        conn.execute(delete(table))
    upgrade(registry.engine)
    assert _keys(registry) == {act.act_id: before[act.act_id]}
    for asked in ("آية بنعبد الله", "آية بن عبد الله", "Aya Ben Abdallah"):
        assert _refs(registry, NATIONAL, name=asked) == [str(glued)], asked
