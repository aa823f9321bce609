"""Marginal mentions: every change to an act after it is signed.

A mention never rewrites the act; the act's *current state* is the act as signed
with its mentions applied in order, computed here and never stored in its place.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sijill.domain.acts import read_names
from sijill.domain.parse import Reader

AUTHORITIES = ("adouls", "court", "prosecutor", "interior", "consulate", "officer")

_NAME_FIELDS = ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat")
_LATIN_FIELDS = tuple(
    f"{who}.{f}"
    for who in ("child", "father", "mother", "deceased")
    for f in ("first_name_lat", "family_name_lat")
)
_BIRTH_FIELDS = (
    *(f"child.{f}" for f in _NAME_FIELDS),
    "sex",
    "birth_date",
    "birth_time",
    "birth_place",
    *(f"father.{f}" for f in _NAME_FIELDS),
    *(f"mother.{f}" for f in _NAME_FIELDS),
    "father.birth_place",
    "mother.birth_place",
    "father.birth_date",
    "mother.birth_date",
)
_DEATH_FIELDS = (
    *(f"deceased.{f}" for f in _NAME_FIELDS),
    "sex",
    "death_date",
    "death_time",
    "death_place",
    "birth_date",
    "birth_place",
)
_SUBSTANTIVE = {
    "sex",
    "birth_date",
    "death_date",
    "father.birth_date",
    "mother.birth_date",
}


@dataclass(frozen=True)
class MentionKind:
    """What a mention of this kind may say, on which acts, from which authority."""

    name: str
    acts: tuple[str, ...]
    authorities: tuple[str, ...]
    label_ar: str
    label_fr: str


MENTION_KINDS = {
    k.name: k
    for k in (
        MentionKind(
            "marriage", ("birth",), ("adouls", "court", "consulate"), "زواج", "mariage"
        ),
        MentionKind(
            "divorce", ("birth",), ("adouls", "court", "consulate"), "طلاق", "divorce"
        ),
        MentionKind(
            "death", ("birth",), ("officer", "court", "consulate"), "وفاة", "décès"
        ),
        MentionKind(
            "correction_judgment",
            ("birth", "death"),
            ("court",),
            "تصحيح بحكم قضائي",
            "rectification par jugement",
        ),
        MentionKind(
            "correction_prosecutor",
            ("birth", "death"),
            ("prosecutor",),
            "تصحيح بإذن من النيابة العامة",
            "rectification autorisée par le parquet",
        ),
        MentionKind(
            "latin_transcription",
            ("birth", "death"),
            ("interior",),
            "تغيير الكتابة بالحروف اللاتينية",
            "changement de transcription latine",
        ),
        MentionKind(
            "recognition",
            ("birth",),
            ("adouls", "court"),
            "إقرار بالبنوة",
            "reconnaissance de filiation",
        ),
        MentionKind(
            "annulment",
            ("birth", "death"),
            ("court",),
            "إلغاء الرسم",
            "annulation de l'acte",
        ),
    )
}


def correctable_fields(mention: str, act_kind: str) -> tuple[str, ...]:
    """The fields a correction mention of this kind may change on an act of this kind."""
    fields = _BIRTH_FIELDS if act_kind == "birth" else _DEATH_FIELDS
    if mention == "latin_transcription":
        return tuple(f for f in fields if f in _LATIN_FIELDS)
    if mention == "correction_prosecutor":
        return tuple(f for f in fields if f not in _SUBSTANTIVE)
    return fields


@dataclass(frozen=True)
class MentionContent:
    """A parsed mention: its kind, its source and what it says."""

    kind: str
    authority: str
    source_ref: str
    source_date: date
    data: dict[str, Any]


def _read_body(r: Reader, kind: str, act_kind: str) -> dict[str, Any]:
    if kind in ("marriage", "divorce"):
        spouse_r = r.child("spouse")
        spouse = read_names(spouse_r) if spouse_r else None
        event = r.date("event_date")
        place = r.optional_text("place", max_length=160)
        spouse_ref = r.optional_text("spouse_birth_act_ref", max_length=40)
        return {
            "spouse": spouse,
            "event_date": event,
            "place": place,
            "spouse_birth_act_ref": spouse_ref,
        }
    if kind == "death":
        return {
            "death_date": r.date("death_date"),
            "death_place": r.text("death_place", max_length=160),
            "death_act_ref": r.optional_text("death_act_ref", max_length=40),
        }
    if kind == "recognition":
        father_r = r.child("father")
        return {"father": read_names(father_r) if father_r else None}
    if kind == "annulment":
        return {"reason": r.text("reason", max_length=400)}
    target = r.choice("field", correctable_fields(kind, act_kind))
    value: object = None
    if target.endswith("_date"):
        value = r.date("value")
    elif target == "sex":
        value = r.choice("value", ("M", "F"))
    elif target.endswith("_time"):
        value = r.time("value")
    elif target:
        script = (
            "latin"
            if target.endswith("_lat")
            else "arabic"
            if target.endswith("_ar")
            else None
        )
        value = r.text("value", script=script, max_length=160)
    return {"field": target, "value": value}


def read_mention(data: object, *, act_kind: str) -> MentionContent:
    """Parse a mention for an act of ``act_kind``; raise InvalidInput naming every bad field."""
    r = Reader(data)
    kind = r.choice("kind", tuple(MENTION_KINDS))
    if kind and act_kind not in MENTION_KINDS[kind].acts:
        r.fail("kind", "mention.kind_not_on_act", mention=kind, kind=act_kind)
        kind = ""
    source_r = r.child("source") or Reader({}, "source", [])  # absence already recorded
    allowed = MENTION_KINDS[kind].authorities if kind else AUTHORITIES
    authority = source_r.choice("authority", allowed)
    source_ref = source_r.text("reference", max_length=120)
    source_date = source_r.date("date")
    body_r = r.child("data", required=False) or Reader({}, "data", r.violations)
    body = _read_body(body_r, kind, act_kind) if kind else {}
    r.raise_if_invalid()
    return MentionContent(kind, authority, source_ref, source_date, body)


def _set(data: dict[str, Any], path: str, value: object) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def current_state(
    act_kind: str, data: Mapping[str, Any], mentions: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """The act as it stands today: its signed content with every mention applied in order."""
    state: dict[str, Any] = copy.deepcopy(dict(data))
    status: dict[str, Any] = {
        "annulled": False,
        "deceased": None,
        "marital": None,
        "spouse": None,
    }
    for mention in mentions:
        kind, body = mention["kind"], mention["data"]
        if kind in (
            "correction_judgment",
            "correction_prosecutor",
            "latin_transcription",
        ):
            _set(state, body["field"], body["value"])
        elif kind == "death":
            status["deceased"] = body["death_date"]
        elif kind == "marriage":
            status["marital"], status["spouse"] = "married", body["spouse"]
        elif kind == "divorce":
            status["marital"], status["spouse"] = "divorced", None
        elif kind == "recognition":
            father = state.setdefault("father", {})
            father.update(body["father"])
        elif kind == "annulment":
            status["annulled"] = True
    state["status"] = status
    return state
