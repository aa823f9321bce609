"""Readable ways to set up a registry for a test: an office with staff, a declaration."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sijill.digitize.adjudication import Decision, adjudicate_many
from sijill.digitize.quality import draw_sample, review_act
from sijill.digitize.reconcile import adjudication_queue
from sijill.domain.identifiers import ActRef
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import acts, drafts, offices
from sijill.services.context import Registry

FES = "03.231.01.0"
RABAT = "04.421.01.0"


@dataclass(frozen=True)
class Staffed:
    """An open office and the people who work in it."""

    code: str
    officer: Actor
    delegate: Actor
    clerk: Actor


def open_office(reg: Registry, code: str = FES) -> Staffed:
    """Open the office of commune ``code`` with an officer, a delegate and a clerk."""
    offices.create_office(reg, actor=SYSTEM, commune_code=code)
    tag = code.replace(".", "")
    people = {}
    for role, ar, fr in (
        ("officer", "عبد الرحيم الفاسي", "Abderrahim El Fassi"),
        ("delegate", "نادية بنجلون", "Nadia Benjelloun"),
        ("clerk", "سعيد العمراني", "Said El Amrani"),
    ):
        username = f"{role}.{tag}"
        offices.appoint_staff(
            reg,
            actor=SYSTEM,
            office=code,
            username=username,
            role=role,
            full_name_ar=ar,
            full_name_fr=fr,
        )
        people[role] = Actor(username, role, code)
    return Staffed(code, people["officer"], people["delegate"], people["clerk"])


def birth(born: date, **changes: Any) -> dict[str, Any]:
    """A complete, valid birth declaration of a child born on ``born``."""
    data: dict[str, Any] = {
        "child": {
            "first_name_ar": "يوسف",
            "family_name_ar": "الإدريسي",
            "first_name_lat": "Youssef",
            "family_name_lat": "El Idrissi",
        },
        "sex": "M",
        "birth_date": born.isoformat(),
        "birth_time": "08:30",
        "birth_place": "المستشفى الجامعي الحسن الثاني، فاس",
        "birth_commune": FES,
        "father": {
            "first_name_ar": "أحمد",
            "family_name_ar": "الإدريسي",
            "first_name_lat": "Ahmed",
            "family_name_lat": "El Idrissi",
            "birth_date": "1988-04-02",
            "birth_place": "فاس",
            "profession": "أستاذ",
            "address": "حي النرجس، فاس",
            "nationality": "MA",
        },
        "mother": {
            "first_name_ar": "خديجة",
            "family_name_ar": "التازي",
            "first_name_lat": "Khadija",
            "family_name_lat": "Tazi",
            "birth_date": "1992-09-15",
            "birth_place": "مكناس",
            "profession": "ممرضة",
            "address": "حي النرجس، فاس",
            "nationality": "MA",
        },
        "declarant": {
            "full_name": "أحمد الإدريسي",
            "relationship": "father",
            "id_document": "C123456",
        },
    }
    for path, value in changes.items():
        node = data
        keys = path.split("__")
        for key in keys[:-1]:
            node = node[key]
        if value is None:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    return copy.deepcopy(data)


def death(died: date, **extra: Any) -> dict[str, Any]:
    """A complete, valid death declaration of someone who died on ``died``."""
    data: dict[str, Any] = {
        "deceased": {
            "first_name_ar": "عائشة",
            "family_name_ar": "بناني",
            "first_name_lat": "Aicha",
            "family_name_lat": "Bennani",
        },
        "sex": "F",
        "birth_date": "1941-02-11",
        "birth_place": "فاس",
        "nationality": "MA",
        "death_date": died.isoformat(),
        "death_time": "06:10",
        "death_place": "منزلها، فاس",
        "father_name": "محمد بناني",
        "mother_name": "زينب العلوي",
        "declarant": {"full_name": "عمر بناني", "relationship": "child"},
    }
    data.update(extra)
    return data


def days_ago(reg: Registry, days: int = 3) -> date:
    """The registry's today less ``days``: a date that stays valid on the real clock
    of the end-to-end tests, whatever day they run."""
    return reg.now().date() - timedelta(days=days)


def signed_birth(
    reg: Registry,
    office: Staffed,
    *,
    days_old: int = 3,
    born: date | None = None,
    **changes: Any,
) -> ActRef:
    """Register and sign a birth in ``office`` (born ``days_old`` days before the
    registry's today unless ``born`` says when); returns the act reference."""
    born = born or days_ago(reg, days_old)
    draft = drafts.register_birth(
        reg, actor=office.clerk, office=office.code, data=birth(born, **changes)
    )
    return acts.sign_act(reg, actor=office.officer, office=office.code, draft_id=draft)


def marriage(on: date) -> dict[str, Any]:
    """A marriage mention drawn up by adouls on ``on``."""
    return {
        "kind": "marriage",
        "source": {
            "authority": "adouls",
            "reference": "عقد زواج عدد 345 صحيفة 12",
            "date": on.isoformat(),
        },
        "data": {
            "spouse": {
                "first_name_ar": "سلمى",
                "family_name_ar": "برادة",
                "first_name_lat": "Salma",
                "family_name_lat": "Berrada",
            },
            "event_date": on.isoformat(),
            "place": "فاس",
        },
    }


def accept_batch(
    reg: Registry,
    *,
    adjudicator: Actor,
    reviewer: Actor,
    batch_id: str,
    scan: dict[tuple[int, int], dict[str, str]],
) -> None:
    """The human steps of a reconciled batch: its queue decided at once with the
    values the scan gives ((page, line) → fields), its sample found right."""
    queue = adjudication_queue(reg, actor=adjudicator, batch_id=batch_id, limit=10_000)
    adjudicate_many(
        reg,
        actor=adjudicator,
        batch_id=batch_id,
        decisions=scanned_decisions(queue["disagreements"], scan),
    )
    for a in draw_sample(reg, actor=reviewer, batch_id=batch_id)["acts"]:
        review_act(
            reg,
            actor=reviewer,
            batch_id=batch_id,
            page=a["page"],
            line=a["line"],
            errors=[],
        )


def scanned_decisions(
    disagreements: list[dict[str, Any]], scan: dict[tuple[int, int], dict[str, str]]
) -> list[Decision]:
    """A decision for each disagreement: the value the scan gives ((page, line) →
    fields; an empty value where it gives none)."""
    return [
        Decision(
            d["page"],
            d["line"],
            d["field"],
            scan[(d["page"], d["line"])].get(d["field"], ""),
        )
        for d in disagreements
    ]
