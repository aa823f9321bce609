"""Keeping the name index of signed acts: one call per signed act, and a full reindex.

Every name of an act gives keys (``sijill.domain.namekeys``): for each person —
``person`` (the child or the deceased), ``father``, ``mother`` — the key of each name
field and of each of its words in their own script (``ar``, ``lat``), their
skeletons (``sk``), and the first 3 and 5 letters of each word's key (``ar3``,
``lat5``…) for prefixes. A key is written as a 64-bit *token*: a hash of (role, kind,
key) mixed with the year of the act's date, so that one token stands for one key in
one year; and each act holds one more token, its month. A search reads a few months,
then a few years at a time, newest first, and stops at its limit: of a common name it
reads the acts of a month or a few, not of a whole year.

PostgreSQL keeps one row per act with its person's and parents' names and its tokens
in an array under a GIN index, whose compressed posting lists cost a few bytes per key of an act
(migrations 0020, 0021);
SQLite, one row per token in a table organized as its own index (``WITHOUT ROWID``).
Tokens are derived and rebuilt from the journal; what was registered is never
replaced by them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from hashlib import blake2b
from itertools import combinations
from typing import Any

from sqlalchemy import Connection, Select, delete, select

from sijill.domain.events import ActSigned
from sijill.domain.namekeys import (
    arabic_key,
    has_letters,
    latin_key,
    name_words,
    script,
    skeleton,
)
from sijill.search.criteria import MIN_PREFIX
from sijill.search.tables import name_index, name_tokens
from sijill.store import tables as t
from sijill.store.bulk import fewer_collections, insert_tuples

# The letters of a word's key a prefix token holds: as few as a search accepts.
PREFIXES = (MIN_PREFIX, 5)
# Years outside share the bucket at the edge: the registers begin in 1915.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2300
_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def base_token(role: str, kind: str, key: str) -> int:
    """The hash of one key of one role, before its year is mixed in."""
    return _base_token(role, kind, key)


@lru_cache(maxsize=1 << 18)
def _base_token(role: str, kind: str, key: str) -> int:
    digest = blake2b(f"{role}\x1f{kind}\x1f{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


# The base of the month tokens: no name's (a name key is never empty).
_MONTH = base_token("act", "month", "")


def bucket(year: int) -> int:
    """The year a token is filed under."""
    return min(max(year, EARLIEST_YEAR), LATEST_YEAR)


def in_year(base: int, year: int) -> int:
    """The token of a key in one year: a signed 64-bit integer, as both databases hold."""
    return _mixed(base, bucket(year))


def month_of(day: date) -> int:
    """The month an act's date is filed under (months since year 0); dates beyond the
    edge years fall in the edge year's first or last month."""
    year = bucket(day.year)
    month = day.month if year == day.year else (1 if day.year < year else 12)
    return year * 12 + month - 1


def month_token(month: int) -> int:
    """The token every act of one month holds (``month_of``): a search of a few
    months reads, of a common name's year, the acts of those months only."""
    return _mixed(_MONTH, month)


def act_tokens(bases: Iterable[int], day: date) -> tuple[int, ...]:
    """The tokens of an act dated ``day`` whose keys have these base tokens: each key
    in the act's year, and the act's month."""
    found = {in_year(b, day.year) for b in bases}
    found.add(month_token(month_of(day)))
    return tuple(sorted(found))


def _mixed(base: int, n: int) -> int:
    # splitmix64's finalizer: every bit of the base and of n reaches every bit.
    z = (base + n * _GOLDEN) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return z - (1 << 64) if z >= 1 << 63 else z


# --- the keys of an act -------------------------------------------------------------


# The names of an act's own person, as ``acts`` and PostgreSQL's ``name_index`` hold them.
PERSON_NAMES = ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat")


@dataclass(frozen=True)
class Indexed:
    """One act as the name index holds it: its date, its person's names (in the order
    of ``PERSON_NAMES``), its parents' names (``parents_of``) and its tokens."""

    act_id: str
    event_date: date
    names: tuple[str, ...]
    parents: dict[str, Any]
    tokens: tuple[int, ...]


def act_bases(kind: str, data: Mapping[str, Any]) -> frozenset[int]:
    """The base tokens of every key an act's names give, and of its parents' pairs,
    without duplicates."""
    found: set[int] = set()
    written = list(act_names(kind, data))
    for role, name in written:
        found |= _name_bases(role, name)
    for role, paired in _paired(written).items():
        found |= _pair_bases(role, paired)
    return frozenset(found)


def indexed(act_id: str, kind: str, data: Mapping[str, Any]) -> Indexed:
    """The act's row of the index; an act without a date is filed under the first
    day the index knows (1 January 1900), where a search by name still finds it.

    The tokens are ``act_tokens(act_bases(kind, data), day)``, gathered from each
    name's tokens in the act's year, computed once per name and year."""
    day = event_date(kind, data) or date(EARLIEST_YEAR, 1, 1)
    year = bucket(day.year)
    found = {month_token(month_of(day))}
    written = list(_written_names(kind, data))
    for role, name in written:
        found |= _name_tokens(role, name, year)
    for role, paired in _paired(written).items():
        found |= _pair_tokens(role, paired, year)
    tokens = tuple(sorted(found))
    person = person_in(kind, data)
    names = tuple(str(person.get(name) or "") for name in PERSON_NAMES)
    return Indexed(act_id, day, names, parents_of(data), tokens)


def parents_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """The parents' names of a declaration, in its own shape (``father`` and ``mother``
    with their name fields, or ``father_name`` and ``mother_name`` written whole):
    what ranking reads of the parents (``ranking.parent_names``)."""
    found: dict[str, Any] = {}
    for role in ("father", "mother"):
        parent = data.get(role)
        if isinstance(parent, Mapping):
            found[role] = {k: parent[k] for k in PERSON_NAMES if parent.get(k)}
        full = data.get(f"{role}_name")
        if isinstance(full, str) and full:
            found[f"{role}_name"] = full
    return found


def person_in(kind: str, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The act's own person in its declaration: the child of a birth, the deceased
    of a death."""
    return data.get("child" if kind == "birth" else "deceased") or {}


@lru_cache(maxsize=1 << 16)
def _name_bases(role: str, name: str) -> frozenset[int]:
    # Names repeat a lot within a register: the tokens of each are computed once.
    if not has_letters(name):
        return frozenset()
    return frozenset(base_token(role, k, key) for k, key in field_keys(name))


@lru_cache(maxsize=1 << 16)
def _name_tokens(role: str, name: str, year: int) -> frozenset[int]:
    # A register's acts share a year or two: a name's tokens in it, computed once.
    return frozenset(_mixed(b, year) for b in _name_bases(role, name))


# --- pairs --------------------------------------------------------------------------

# The roles whose names give pair tokens: a parent is asked by a whole name (a father's
# first and family names), whose words are common alone and rare together.
PAIRED_ROLES = ("father", "mother")
# The kinds of keys a pair is made of: whole keys and skeletons, never prefixes.
_PAIRED_KINDS = ("ar", "lat", "sk")


def pair_value(kind: str, key: str) -> str:
    """The value a key gives the pairs of its role: a skeleton's own, the skeleton of
    a key in its script (so that a name's Arabic key, Latin key and skeletons give one
    or two values, not six)."""
    return key if kind == "sk" else skeleton(key)


def pair_token(role: str, one: str, other: str) -> int:
    """The base token of two pair values of one role, in either order."""
    return base_token(role, "pair", "\x1f".join(sorted((one, other))))


@lru_cache(maxsize=1 << 16)
def pair_values(name: str) -> frozenset[str]:
    """The pair values of a name field: those of its whole keys and skeletons."""
    if not has_letters(name):
        return frozenset()
    return frozenset(
        pair_value(kind, key) for kind, key in field_keys(name) if kind in _PAIRED_KINDS
    )


def _paired(written: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    # The names of each paired role among (role, name): a role's pairs are of all its
    # names together (first and family names, in both scripts).
    found: dict[str, set[str]] = {}
    for role, name in written:
        if role in PAIRED_ROLES:
            found.setdefault(role, set()).add(name)
    return {role: frozenset(names) for role, names in found.items()}


@lru_cache(maxsize=1 << 16)
def _pair_bases(role: str, names: frozenset[str]) -> frozenset[int]:
    # Every two distinct values of a role's names: a query's two words that cannot
    # be met by one value (``query.pair_groups``) are met by two of them.
    values = sorted(frozenset().union(*(pair_values(n) for n in names)))
    return frozenset(pair_token(role, a, b) for a, b in combinations(values, 2))


@lru_cache(maxsize=1 << 16)
def _pair_tokens(role: str, names: frozenset[str], year: int) -> frozenset[int]:
    return frozenset(_mixed(b, year) for b in _pair_bases(role, names))


def act_names(kind: str, data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(role, name) for each name an act holds, in both scripts."""
    return ((r, n) for r, n in _written_names(kind, data) if has_letters(n))


def _written_names(kind: str, data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    # Every name field an act holds, letters or not: (role, name).
    yield from _name_fields("person", person_in(kind, data))
    for role in ("father", "mother"):
        parent = data.get(role)
        if isinstance(parent, Mapping):
            yield from _name_fields(role, parent)
        full = data.get(f"{role}_name")
        if isinstance(full, str):
            yield role, full


def _name_fields(role: str, person: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    # A person's name fields, in the order of PERSON_NAMES: (role, name).
    for field in PERSON_NAMES:
        name = person.get(field)
        if isinstance(name, str):
            yield role, name


def own_key(word: str) -> str:
    """The key of a word in its own script."""
    return (arabic_key if script(word) == "ar" else latin_key)(word)


@lru_cache(maxsize=1 << 16)
def field_keys(name: str) -> frozenset[tuple[str, str]]:
    """(kind, key) of a name field: the whole field's and each word's, in its own
    script and as a skeleton, and the prefixes of each word's key."""
    # A query meets the stored key with the alternatives of ``skeletons``: the main
    # skeleton is enough here. An Arabic name gets no Latin key, and the reverse.
    written = script(name)
    words = name_words(name)
    keys: set[tuple[str, str]] = set()
    for text in {name, *words} if len(words) > 1 else {name}:
        keys.add((written, own_key(text)))
        keys.add(("sk", skeleton(text)))
    for word in words:
        key = own_key(word)
        keys.update(
            (f"{written}{n}", key[:n]) for n in PREFIXES if len(key) >= PREFIXES[0]
        )
    return frozenset(keys)


def prefix_kind(prefix_key: str, written: str) -> tuple[str, str]:
    """The prefix kind and key a query prefix reads: the longest one indexed."""
    n = max(n for n in PREFIXES if n <= len(prefix_key))
    return f"{written}{n}", prefix_key[:n]


def event_date(kind: str, data: Mapping[str, Any]) -> date | None:
    """The date that orders acts in a search: the birth's or the death's."""
    day = data.get("birth_date" if kind == "birth" else "death_date")
    try:
        return date.fromisoformat(str(day)) if day else None
    except ValueError:
        return None


# --- writing ------------------------------------------------------------------------


def index_act(conn: Connection, office: str, event: ActSigned) -> None:
    """Write the name index of the act ``event`` signed (the live path and a rebuild)."""
    index_acts(conn, office, [(event.act_id, event.kind, event.data)])


def index_acts(
    conn: Connection, office: str, acts: Iterable[tuple[str, str, Mapping[str, Any]]]
) -> None:
    """Write the name index of many acts at once: (act id, kind, data) each."""
    write_rows(conn, office, [indexed(*act) for act in acts])


def write_rows(conn: Connection, office: str, rows: Sequence[Indexed]) -> None:
    """Write prepared index rows of ``office``'s acts, in this transaction."""
    if conn.dialect.name == "postgresql":
        insert_tuples(
            conn,
            name_index,
            ("office_code", "act_id", "event_date", *PERSON_NAMES, "parents", "tokens"),
            [
                (office, r.act_id, r.event_date, *r.names, r.parents, _array(r.tokens))
                for r in rows
            ],
        )
        return
    # In the table's own order: each page of its B-tree is visited once per batch.
    insert_tuples(
        conn,
        name_tokens,
        ("token", "event_date", "office_code", "act_id"),
        sorted(
            (token, r.event_date, office, r.act_id) for r in rows for token in r.tokens
        ),
    )


def _array(tokens: tuple[int, ...]) -> str:
    # The array as COPY's text format spells it: written here at a fraction of the
    # cost of the driver's adaptation of a list, element by element.
    return "{" + ",".join(map(str, tokens)) + "}"


@fewer_collections()
def reindex(conn: Connection, office: str | None = None) -> int:
    """Recompute the index of every signed act (of ``office``); returns the act count."""
    table = index_table(conn)
    acts = _acts()
    wipe = delete(table)
    if office is not None:
        acts = acts.where(t.acts.c.office_code == office)
        wipe = wipe.where(table.c.office_code == office)
    conn.execute(wipe)
    return _write_again(conn, acts, lambda kind, data: True, replace=False)


def reindex_naming(conn: Connection, holds: Callable[[str], bool]) -> int:
    """Recompute the index of the signed acts holding a name that ``holds`` (after a
    change of the keys of such names only); returns how many. Every act is read, a
    batch at a time; only those are written again."""
    return _write_again(
        conn,
        _acts(),
        lambda kind, data: any(holds(name) for _, name in act_names(kind, data)),
        replace=True,
    )


def _acts() -> Select[Any]:
    return select(t.acts.c.act_id, t.acts.c.kind, t.acts.c.data, t.acts.c.office_code)


_BATCH = 5000  # acts read, and index rows written, at a time


def _write_again(
    conn: Connection,
    acts: Select[Any],
    wanted: Callable[[str, Mapping[str, Any]], bool],
    *,
    replace: bool,
) -> int:
    # Index the ``wanted`` (kind, data) of ``acts``, a batch at a time (``replace``:
    # their rows are deleted first); returns how many. Streamed: a country's
    # declarations are read a batch at a time, not held at once.
    table = index_table(conn)
    count = 0
    batch: dict[str, list[Indexed]] = {}
    for row in conn.execute(acts.execution_options(yield_per=_BATCH)):
        if not wanted(row.kind, row.data):
            continue
        batch.setdefault(row.office_code, []).append(
            indexed(row.act_id, row.kind, row.data)
        )
        count += 1
        if count % _BATCH == 0:
            _flush(conn, table, batch, replace)
    _flush(conn, table, batch, replace)
    return count


def _flush(
    conn: Connection, table: Any, batch: dict[str, list[Indexed]], replace: bool
) -> None:
    for office, rows in batch.items():
        if replace:
            conn.execute(
                delete(table).where(
                    table.c.office_code == office,
                    table.c.act_id.in_([r.act_id for r in rows]),
                )
            )
        write_rows(conn, office, rows)
    batch.clear()


def index_table(conn: Connection) -> Any:
    """The table of the index on this database."""
    return name_index if conn.dialect.name == "postgresql" else name_tokens


def indexed_tokens(conn: Connection, office: str | None = None) -> dict[str, set[int]]:
    """The tokens the index holds for each act (of ``office``), by act id: the same on
    either database for the same acts."""
    table = index_table(conn)
    # One row an act and its array on PostgreSQL; one row a token on SQLite.
    tokens = table.c.tokens if table is name_index else table.c.token
    query = select(table.c.act_id, tokens)
    if office is not None:
        query = query.where(table.c.office_code == office)
    found: dict[str, set[int]] = {}
    for act_id, held in conn.execute(query):
        found.setdefault(act_id, set()).update(held if table is name_index else [held])
    return found
