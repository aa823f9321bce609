"""The windows of months a search reads, newest first, each sized for what it still wants.

A search wants its newest candidates (``criteria.CANDIDATES`` and one more). It reads
the months from the end of its date range (or today) back to the beginning, a window
at a time, and stops once it holds enough. What a window costs is the postings of its
names in its years (a name's tokens hold its year, not its month) and the rows it
fetches, so a window should be as long as the candidates still wanted need, and no
longer:

- the first, as long as the index's statistics say they need at least (``expected``:
  at most how many candidates a month hold), or one month without statistics;
- once some are found, as long as the months already read say the rest will need
  (their candidates a month), with a margin; at most four times the months read,
  since a few acts found say little of the rest;
- after a window read in vain, twice as long as that one;
- a window that reaches into an earlier year reads it whole, back to its January:
  the postings of that year's names are decoded once, not again by the next window;
- and, when the years the index's statistics know acts of are given (``years``), a
  window holds at most four of them and sixteen years in all: PostgreSQL's GIN index
  looks, for each act it meets, at every token of a word, one a year of the window,
  so one window of twenty years costs several times what five of four years cost.

Every month is read once, newest first, whatever the sizes: sizing changes what a
search costs, never which acts it finds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from sijill.search.index import bucket, month_of, month_token

# A window of at most this many months also asks for one of its months' tokens; a
# longer one reads its years' name tokens alone (a month's postings are long).
MONTHS_ASKED = 16
# Windows are sized for this many times the candidates still wanted: reading a little
# more than needed costs less than a further window.
MARGIN = 1.5
# Each window at most this many times the months read before it, once acts are found.
GROWTH = 4
# At most this many years the statistics know acts of in one window, and in all.
KNOWN_YEARS_AT_ONCE = 4
YEARS_AT_ONCE = 16


@dataclass(frozen=True)
class Window:
    """Months ``first`` to ``last`` (``index.month_of``), both read."""

    first: int
    last: int

    @classmethod
    def of_years(cls, years: range) -> Window:
        return cls(bucket(years[0]) * 12, bucket(years[-1]) * 12 + 11)

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    @property
    def years(self) -> range:
        return range(self.first // 12, self.last // 12 + 1)

    @property
    def first_day(self) -> date:
        return date(self.first // 12, self.first % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        after = self.last + 1
        return date(after // 12, after % 12 + 1, 1) - timedelta(days=1)

    def month_tokens(self) -> list[int] | None:
        """The tokens of its months, when few enough to ask for."""
        if self.months > MONTHS_ASKED:
            return None
        return [month_token(m) for m in range(self.first, self.last + 1)]


@dataclass
class Reading:
    """The windows of one search from month ``top`` down to month ``bottom``: call
    ``next()`` for the next window, then ``found(n)`` with the candidates it gave."""

    top: int
    bottom: int
    wanted: int
    expected: float | None = None
    years: frozenset[int] | None = None
    held: int = 0
    read: int = 0  # months read, those skipped aside
    last: Window | None = None
    last_found: int = 0

    def __post_init__(self) -> None:
        self.high = self.top  # the newest month not read yet

    @classmethod
    def of_days(
        cls,
        top: date,
        bottom: date,
        wanted: int,
        expected: float | None = None,
        years: frozenset[int] | None = None,
    ) -> Reading:
        """The reading of the months of ``top`` down to ``bottom``'s."""
        return cls(month_of(top), month_of(bottom), wanted, expected, years)

    def next(self) -> Window | None:
        """The next window to read; None once every month is read or enough are held."""
        high = self.high
        if high < self.bottom or self.held >= self.wanted:
            return None
        first = high - self.size() + 1
        if first // 12 < high // 12:
            first -= first % 12  # into an earlier year: the whole of it
            first = max(first, self._earliest(high // 12) * 12)
        self.last = Window(max(self.bottom, first), high)
        self.last_found = 0
        self.read += self.last.months
        self.high = self.last.first - 1
        return self.last

    def skip_to(self, month: int | None) -> None:
        """No act is dated after ``month`` in the months not read yet (None: no act
        at all): the next window begins there."""
        self.high = min(self.high, self.bottom - 1 if month is None else month)

    def _earliest(self, year: int) -> int:
        # The earliest year a window from ``year`` down may reach.
        low = self.bottom // 12
        if self.years is None:
            return low
        known = 0
        for earliest in range(year, max(low, year - YEARS_AT_ONCE + 1) - 1, -1):
            known += earliest in self.years
            if known == KNOWN_YEARS_AT_ONCE:
                return earliest
        return max(low, year - YEARS_AT_ONCE + 1)

    def found(self, count: int) -> None:
        """The last window gave ``count`` candidates."""
        self.held += count
        self.last_found += count

    def size(self) -> int:
        """How many months the next window reads before it is widened to a year's
        beginning (at least one)."""
        still = self.wanted - self.held
        if self.last is None:
            if self.expected:
                return max(1, math.ceil(still * MARGIN / self.expected))
            return 1
        if not self.last_found:
            return 2 * self.last.months
        needed = math.ceil(still * MARGIN * self.read / self.held)
        return max(1, min(needed, GROWTH * self.read))
