"""Where a notice goes: the office that holds the act it must be written on.

The centre routes from what it holds: a birth act reference when the event gives one,
else the civil identifier, else the person's names and birth date. Anything short of
exactly one act waits in the matching queue, with candidates: never dropped, never
guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from sijill.domain import events as ev
from sijill.domain.errors import InvalidInput
from sijill.domain.identifiers import ActRef
from sijill.store import tables as t

MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Route:
    """A notice to issue: its target (None: matching queue) and what to write."""

    kind: str
    target_office: str | None
    target_ref: str | None
    subject: dict[str, Any]
    mention: dict[str, Any]
    candidates: list[str]


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _enrolled(conn: Connection, office: str) -> bool:
    return (
        conn.execute(
            select(t.enrolled_keys.c.key_id).where(
                t.enrolled_keys.c.office_code == office
            )
        ).first()
        is not None
    )


def _parse_ref(text: object, kind: str = "birth") -> ActRef | None:
    if not isinstance(text, str):
        return None
    try:
        ref = ActRef.parse(text)
    except InvalidInput:
        return None
    return ref if ref.kind == kind else None


def locate(conn: Connection, subject: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The act ``subject`` designates (a ruling on a death act names it by
    ``act_ref``; anything else designates a birth act), or None and the candidates."""
    ref = _parse_ref(subject.get("act_ref"), "death") or _parse_ref(
        subject.get("birth_act_ref")
    )
    if ref is not None:
        # An office not (yet) in the network cannot take the notice: it waits, matched.
        return (str(ref) if _enrolled(conn, ref.office) else None), [str(ref)]
    civil_id = subject.get("civil_id")
    if civil_id:
        found = (
            conn.execute(
                select(t.acts.c.ref).where(
                    t.acts.c.civil_id == civil_id, t.acts.c.kind == "birth"
                )
            )
            .scalars()
            .all()
        )
        if len(found) == 1:
            return found[0], list(found)
    names = subject.get("names") or {}
    query = select(t.acts.c.ref).where(t.acts.c.kind == "birth")
    keys = [
        ("first_name_ar", t.acts.c.first_name_ar),
        ("family_name_ar", t.acts.c.family_name_ar),
    ]
    if not all(names.get(k) for k, _ in keys):
        return None, []
    for key, column in keys:
        query = query.where(column == names[key])
    born = _day(subject.get("birth_date"))
    if born is not None:
        found = list(
            conn.execute(
                query.where(t.acts.c.event_date == born).limit(MAX_CANDIDATES + 1)
            ).scalars()
        )
        if len(found) == 1:
            return found[0], found
        if found:
            return None, found[:MAX_CANDIDATES]
    return None, list(conn.execute(query.limit(MAX_CANDIDATES)).scalars())


def _death(conn: Connection, office: str, e: ev.ActSigned) -> list[Route]:
    data = e.data
    subject = {
        "names": data["deceased"],
        "birth_date": data.get("birth_date"),
        "birth_act_ref": data.get("birth_act_ref"),
        "civil_id": data.get("civil_id"),
    }
    target, candidates = locate(conn, subject)
    if target is not None and target.startswith(office + "/") and _held(conn, target):
        return []  # the office wrote the death mention itself, in the same transaction
    mention = {
        "kind": "death",
        "source": {"authority": "officer", "reference": e.ref, "date": e.at[:10]},
        "data": {
            "death_date": data["death_date"],
            "death_place": data["death_place"],
            "death_act_ref": e.ref,
        },
    }
    return [
        Route(
            "death",
            target.split("/")[0] if target else None,
            target,
            subject,
            mention,
            candidates,
        )
    ]


def _held(conn: Connection, ref: str) -> bool:
    return (
        conn.execute(select(t.acts.c.act_id).where(t.acts.c.ref == ref)).first()
        is not None
    )


def _recorded(conn: Connection, e: ev.EventRecorded) -> list[Route]:
    if e.kind.startswith("declaratory_"):  # no act yet: to the office that registers it
        (party,) = e.parties
        return [Route(e.kind, party["office"], None, party, dict(e.mention), [])]
    routes = []
    for party in e.parties:
        mention = dict(e.mention)
        if e.kind in ("marriage", "divorce"):
            others = [p for p in e.parties if p is not party]
            mention = {
                **e.mention,
                "data": {
                    **e.mention.get("data", {}),
                    "spouse": others[0]["names"] if others else None,
                },
            }
        target, candidates = locate(conn, party)
        routes.append(
            Route(
                e.kind,
                target.split("/")[0] if target else None,
                target,
                party,
                mention,
                candidates,
            )
        )
    return routes


def routes_for(conn: Connection, office: str, event: ev.Event) -> list[Route]:
    """The notices an office's (or the centre's) event calls for."""
    if isinstance(event, ev.ActSigned) and event.kind == "death":
        return _death(conn, office, event)
    if isinstance(event, ev.EventRecorded):
        return _recorded(conn, event)
    return []
