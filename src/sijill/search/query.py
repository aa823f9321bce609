"""The SQL of a search: candidate acts through their name keys, then the filters.

A search is answered from its most selective keys. One name of the query *drives*:
two of its words give pair keys (``Mohamed Alaoui`` is one probe, not the
intersection of every Mohamed with every Alaoui), else its longest word gives word
keys, else its prefix gives the keys that begin with it. Each probe reads the lookup
index newest first and stops at the candidate limit; the other words and criteria are
checked on the way, act by act, so the work is bounded by the limit, not by how
common a name is.

Keys hold only letters (``sijill.domain.namekeys``) and every value is a bound
parameter, so no text of a query ever reaches the SQL itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    exists,
    literal,
    or_,
    select,
    union,
)

from sijill.domain.namekeys import arabic_key, latin_key, script, skeletons
from sijill.search.criteria import CANDIDATES, Criteria
from sijill.search.index import PAIR, pair_key
from sijill.search.tables import name_keys
from sijill.store import tables as t

ROLES = {"name": "person", "father": "father", "mother": "mother"}
MAX_PREFIX_KEYS = 200  # distinct keys a prefix may stand for; beyond, the first ones


@dataclass(frozen=True)
class Probe:
    """Index entries a query part reads: one role, one kind, these keys (or a prefix)."""

    role: str
    kind: str
    keys: tuple[str, ...] = ()
    prefix: str | None = None


def own_key(word: str) -> str:
    """The key of a word in its own script."""
    return (arabic_key if script(word) == "ar" else latin_key)(word)


def word_condition(word: str, keys: Any = name_keys) -> Any:
    """Rows of ``name_keys`` a query word meets: its own key, a skeleton, or a prefix."""
    written = script(word)
    if word.endswith("*"):
        prefix = own_key(word.rstrip("*"))
        return and_(
            keys.c.kind == written,
            keys.c.key.like(_escaped(prefix) + "%", escape="\\"),
        )
    return or_(
        and_(keys.c.kind == written, keys.c.key == own_key(word)),
        and_(keys.c.kind == "sk", keys.c.key.in_(sorted(skeletons(word)))),
    )


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- which keys drive ------------------------------------------------------------


def driver(criteria: Criteria) -> tuple[str, list[str], list[Probe]]:
    """The name field that drives, the words its probes stand for, and the probes."""
    fields = sorted(criteria.names.items(), key=lambda f: _rank(f[1]))
    field, words = fields[0]
    role = ROLES[field]
    whole = [w for w in words if not w.endswith("*")]
    prefixes = [w for w in words if w.endswith("*")]
    if len({own_key(w) for w in whole}) >= 2:
        a, b = sorted(whole, key=lambda w: -len(own_key(w)))[:2]
        if own_key(a) == own_key(b):
            b = next(w for w in whole if own_key(w) != own_key(a))
        return field, [a, b], list(_pair_probes(role, a, b))
    if whole and prefixes:
        a, b = whole[0], prefixes[0]
        if script(a) == script(b.rstrip("*")):
            prefix = pair_key(own_key(a), own_key(b.rstrip("*")))
            return field, [a, b], [Probe(role, script(a) + PAIR, prefix=prefix)]
    if whole:
        word = max(whole, key=lambda w: len(own_key(w)))
        return field, [word], list(_word_probes(role, word))
    word = max(prefixes, key=lambda w: len(own_key(w.rstrip("*"))))
    prefix = own_key(word.rstrip("*"))
    return field, [word], [Probe(role, script(word.rstrip("*")), prefix=prefix)]


def _rank(words: list[str]) -> tuple[int, int]:
    # Two whole words (a pair key) first, then a word and a prefix, a word, a prefix;
    # among equals, the longest.
    whole = {own_key(w) for w in words if not w.endswith("*")}
    prefixed = any(w.endswith("*") for w in words)
    shape = 0 if len(whole) >= 2 else 1 if whole and prefixed else 2 if whole else 3
    return shape, -len("".join(words))


def _pair_probes(role: str, a: str, b: str) -> Iterator[Probe]:
    if script(a) == script(b):
        yield Probe(role, script(a) + PAIR, (pair_key(own_key(a), own_key(b)),))
    pairs = {pair_key(x, y) for x in skeletons(a) for y in skeletons(b) if x != y}
    if pairs:
        yield Probe(role, "sk" + PAIR, tuple(sorted(pairs)))


def _word_probes(role: str, word: str) -> Iterator[Probe]:
    yield Probe(role, script(word), (own_key(word),))
    yield Probe(role, "sk", tuple(sorted(skeletons(word))))


def prefix_keys(conn: Connection, probe: Probe) -> tuple[str, ...]:
    """The distinct keys that begin with ``probe.prefix``, read by hopping the index."""
    assert probe.prefix is not None
    found: list[str] = []
    after = None
    while len(found) < MAX_PREFIX_KEYS:
        query = select(name_keys.c.key).where(
            name_keys.c.role == probe.role,
            name_keys.c.kind == probe.kind,
            name_keys.c.key >= probe.prefix,
            name_keys.c.key < probe.prefix + "\uffff",
            name_keys.c.key.like(_escaped(probe.prefix) + "%", escape="\\"),
        )
        if after is not None:
            query = query.where(name_keys.c.key > after)
        after = conn.execute(query.order_by(name_keys.c.key).limit(1)).scalar()
        if after is None:
            break
        found.append(after)
    return tuple(found)


# --- the query ----------------------------------------------------------------------


def candidates(conn: Connection, criteria: Criteria, scope: str | None) -> Select[Any]:
    """The acts that meet every criterion, newest first, at most CANDIDATES + 1."""
    query = select(t.acts)
    if criteria.names:
        keyed = _keyed(conn, criteria, scope)
        query = query.join(
            keyed,
            and_(
                keyed.c.office_code == t.acts.c.office_code,
                keyed.c.act_id == t.acts.c.act_id,
            ),
        )
    for condition in filters(criteria, scope):
        query = query.where(condition)
    return query.order_by(t.acts.c.event_date.desc(), t.acts.c.ref).limit(
        CANDIDATES + 1
    )


def _keyed(conn: Connection, criteria: Criteria, scope: str | None) -> Any:
    field, driving, probes = driver(criteria)
    others = [
        (f, w)
        for f, words in criteria.names.items()
        for w in words
        if not (f == field and w in driving)
    ]
    selects = []
    for probe in probes:
        if probe.prefix is not None and probe.kind.endswith(PAIR):
            # A word and a prefix: few pair keys begin with both, read them all.
            selects.append(_probe(probe, None, others, criteria, scope))
            continue
        keys = probe.keys if probe.prefix is None else prefix_keys(conn, probe)
        for key in keys:
            selects.append(_probe(probe, key, others, criteria, scope))
    if not selects:
        never = select(name_keys.c.office_code, name_keys.c.act_id)
        return never.where(literal(False)).subquery()
    found = union(*selects).subquery()
    # The newest first: only the acts a search may rank are read from ``acts``.
    newest = select(found).order_by(found.c.event_date.desc()).limit(CANDIDATES + 1)
    return newest.subquery()


def _probe(
    probe: Probe,
    key: str | None,
    others: list[tuple[str, str]],
    criteria: Criteria,
    scope: str | None,
) -> Select[Any]:
    # The newest CANDIDATES + 1 acts under one key that meet every other criterion.
    k = name_keys.alias("k")
    query = select(k.c.office_code, k.c.act_id, k.c.event_date).where(
        k.c.role == probe.role, k.c.kind == probe.kind
    )
    if key is not None:
        query = query.where(k.c.key == key)
    else:
        assert probe.prefix is not None
        query = query.where(
            k.c.key >= probe.prefix,
            k.c.key < probe.prefix + "\uffff",
            k.c.key.like(_escaped(probe.prefix) + "%", escape="\\"),
        )
    if criteria.date_from is not None:
        query = query.where(k.c.event_date >= criteria.date_from)
    if criteria.date_to is not None:
        query = query.where(k.c.event_date <= criteria.date_to)
    if scope is not None:
        query = query.where(k.c.office_code == scope)
    for field, word in others:
        other = name_keys.alias()
        query = query.where(
            exists().where(
                other.c.office_code == k.c.office_code,
                other.c.act_id == k.c.act_id,
                other.c.role == ROLES[field],
                word_condition(word, other),
            )
        )
    on_act = filters(criteria, scope, names_only=True)
    if on_act:
        query = query.where(
            exists().where(
                t.acts.c.office_code == k.c.office_code,
                t.acts.c.act_id == k.c.act_id,
                *on_act,
            )
        )
    inner = query.order_by(k.c.event_date.desc()).limit(CANDIDATES + 1).subquery()
    return select(inner.c.office_code, inner.c.act_id, inner.c.event_date)


def filters(
    criteria: Criteria, scope: str | None, *, names_only: bool = False
) -> list[Any]:
    """The conditions on ``acts`` besides names (``names_only``: those keys lack)."""
    found: list[Any] = []
    if scope is not None and not names_only:
        found.append(t.acts.c.office_code == scope)
    if criteria.ref is not None:
        found.append(t.acts.c.ref == str(criteria.ref))
    if criteria.civil_id is not None:
        found.append(t.acts.c.civil_id == criteria.civil_id)
    if criteria.sex is not None:
        found.append(t.acts.c.sex == criteria.sex)
    if criteria.kind is not None:
        found.append(t.acts.c.kind == criteria.kind)
    if criteria.date_from is not None and not names_only:
        found.append(t.acts.c.event_date >= criteria.date_from)
    if criteria.date_to is not None and not names_only:
        found.append(t.acts.c.event_date <= criteria.date_to)
    if criteria.place is not None:
        found.append(t.acts.c.office_code.in_(_offices_at(criteria.place)))
    return found


def _offices_at(place: str) -> Select[Any]:
    # An office, or every office of a commune, a province or a region.
    o = t.offices.c
    return select(o.code).where(
        or_(
            o.code == place,
            o.commune_code == place,
            o.province_code == place,
            o.region_code == place,
        )
    )
