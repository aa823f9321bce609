"""Which of a search's token sets PostgreSQL's GIN index should intersect.

Every word of a query is a set of tokens that an act must hold one of; the month of a
short window is one more. The GIN index can intersect all of them, but a very common
word costs all its postings: a father's "Mohamed" over twenty years is a million
entries to decode, for a handful of acts that the rarer words already single out.
Such a set is better checked on the rows the others find (the table holds the tokens
beside the act). Conversely a month's token is worth intersecting when the names
alone would hand over a year of acts to read.

The choice weighs both costs with the table's own statistics: ``ANALYZE`` keeps the
most common tokens of ``name_index`` and their frequencies (``pg_stats``), and every
other token is rarer than the least common of them (migration 0022 keeps ten thousand).
Without statistics every set is intersected, as it always is on SQLite. The choice
changes the cost of a search, never its acts; statistics older than a large load
(autovacuum analyzes the table again once a tenth of it has changed) may count the
names of the years just loaded as rare, and then intersect them as before.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from sqlalchemy import Connection, text

from sijill.search.index import EARLIEST_YEAR, LATEST_YEAR, month_token

# Rough costs, in the same unit: a posting decoded and merged by the GIN index, and a
# row of the table read and checked (from the cache, one page each). Measured at 10 M
# acts: about 40 ns a posting, 10 µs a row.
POSTING_COST = 0.02
ROW_COST = 5.0
# Statistics are read again after this many seconds: ANALYZE runs seldom.
STATS_SECONDS = 600.0


@dataclass(frozen=True)
class TokenStats:
    """How common tokens are in ``name_index``: the frequency (share of rows holding
    it) of the most common ones, a frequency for all others, and the row count."""

    common: dict[int, float]
    other: float
    rows: float

    @cached_property
    def years(self) -> frozenset[int]:
        """The years the statistics know acts of: those with a month among the most
        common tokens (every act holds its month's)."""
        months = _month_years()
        return frozenset(months[t] for t in self.common if t in months)

    def share(self, tokens: Sequence[int]) -> float:
        """The estimated share of rows holding one of ``tokens``."""
        return min(1.0, sum(self.common.get(t, self.other) for t in tokens))

    def word(self, tokens: Iterable[int]) -> float:
        """The estimated share of rows holding a word whose keys (its own and its
        skeletons, in one year) have these ``tokens``: that of its most common key,
        since nearly every act holding a name holds its key and its skeleton both."""
        return min(1.0, max(self.common.get(t, self.other) for t in tokens))

    def year(self, year: int) -> float:
        """The share of rows dated in ``year``: that of its months' tokens."""
        return sum(self.common.get(month_token(m), 0.0) for m in _months(year))

    def pair(
        self, tokens: Sequence[int], one: Sequence[int], other: Sequence[int], year: int
    ) -> float:
        """The estimated share of rows holding a pair of two words (``tokens``, in
        ``year``) whose own tokens are ``one`` and ``other``: the statistics' count
        when they keep one of the pair's tokens; else the two words met independently
        among the acts of the year, and at most as many as the rarest tokens kept.
        A pair is far rarer than its words (a father's first and family names), and
        taking it for as common as any token they do not keep would intersect both
        words again."""
        if any(t in self.common for t in tokens):
            return self.word(tokens)
        acts = self.year(year)
        if not acts:
            return self.other
        return min(self.other, self.word(one) * self.word(other) / acts)


def _months(year: int) -> range:
    # The months of a year (``index.month_of``).
    return range(year * 12, year * 12 + 12)


@cache
def _month_years() -> dict[int, int]:
    # The year of each month's token.
    first, last = EARLIEST_YEAR * 12, (LATEST_YEAR + 1) * 12
    return {month_token(m): m // 12 for m in range(first, last)}


_cache: dict[str, tuple[float, TokenStats | None]] = {}


def token_stats(conn: Connection) -> TokenStats | None:
    """The statistics of ``name_index``'s tokens, read at most every STATS_SECONDS
    per database; None before the table was first analyzed."""
    key = str(conn.engine.url)
    now = time.monotonic()
    held = _cache.get(key)
    if held is not None and now - held[0] < STATS_SECONDS:
        return held[1]
    row = conn.execute(
        text(
            "SELECT s.most_common_elems::text::bigint[], s.most_common_elem_freqs, "
            "c.reltuples FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
            "WHERE s.tablename = 'name_index' AND s.attname = 'tokens' "
            "AND s.most_common_elems IS NOT NULL"
        )
    ).first()
    stats = None
    if row is not None and row[0] and row[2] > 0:
        elems, freqs = list(row[0]), list(row[1])
        # After the frequencies of the elements: their minimum, maximum, and nulls'.
        least = freqs[len(elems)]
        stats = TokenStats(dict(zip(elems, freqs, strict=False)), least / 2, row[2])
    _cache[key] = (now, stats)
    return stats


def intersected(shares: Sequence[float], rows: float) -> list[bool]:
    """For token sets whose shares of the rows are ``shares``, which the index
    intersects (True) and which are checked on the rows it finds (False).

    The rarest set always; then each next rarer one while the rows it spares
    reading cost more than decoding its postings (independent sets assumed).
    """
    order = sorted(range(len(shares)), key=lambda i: shares[i])
    chosen = [False] * len(shares)
    if not order:
        return chosen
    chosen[order[0]] = True
    found = rows * shares[order[0]]
    for i in order[1:]:
        spared = found * (1 - shares[i]) * ROW_COST
        if spared <= rows * shares[i] * POSTING_COST:
            break
        chosen[i] = True
        found *= shares[i]
    return chosen


def per_month(
    stats: TokenStats, year: int, groups: Sequence[Sequence[int]]
) -> float | None:
    """At most how many acts a month hold a token of every one of ``groups`` in
    ``year``, whose tokens in that year are those given: as many as hold the rarest
    group (the words of a name often go together: Fatima Zahra, Mohamed Ali). None
    when the statistics know no act of the year. A group's share is that of its
    word (``TokenStats.word``)."""
    acts = stats.year(year)
    if not acts or not groups:
        return None
    rarest = min(stats.word(tokens) for tokens in groups)
    return stats.rows * min(acts, rarest) / 12


def cost(shares: Sequence[float], rows: float, chosen: Sequence[bool]) -> float:
    """The estimated cost of intersecting the ``chosen`` sets and reading their rows."""
    postings = sum(s * rows for s, c in zip(shares, chosen, strict=True) if c)
    found = rows * math.prod(s for s, c in zip(shares, chosen, strict=True) if c)
    return postings * POSTING_COST + found * ROW_COST
