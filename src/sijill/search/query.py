"""The SQL of a search: candidate acts through their name tokens, then the filters.

Every word of a query must be met: each word stands for a set of tokens (its key in
its own script and its skeletons, or, for a prefix, the first letters of a key), and
an act is a candidate when it holds one token of every set. The index answers that
itself — PostgreSQL's GIN index intersects its posting lists, SQLite intersects
ranges of its token table — so "Mohamed Alaoui" costs the postings of both words in
the years read, not every Mohamed checked for Alaoui. Two words of a parent's name
also ask for one of their pairs (``pair_groups``), far rarer than either word.

Tokens carry the year of the act's date, and every act also holds its month's token.
A search reads the most recent months first (from the end of its date range, or
today) and goes back a window at a time, each sized for the candidates it still
wants (``sijill.search.windows``), until it holds more than a search ranks: the
newest acts first, as a clerk expects. A window of a few months asks for one of its
months' tokens besides the names', so the index hands over the acts of a common name
in those months only, never the whole of its year to sort.

Keys hold only letters (``sijill.domain.namekeys``) and every value is a bound
parameter, so no text of a query ever reaches the SQL itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from operator import ge, le
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    Connection,
    Date,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    cast,
    func,
    intersect,
    literal,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY

from sijill.domain.namekeys import script, skeletons
from sijill.search.criteria import CANDIDATES, Criteria
from sijill.search.index import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    PAIRED_ROLES,
    PERSON_NAMES,
    base_token,
    bucket,
    in_year,
    month_of,
    month_token,
    own_key,
    pair_token,
    pair_value,
    prefix_kind,
)
from sijill.search.postings import (
    TokenStats,
    intersected,
    per_month,
    token_stats,
)
from sijill.search.tables import name_index, name_tokens
from sijill.search.windows import Reading, Window
from sijill.store import tables as t

ROLES = {"name": "person", "father": "father", "mother": "mother"}

# One word of a query: the base tokens any one of which meets it.
Group = frozenset[int]


class Pair(frozenset[int]):
    """The base tokens of the pairs of two words of a parent's name (``pair_groups``),
    with the groups of the two words: how common the pair is, where the statistics do
    not say, is weighed from theirs."""

    words: tuple[Group, Group]

    def __new__(cls, tokens: Iterable[int], words: tuple[Group, Group]) -> Pair:
        pair = super().__new__(cls, tokens)
        pair.words = words
        return pair

    def __reduce__(
        self,
    ) -> tuple[type[Pair], tuple[frozenset[int], tuple[Group, Group]]]:
        return Pair, (frozenset(self), self.words)


def word_group(role: str, word: str) -> Group:
    """The base tokens that meet a query word in ``role``: its own key and its
    skeletons, or the prefix key when it ends with ``*``."""
    if word.endswith("*"):
        stem = word.rstrip("*")
        return frozenset({base_token(role, *prefix_kind(own_key(stem), script(stem)))})
    found = {base_token(role, script(word), own_key(word))}
    found |= {base_token(role, "sk", s) for s in skeletons(word)}
    return frozenset(found)


def groups_of(criteria: Criteria) -> list[Group]:
    """One group per distinct word of every name asked for, and one per two words
    next to each other in a parent's name (``pair_groups``)."""
    found: list[Group] = []
    for field, words in criteria.names.items():
        role = ROLES[field]
        for group in [*(word_group(role, w) for w in words), *pair_groups(role, words)]:
            if group not in found:
                found.append(group)
    return found


def pair_groups(role: str, words: Sequence[str]) -> list[Pair]:
    """The pair tokens an act holds when it meets two words of a name in ``role``
    (one of ``index.PAIRED_ROLES``), for each two words next to each other once
    prefixes are set aside (a prefix's first letters give no pair).

    An act meets a word through one of its keys, and each key gives a pair value
    (``index.pair_value``); the act holds the pair of every two distinct values of its
    role. So an act that meets both words holds a pair of one value of each — unless
    one value meets both, which is why words sharing a value give no group. A group
    only narrows what the index reads: the acts that meet it and the words are those
    that meet the words."""
    if role not in PAIRED_ROLES:
        return []
    whole = [w for w in words if not w.endswith("*")]
    found: list[Pair] = []
    for one, other in itertools.pairwise(whole):
        ones, others = _pair_values(one), _pair_values(other)
        if ones & others:
            continue
        tokens = (pair_token(role, a, b) for a in ones for b in others)
        found.append(Pair(tokens, (word_group(role, one), word_group(role, other))))
    return found


def _pair_values(word: str) -> frozenset[str]:
    # The pair values of the keys that meet a query word (``word_group``).
    return frozenset({pair_value(script(word), own_key(word)), *skeletons(word)})


def in_years(group: Group, years: range) -> list[int]:
    """The tokens of a group's keys in each of ``years``."""
    return sorted({in_year(b, y) for b in group for y in years})


# --- the query ----------------------------------------------------------------------


# The planner's settings while the name index is read: no sequential scan, and no
# index scan (the primary key read whole would be one); every statement planned for
# its own tokens; no parallel workers, whose start costs more than the read itself;
# and no JIT compilation: a rare set's estimate (the statistics know no token they do
# not keep) can pass ``jit_above_cost``, and compiling then costs about 4 ms for a
# read of half a millisecond.
_INDEX_SCANS = (
    ("enable_seqscan", "off"),
    ("enable_indexscan", "off"),
    ("plan_cache_mode", "force_custom_plan"),
    ("max_parallel_workers_per_gather", "0"),
    ("jit", "off"),
)


@contextmanager
def index_scans(conn: Connection) -> Iterator[None]:
    """Within the block (of a transaction), PostgreSQL reads the name index and plans
    each statement for its own tokens.

    Tokens are nearly all rare, but a plan made for any array (the generic plan of a
    prepared statement) cannot know it, and takes ``&&`` for a filter that keeps a
    good share of the table: it then walks every act newest first, or scans
    ``name_index`` whole. On an error the transaction's rollback undoes the settings.
    """
    if conn.dialect.name != "postgresql":
        yield
        return
    conn.exec_driver_sql("; ".join(f"SET LOCAL {n} = {v}" for n, v in _INDEX_SCANS))
    yield
    conn.exec_driver_sql("; ".join(f"RESET {name}" for name, _ in _INDEX_SCANS))


def find_candidates(
    conn: Connection,
    criteria: Criteria,
    scope: str | None,
    *,
    today: date,
    reads: Literal["act", "names", "parents"] = "act",
) -> list[Row[Any]]:
    """The acts that meet every criterion, newest first, at most CANDIDATES + 1
    (``today``: the newest day a search without an end date reads).

    Each row holds at least the act's key, date and person's names (``PERSON_NAMES``):
    what ranking reads; ``reads`` says what more: the whole act (``act``), nothing
    (``names``), or a ``data`` holding at least the parents' names (``parents``). On
    PostgreSQL the index rows themselves give names and parents; with a criterion on
    the act itself, rows are whole acts."""
    limit = CANDIDATES + 1
    if not criteria.names:
        query = select(t.acts).where(*filters(criteria, scope))
        return list(conn.execute(_ordered(query, t.acts.c.event_date, limit)).all())
    groups = groups_of(criteria)
    top = criteria.date_to or today
    bottom = criteria.date_from or date(EARLIEST_YEAR, 1, 1)
    where = filters(criteria, scope, names_only=True)
    # PostgreSQL's index rows hold the names ranked: a common name's candidates are
    # not fetched from the national table of acts, only the page shown is.
    postgresql = conn.dialect.name == "postgresql"
    from_index = not where and reads != "act" and postgresql
    stats = token_stats(conn) if postgresql else None
    reading = Reading.of_days(
        top,
        bottom,
        limit,
        _expected(stats, groups, top.year),
        None if stats is None else stats.years,
    )
    dates = (criteria.date_from, criteria.date_to)
    found: list[Any] = []
    with index_scans(conn):
        while reading.high >= reading.bottom:
            if stats is not None and reading.high // 12 not in stats.years:
                # A year the statistics know no act of: on to the newest act there
                # is (the future, the years before the registers began).
                reading.skip_to(_newest(conn, reading.high))
            if (window := reading.next()) is None:
                break
            wanted = limit - len(found)
            if postgresql and not where:
                # Without a criterion on the act itself, only the index is read until
                # the newest acts are chosen: a common name's year is not fetched whole.
                rows = window_rows(
                    conn,
                    groups,
                    window,
                    dates,
                    scope,
                    limit=wanted,
                    names=from_index,
                    parents=from_index and reads == "parents",
                )
            else:
                query = keyed(
                    conn,
                    groups,
                    window,
                    date_from=dates[0],
                    date_to=dates[1],
                    scope=scope,
                )
                query = joined(query, where) if where else query
                rows = list(conn.execute(query.limit(wanted)).all())
            found += rows
            reading.found(len(rows))
    if where or from_index:
        return found
    return read_acts(conn, found, _RANKED if reads == "names" else None)


def _newest(conn: Connection, month: int) -> int | None:
    # The month of the newest act the index holds dated in or before ``month`` (the
    # last month of the index: at any date), read from the B-tree of dates by an
    # index scan, which the windows' statements go without.
    query = select(func.max(name_index.c.event_date))
    last_day = Window(month, month).last_day
    if last_day < date(LATEST_YEAR, 12, 31):
        query = query.where(name_index.c.event_date <= last_day)
    conn.exec_driver_sql("SET LOCAL enable_indexscan = on")
    day = conn.execute(query).scalar()
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
    return None if day is None else month_of(day)


# Back to how many years a search looks for one the statistics know, to size its
# first window (the index may hold no act of the current year yet).
_KNOWN_YEARS = 10


def _expected(
    stats: TokenStats | None, groups: Sequence[Group], year: int
) -> float | None:
    # The candidates a month that ``stats`` expect of ``groups`` in the newest year
    # they know up to ``year``: what the first window is sized for.
    if stats is None:
        return None
    for y in range(bucket(year), bucket(year) - _KNOWN_YEARS, -1):
        rate = per_month(stats, y, [[in_year(b, y) for b in g] for g in groups])
        if rate is not None:
            return rate
    return None


# What ranking reads of an act when the parents' names are not asked, and what a
# search shows of it: the declaration (a few kilobytes of JSON) is not read.
_RANKED = ("office_code", "act_id", "event_date", *PERSON_NAMES)
SHOWN = (*_RANKED, "ref", "kind", "sex", "civil_id")


def read_acts(
    conn: Connection, keys: Sequence[Any], columns: Sequence[str] | None = SHOWN
) -> list[Row[Any]]:
    """``columns`` of the acts of ``keys`` (rows with ``office_code`` and ``act_id``),
    in the order of ``keys`` (``None``: the whole act)."""
    if not keys:
        return []
    a = t.acts.c
    wanted = [(k.office_code, k.act_id) for k in keys]
    selected = [t.acts] if columns is None else [a[name] for name in columns]
    rows = conn.execute(
        select(*selected).where(tuple_(a.office_code, a.act_id).in_(wanted))
    ).all()
    by_key = {(r.office_code, r.act_id): r for r in rows}
    return [by_key[key] for key in wanted if key in by_key]


def keyed(
    conn: Connection,
    groups: Sequence[Group],
    window: Window | range,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    scope: str | None = None,
    names: bool = False,
    parents: bool = False,
) -> Select[Any]:
    """(office, act, date) of the acts dated in ``window`` (or in a range of years)
    that hold a token of every group, newest first: the index alone (``names``: with
    the person's names, ``parents``: with the parents' as ``data``; both held by
    PostgreSQL's index only)."""
    if isinstance(window, range):
        window = Window.of_years(window)
    if conn.dialect.name == "postgresql":
        statement, values = _window_statement(
            conn, groups, window, (date_from, date_to), scope, None, names, parents
        )
        return statement.params(values)
    if names or parents:
        raise ValueError("names: SQLite's index holds tokens only")
    query = _intersected(_asked(groups, window))
    day = query.selected_columns.event_date
    query = query.where(
        *(op(day, bound) for op, bound in _bounds(window, (date_from, date_to)))
    )
    if scope is not None:
        query = query.where(query.selected_columns.office_code == scope)
    office, act = query.selected_columns.office_code, query.selected_columns.act_id
    return query.order_by(day.desc(), office, act)


def window_rows(
    conn: Connection,
    groups: Sequence[Group],
    window: Window,
    dates: tuple[date | None, date | None],
    scope: str | None,
    *,
    limit: int,
    names: bool,
    parents: bool,
) -> list[Row[Any]]:
    """PostgreSQL: the newest ``limit`` rows of ``keyed`` (``dates``: from, to).

    A search reads many windows: each is a statement made once for its shape and
    given its tokens and dates as parameters, not an expression built, keyed and
    looked up anew (which cost more than PostgreSQL's own work on a narrow window).
    """
    statement, values = _window_statement(
        conn, groups, window, dates, scope, limit, names, parents
    )
    return list(conn.execute(statement, values).all())


def _window_statement(
    conn: Connection,
    groups: Sequence[Group],
    window: Window,
    dates: tuple[date | None, date | None],
    scope: str | None,
    limit: int | None,
    names: bool,
    parents: bool,
) -> tuple[Select[Any], dict[str, Any]]:
    # PostgreSQL: the statement of the window's shape, and its values.
    tokens = _asked(groups, window)
    bounds = _bounds(window, dates)
    statement = _statement(
        tuple(_chosen(conn, groups, tokens, window)),
        tuple(op for op, _ in bounds),
        scope is not None,
        names,
        parents,
        limit is not None,
    )
    values: dict[str, Any] = {f"t{i}": group for i, group in enumerate(tokens)}
    values |= {f"d{i}": bound for i, (_, bound) in enumerate(bounds)}
    if scope is not None:
        values["scope"] = scope
    if limit is not None:
        values["limit"] = limit
    return statement, values


def _asked(groups: Sequence[Group], window: Window) -> list[list[int]]:
    # The sets of tokens a window asks for, an act holding one of each: every word's
    # tokens in the window's years, then its months' when it is short enough.
    tokens = [in_years(group, window.years) for group in groups]
    months = window.month_tokens()
    if months is not None:
        tokens.append(months)
    return tokens


@lru_cache(maxsize=1024)
def _statement(
    indexed: tuple[bool, ...],
    bounds: tuple[Callable[[Any, Any], Any], ...],
    scoped: bool,
    names: bool,
    parents: bool,
    limited: bool,
) -> Select[Any]:
    # PostgreSQL: the statement of a window's shape, its values as parameters: tokens
    # ``t0``…, each set through the GIN index where ``indexed``, else checked on the
    # row's own array; dates ``d0``… (``bounds``: ge or le), ``scope``, ``limit``.
    index: Any = name_index
    columns = ("office_code", "act_id", "event_date") + (PERSON_NAMES if names else ())
    selected = [index.c[name] for name in columns]
    if parents:
        selected.append(index.c.parents.label("data"))
    unindexed = type_coerce(
        func.coalesce(index.c.tokens, index.c.tokens), ARRAY(BigInteger)
    )
    # The dates are checked on the rows the tokens find: PostgreSQL's B-tree of dates
    # (``_newest``) would hand over every act of the window's years to intersect.
    day = func.coalesce(index.c.event_date, index.c.event_date)
    conditions = [
        (index.c.tokens if through_index else unindexed).overlap(
            # bigint[] whatever the size of the values, so that && meets the index.
            cast(bindparam(f"t{i}", type_=ARRAY(BigInteger)), ARRAY(BigInteger))
        )
        for i, through_index in enumerate(indexed)
    ]
    conditions += [
        op(day, bindparam(f"d{i}", type_=Date)) for i, op in enumerate(bounds)
    ]
    if scoped:
        conditions.append(index.c.office_code == bindparam("scope"))
    query = (
        select(*selected)
        .where(*conditions)
        .order_by(index.c.event_date.desc(), index.c.office_code, index.c.act_id)
    )
    return query.limit(bindparam("limit", type_=Integer)) if limited else query


def _chosen(
    conn: Connection, groups: Sequence[Group], tokens: list[list[int]], window: Window
) -> list[bool]:
    # Which sets the GIN index intersects (``postings``); the others are checked on
    # the rows it finds. Name tokens hold a year: their shares are of the rows of
    # the window's years, which its months' tokens count; a word's share in a year
    # is that of its most common key (``TokenStats.word``).
    # The two words of a pair are held by nearly every act holding the pair: beside
    # it they narrow nothing, so they count as held by every row and are checked on
    # the rows (the choice takes the sets for independent, which these are not).
    # ``tokens``: every set asked (``_asked``), the words' first, then the months'.
    stats = token_stats(conn)
    if stats is None or len(tokens) < 2:
        return [True] * len(tokens)
    first, last = window.years[0] * 12, window.years[-1] * 12 + 11
    span = max(stats.share([month_token(m) for m in range(first, last + 1)]), 1e-12)
    paired = {word for g in groups if isinstance(g, Pair) for word in g.words}
    shares = [
        span if g in paired else sum(_share(stats, g, y) for y in window.years)
        for g in groups
    ]
    shares += [stats.share(months) for months in tokens[len(groups) :]]
    return intersected([min(1.0, s / span) for s in shares], stats.rows * span)


def _share(stats: TokenStats, group: Group, year: int) -> float:
    # The share of the rows holding a group's token in ``year``: a word's, or a pair's.
    tokens = [in_year(b, year) for b in group]
    if not isinstance(group, Pair):
        return stats.word(tokens)
    one, other = ([in_year(b, year) for b in word] for word in group.words)
    return stats.pair(tokens, one, other, year)


def joined(keys: Select[Any], where: Sequence[Any]) -> Select[Any]:
    """The acts of ``keys`` (a ``keyed`` query) that meet ``where``, newest first."""
    found = keys.order_by(None).subquery()
    query = (
        select(t.acts)
        .join(
            found,
            and_(
                found.c.office_code == t.acts.c.office_code,
                found.c.act_id == t.acts.c.act_id,
            ),
        )
        .where(*where)
    )
    return _ordered(query, found.c.event_date, None)


def _array(tokens: list[int]) -> Any:
    # bigint[] whatever the size of the values, so that ``&&`` meets the GIN index.
    return cast(literal(tokens, ARRAY(BigInteger)), ARRAY(BigInteger))


def _intersected(tokens: list[list[int]]) -> Select[Any]:
    # SQLite: the acts of each group read from the token table's own order, intersected.
    n = name_tokens.c
    selects = [
        select(n.office_code, n.act_id, n.event_date).where(n.token.in_(group))
        for group in tokens
    ]
    if len(selects) == 1:
        return selects[0].distinct()
    both = intersect(*selects).subquery()
    return select(both.c.office_code, both.c.act_id, both.c.event_date)


def _bounds(
    window: Window, dates: tuple[date | None, date | None]
) -> list[tuple[Callable[[Any, Any], Any], date]]:
    # The window's own days and the range asked (from, to), as (ge or le, day); the
    # tokens of an edge year also hold the years beyond.
    found: list[tuple[Callable[[Any, Any], Any], date]] = []
    if window.first_day > date(EARLIEST_YEAR, 1, 1):
        found.append((ge, window.first_day))
    if window.last_day < date(LATEST_YEAR, 12, 31):
        found.append((le, window.last_day))
    date_from, date_to = dates
    if date_from is not None:
        found.append((ge, date_from))
    if date_to is not None:
        found.append((le, date_to))
    return found


def _ordered(query: Select[Any], day: Any, limit: int | None) -> Select[Any]:
    ordered = query.order_by(day.desc(), t.acts.c.ref)
    return ordered if limit is None else ordered.limit(limit)


def count_holding(conn: Connection, group: Group, years: range) -> int:
    """How many acts dated in ``years`` hold a token of ``group``."""
    tokens = in_years(group, years)
    if conn.dialect.name == "postgresql":
        query = select(func.count()).where(name_index.c.tokens.overlap(_array(tokens)))
    else:
        query = select(
            func.count(func.distinct(name_tokens.c.office_code + name_tokens.c.act_id))
        ).where(name_tokens.c.token.in_(tokens))
    with index_scans(conn):
        return int(conn.execute(query).scalar_one())


def filters(
    criteria: Criteria, scope: str | None, *, names_only: bool = False
) -> list[Any]:
    """The conditions on ``acts`` besides names (``names_only``: those the name index
    does not hold: it holds the office and the date)."""
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
