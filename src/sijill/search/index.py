"""Keeping the name keys of signed acts: one call per signed act, and a full reindex.

Besides the key of each name and each word (kinds ``ar``, ``lat``, ``sk``), a person
gets the keys of every pair of his words, in both orders (kinds ``ar2``, ``lat2``,
``sk2``): a search for "Mohamed Alaoui" is then one probe of the index on a key far
rarer than either word. Each row carries the act's date, so the index hands the
newest acts first and a search stops at its limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from itertools import permutations
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from sijill.domain.events import ActSigned
from sijill.domain.namekeys import (
    arabic_key,
    has_letters,
    latin_key,
    name_words,
    script,
    skeleton,
)
from sijill.search.tables import name_keys
from sijill.store import tables as t
from sijill.store.bulk import insert_tuples

KEY_LENGTH = 120
PAIR = "2"  # the suffix of the kinds of pair keys: ar2, lat2, sk2


def index_act(conn: Connection, office: str, event: ActSigned) -> None:
    """Write the name keys of the act ``event`` signed (the live path and a rebuild)."""
    index_acts(conn, office, [(event.act_id, event.kind, event.data)])


COLUMNS = ("office_code", "act_id", "role", "part", "kind", "key", "event_date")


def index_acts(
    conn: Connection, office: str, acts: Iterable[tuple[str, str, Mapping[str, Any]]]
) -> None:
    """Write the name keys of many acts at once: (act id, kind, data) each."""
    rows = [
        (office, act_id, *keys, day)
        for act_id, kind, data in acts
        for day in (event_date(kind, data),)
        for keys in act_keys(kind, data)
    ]
    insert_tuples(conn, name_keys, COLUMNS, rows)


def reindex(conn: Connection, office: str | None = None) -> int:
    """Recompute the keys of every signed act (of ``office``); returns the act count."""
    acts = select(t.acts.c.office_code, t.acts.c.act_id, t.acts.c.kind, t.acts.c.data)
    wipe = delete(name_keys)
    if office is not None:
        acts = acts.where(t.acts.c.office_code == office)
        wipe = wipe.where(name_keys.c.office_code == office)
    conn.execute(wipe)
    count = 0
    batch: list[dict[str, Any]] = []
    for row in conn.execute(acts):
        batch += act_key_rows(row.office_code, row.act_id, row.kind, row.data)
        count += 1
        if len(batch) >= 5000:
            conn.execute(insert(name_keys), batch)
            batch = []
    if batch:
        conn.execute(insert(name_keys), batch)
    return count


def act_key_rows(
    office: str, act_id: str, kind: str, data: Mapping[str, Any]
) -> Iterator[dict[str, Any]]:
    """The rows of ``name_keys`` for one act, without duplicates."""
    day = event_date(kind, data)
    for role, part, key_kind, key in act_keys(kind, data):
        yield {
            "office_code": office,
            "act_id": act_id,
            "role": role,
            "part": part,
            "kind": key_kind,
            "key": key,
            "event_date": day,
        }


def pair_keys(found: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """(``pair``, kind, key) for each ordered pair of a person's distinct keys."""
    pairs = set()
    for key_kind in ("ar", "lat", "sk"):
        keys = {key for _, k, key in found if k == key_kind}
        for a, b in permutations(sorted(keys), 2):
            pairs.add(("pair", key_kind + PAIR, pair_key(a, b)))
    return pairs


def pair_key(a: str, b: str) -> str:
    """The key of two words of one person, in this order."""
    return f"{a} {b}"[:KEY_LENGTH]


def event_date(kind: str, data: Mapping[str, Any]) -> date | None:
    """The date that orders acts in a search: the birth's or the death's."""
    day = data.get("birth_date" if kind == "birth" else "death_date")
    try:
        return date.fromisoformat(str(day)) if day else None
    except ValueError:
        return None


def act_keys(kind: str, data: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(role, part, kind of key, key) of an act, pairs included, without duplicates."""
    by_role: dict[str, set[tuple[str, str, str]]] = {}
    for role, part, name in act_names(kind, data):
        by_role.setdefault(role, set()).update(_part_keys(part, name))
    return [
        (role, part, key_kind, key)
        for role, found in by_role.items()
        for part, key_kind, key in _with_pairs(frozenset(found))
    ]


@lru_cache(maxsize=1 << 16)
def _part_keys(part: str, name: str) -> frozenset[tuple[str, str, str]]:
    # Names repeat a lot within a register: the keys of each are computed once.
    return frozenset((part, kind, key) for kind, key in field_keys(name))


@lru_cache(maxsize=1 << 16)
def _with_pairs(
    found: frozenset[tuple[str, str, str]],
) -> tuple[tuple[str, str, str], ...]:
    return tuple(sorted(found | pair_keys(set(found))))


def act_names(kind: str, data: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(role, part, name) for each name an act holds, in both scripts."""
    person = data.get("child" if kind == "birth" else "deceased") or {}
    yield from _person_names("person", person)
    for role in ("father", "mother"):
        parent = data.get(role)
        if isinstance(parent, Mapping):
            yield from _person_names(role, parent)
        full = data.get(f"{role}_name")
        if isinstance(full, str) and has_letters(full):
            yield role, "full", full


def _person_names(
    role: str, person: Mapping[str, Any]
) -> Iterator[tuple[str, str, str]]:
    for part in ("first", "family"):
        for written in ("ar", "lat"):
            name = person.get(f"{part}_name_{written}")
            if isinstance(name, str) and has_letters(name):
                yield role, part, name


@lru_cache(maxsize=1 << 16)
def field_keys(name: str) -> frozenset[tuple[str, str]]:
    """The keys of a name field: the whole field's and, for several words, each word's."""
    # A query meets the stored key with the alternatives of ``skeletons``: the main
    # skeleton is enough here. An Arabic name gets no Latin key, and the reverse.
    own_key = arabic_key if script(name) == "ar" else latin_key
    written = script(name)
    words = name_words(name)
    keys: set[tuple[str, str]] = set()
    for text in {name, *words} if len(words) > 1 else {name}:
        keys.add((written, own_key(text)[:KEY_LENGTH]))
        keys.add(("sk", skeleton(text)[:KEY_LENGTH]))
    return frozenset(keys)
