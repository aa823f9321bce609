"""Keeping the name keys of signed acts: one call per signed act, and a full reindex."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
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


def index_act(conn: Connection, office: str, event: ActSigned) -> None:
    """Write the name keys of the act ``event`` signed (the live path and a rebuild)."""
    index_acts(conn, office, [(event.act_id, event.kind, event.data)])


COLUMNS = ("office_code", "act_id", "role", "part", "kind", "key")


def index_acts(
    conn: Connection, office: str, acts: Iterable[tuple[str, str, Mapping[str, Any]]]
) -> None:
    """Write the name keys of many acts at once: (act id, kind, data) each."""
    rows = [
        (office, act_id, *keys)
        for act_id, kind, data in acts
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
    batch: list[dict[str, str]] = []
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
) -> Iterator[dict[str, str]]:
    """The rows of ``name_keys`` for one act, without duplicates."""
    seen: set[tuple[str, str, str, str]] = set()
    for role, part, name in act_names(kind, data):
        for key_kind, key in field_keys(name):
            if (role, part, key_kind, key) not in seen:
                seen.add((role, part, key_kind, key))
                yield {
                    "office_code": office,
                    "act_id": act_id,
                    "role": role,
                    "part": part,
                    "kind": key_kind,
                    "key": key,
                }


def act_keys(kind: str, data: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(role, part, kind of key, key) for each name key of an act, without duplicates."""
    keys: dict[tuple[str, str, str, str], None] = {}
    for role, part, name in act_names(kind, data):
        keys.update(_name_keys(role, part, name))
    return list(keys)


@lru_cache(maxsize=1 << 16)
def _name_keys(
    role: str, part: str, name: str
) -> dict[tuple[str, str, str, str], None]:
    # Names repeat a lot within a register: the keys of each are computed once.
    return {(role, part, kind, key): None for kind, key in field_keys(name)}


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
