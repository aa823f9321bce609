"""Duplicate detection: is a birth already registered, under another spelling?

A Fellegi–Sunter model of our own. Each field of two records agrees, half-agrees or
disagrees; each outcome weighs log2(m/u), where m is how often it happens when the
two records are the same person and u when they are not. For names, u is the name's
own frequency in the registry (term-frequency adjustment): two "Mohamed Alaoui" born
the same year agree on very common names, which says little, while their different
birth days and parents say a lot. The weights add up to a posterior probability.

Candidates are found by blocking on name keys and birth year, so a country is never
compared pair by pair. A duplicate is only ever reported: the legal path from there
is a correction or annulment mention by court judgment, never a silent merge.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, func, intersect, select

from sijill.domain.namekeys import (
    arabic_key,
    compare,
    latin_key,
    script,
    skeleton,
    skeletons,
)
from sijill.search.tables import name_keys
from sijill.store import tables as t

PRIOR = 1e-4  # share of pairs in a block that are the same person, before looking
PROBABLE = 0.9
POSSIBLE = 0.3
_DATE_NEAR_DAYS = 31


@dataclass(frozen=True)
class Person:
    """What duplicate detection compares: the person of a birth and the parents."""

    first_ar: str
    family_ar: str
    first_lat: str
    family_lat: str
    sex: str
    birth_date: date | None
    father: str
    mother: str
    place: str

    @property
    def first_key(self) -> str:
        return _block_key(self.first_ar or self.first_lat)

    @property
    def family_key(self) -> str:
        return _block_key(self.family_ar or self.family_lat)


@lru_cache(maxsize=1 << 20)
def _block_key(name: str) -> str:
    # ى and ي at the end are one keying apart (العلوى, العلوي): one block for both.
    return skeleton(name.replace("ى", "ي"))


@dataclass(frozen=True)
class Candidate:
    """An act that is probably (or possibly) the same person, with the reasons."""

    ref: str
    office: str
    probability: float
    weight: float
    verdict: str  # probable | possible
    reasons: list[str]


class Frequencies:
    """How common first and family names are, as share of persons (with smoothing)."""

    def __init__(self, first: Mapping[str, int], family: Mapping[str, int], total: int):
        self.first, self.family, self.total = first, family, max(total, 1)

    def share(self, part: str, key: str) -> float:
        counts = self.first if part == "first" else self.family
        # Smoothed: a name never seen, or seen in a small office, is not "unique".
        return max((counts.get(key, 0) + 1) / (self.total + 100), 1e-5)


# --- the model -----------------------------------------------------------------------


def score(a: Person, b: Person, freq: Frequencies) -> tuple[float, float, list[str]]:
    """The match weight of two persons, its posterior probability and the reasons."""
    parts = [
        _name("first name", a, b, "first", freq),
        _name("family name", a, b, "family", freq),
        _birth_date(a.birth_date, b.birth_date),
        _sex(a.sex, b.sex),
        # A father bears the child's family name: agreeing says little more than the
        # family name did, only that the first names (Mohamed, often) agree.
        _parent("father", a.father, b.father, 0.1),
        _parent("mother", a.mother, b.mother, 0.02),
        _place(a.place, b.place),
    ]
    weight = sum(w for w, _ in parts)
    odds = math.log2(PRIOR / (1 - PRIOR)) + weight
    probability = 1 / (1 + 2 ** (-odds)) if odds > -60 else 0.0
    reasons = [f"{why} ({w:+.1f})" for w, why in parts if why]
    return round(weight, 2), round(probability, 4), reasons


def _log(m: float, u: float) -> float:
    return math.log2(m / u)


def _name(
    label: str, a: Person, b: Person, part: str, freq: Frequencies
) -> tuple[float, str]:
    pairs = [
        (getattr(a, f"{part}_{x}"), getattr(b, f"{part}_{y}"))
        for x in ("ar", "lat")
        for y in ("ar", "lat")
    ]
    verdicts = {_verdict(x, y) for x, y in pairs if x and y}
    if "same" in verdicts:
        share = freq.share(part, getattr(a, f"{part}_key"))
        return _log(0.95, share), f"{label} agrees, {share:.2%} of persons bear it"
    if "maybe" in verdicts:
        return _log(0.04, 0.05), f"{label} close"
    return _log(0.01, 0.9), f"{label} differs"


def _verdict(a: str, b: str) -> str:
    """``compare``'s verdict, without its edit distance when the keys already tell."""
    if a == b:
        return "same"
    written_a, own_a, main_a, alternatives_a = _keys(a)
    written_b, own_b, main_b, alternatives_b = _keys(b)
    if written_a == written_b and own_a == own_b:
        return "same"
    if not alternatives_a & alternatives_b and _dice(main_a, main_b) < 0.4:
        return "different"
    return _compared(a, b)


@lru_cache(maxsize=1 << 20)
def _keys(name: str) -> tuple[str, str, str, frozenset[str]]:
    # Each name of a batch is keyed once, however many pairs it is part of.
    written = script(name)
    own = arabic_key(name) if written == "ar" else latin_key(name)
    return written, own, skeleton(name), skeletons(name)


@lru_cache(maxsize=1 << 18)
def _compared(a: str, b: str) -> str:
    return compare(a, b).verdict


def _dice(a: str, b: str) -> float:
    pairs_a = {a[i : i + 2] for i in range(len(a) - 1)} or {a}
    pairs_b = {b[i : i + 2] for i in range(len(b) - 1)} or {b}
    return 2 * len(pairs_a & pairs_b) / (len(pairs_a) + len(pairs_b))


def _birth_date(a: date | None, b: date | None) -> tuple[float, str]:
    if a is None or b is None:
        return 0.0, ""
    if a == b:
        return _log(0.9, 1 / 365), "same birth date"
    swapped = a.day <= 12 and (a.year, a.day, a.month) == (b.year, b.month, b.day)
    if swapped or abs((a - b).days) <= _DATE_NEAR_DAYS:
        return _log(0.07, 0.08), "birth dates close (a keying slip?)"
    return _log(0.03, 0.92), "birth dates differ"


def _sex(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return _log(0.99, 0.5), ""
    return _log(0.01, 0.5), "sex differs"


def _parent(label: str, a: str, b: str, by_chance: float) -> tuple[float, str]:
    if not a or not b:
        return 0.0, ""
    verdict = _verdict(a, b)
    if verdict == "same":
        return _log(0.9, by_chance), f"{label} agrees"
    if verdict == "maybe":
        return _log(0.05, 0.04), f"{label} close"
    # A second keying copies the parents: another parent is strong evidence.
    return _log(0.002, 0.95), f"{label} differs"


def _place(a: str, b: str) -> tuple[float, str]:
    if not a or not b:
        return 0.0, ""
    if a == b:
        return _log(0.9, 0.1), "same birth commune"
    return _log(0.1, 0.9), "other birth commune"


# --- persons from declarations and acts ---------------------------------------------------


def person_of(kind: str, data: Mapping[str, Any]) -> Person:
    """The person of a birth declaration or act (of a death: the deceased)."""
    who = data.get("child" if kind == "birth" else "deceased") or {}
    born = data.get("birth_date")
    return Person(
        first_ar=str(who.get("first_name_ar") or ""),
        family_ar=str(who.get("family_name_ar") or ""),
        first_lat=str(who.get("first_name_lat") or ""),
        family_lat=str(who.get("family_name_lat") or ""),
        sex=str(data.get("sex") or ""),
        birth_date=_as_date(born),
        father=_parent_name(data, "father"),
        mother=_parent_name(data, "mother"),
        place=str(data.get("birth_commune") or ""),
    )


def _parent_name(data: Mapping[str, Any], role: str) -> str:
    parent = data.get(role)
    if isinstance(parent, Mapping):
        names = (parent.get("first_name_ar"), parent.get("family_name_ar"))
        return " ".join(str(n) for n in names if n)
    return str(data.get(f"{role}_name") or "")


def _as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# --- at registration -------------------------------------------------------------------


def probable_duplicates(
    conn: Connection,
    declaration: Mapping[str, Any],
    *,
    office: str | None = None,
    threshold: float = POSSIBLE,
) -> list[Candidate]:
    """Signed births that are probably the person ``declaration`` declares, best first.

    Blocking: the same first-name and family-name skeletons, born within a year.
    ``office`` narrows to one office (default: every office of this database).
    """
    person = person_of("birth", declaration)
    if person.birth_date is None or not (person.first_key and person.family_key):
        return []
    rows = conn.execute(_blocked(person, office)).all()
    freq = _frequencies(conn, person)
    found = []
    for row in rows:
        weight, probability, reasons = score(
            person, person_of(row.kind, row.data), freq
        )
        if probability >= threshold:
            verdict = "probable" if probability >= PROBABLE else "possible"
            found.append(
                Candidate(
                    row.ref, row.office_code, probability, weight, verdict, reasons
                )
            )
    return sorted(found, key=lambda c: -c.weight)


def _blocked(person: Person, office: str | None) -> Any:
    def keyed(part: str, names: tuple[str, str]) -> Any:
        keys = set().union(*(skeletons(n) for n in names if n))
        return select(name_keys.c.office_code, name_keys.c.act_id).where(
            name_keys.c.role == "person",
            name_keys.c.kind == "sk",
            name_keys.c.part == part,
            name_keys.c.key.in_(sorted(keys)),
        )

    block = intersect(
        keyed("first", (person.first_ar, person.first_lat)),
        keyed("family", (person.family_ar, person.family_lat)),
    ).subquery()
    assert person.birth_date is not None
    year = timedelta(days=366)
    query = (
        select(t.acts)
        .join(
            block,
            and_(
                block.c.office_code == t.acts.c.office_code,
                block.c.act_id == t.acts.c.act_id,
            ),
        )
        .where(
            t.acts.c.kind == "birth",
            t.acts.c.event_date.between(
                person.birth_date - year, person.birth_date + year
            ),
        )
        .limit(200)
    )
    return query.where(t.acts.c.office_code == office) if office else query


def _frequencies(conn: Connection, person: Person) -> Frequencies:
    total = conn.execute(
        select(func.count()).select_from(t.acts).where(t.acts.c.kind == "birth")
    ).scalar_one()

    def count(part: str, key: str) -> int:
        return int(
            conn.execute(
                select(func.count()).where(
                    name_keys.c.role == "person",
                    name_keys.c.kind == "sk",
                    name_keys.c.part == part,
                    name_keys.c.key == key,
                )
            ).scalar_one()
        )

    return Frequencies(
        {person.first_key: count("first", person.first_key)},
        {person.family_key: count("family", person.family_key)},
        int(total),
    )


# --- in batch ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """Two acts of a batch that are probably the same person."""

    left: str
    right: str
    probability: float
    weight: float
    reasons: list[str]


def find_duplicates(
    acts: Iterable[tuple[str, Person]], *, threshold: float = PROBABLE
) -> list[Pair]:
    """Pairs of ``acts`` (ref, person) at or above ``threshold``, best first.

    Blocks, each small whatever the size of the batch: the same first- and
    family-name skeletons born the same week (two overlapping calendars of weeks, so
    birth dates up to three days apart meet); the same family name, or the same first
    name, born the same day of a mother of the same first name, which catches a name
    keyed beyond recognition.
    """
    people = list(acts)
    freq = Frequencies(
        Counter(p.first_key for _, p in people),
        Counter(p.family_key for _, p in people),
        len(people),
    )
    blocks: dict[tuple[object, ...], list[int]] = {}
    for i, (_, p) in enumerate(people):
        for block in _blocks(p):
            blocks.setdefault(block, []).append(i)
    seen: set[tuple[int, int]] = set()
    pairs = []
    for members in blocks.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                weight, probability, reasons = score(people[i][1], people[j][1], freq)
                if probability >= threshold:
                    pairs.append(
                        Pair(people[i][0], people[j][0], probability, weight, reasons)
                    )
    return sorted(pairs, key=lambda p: -p.weight)


def _blocks(p: Person) -> list[tuple[object, ...]]:
    if p.birth_date is None:
        return [("n", p.first_key, p.family_key)]
    day = p.birth_date.toordinal()
    mother = p.mother.split(" ", 1)[0]
    return [
        ("w", p.first_key, p.family_key, day // 7),
        ("v", p.first_key, p.family_key, (day + 3) // 7),
        ("d", p.family_key, day, mother),
        ("f", p.first_key, day, mother),
    ]


def office_persons(
    conn: Connection, office: str | None = None
) -> list[tuple[str, Person]]:
    """(ref, person) of every signed birth of ``office`` (or of the whole database)."""
    query = select(t.acts.c.ref, t.acts.c.kind, t.acts.c.data).where(
        t.acts.c.kind == "birth"
    )
    if office is not None:
        query = query.where(t.acts.c.office_code == office)
    return [(r.ref, person_of(r.kind, r.data)) for r in conn.execute(query)]
