"""Which token sets of a search the GIN index intersects: the cheapest choice."""

from __future__ import annotations

import math
from itertools import product

from hypothesis import given
from hypothesis import strategies as st

from sijill.search.index import month_token
from sijill.search.postings import TokenStats, cost, intersected, per_month

shares = st.lists(st.floats(min_value=1e-8, max_value=1.0), min_size=1, max_size=6)
rows = st.floats(min_value=1.0, max_value=1e8)


@given(shares=shares, rows=rows)
def test_the_rarest_set_is_always_intersected_and_no_choice_costs_less(
    shares: list[float], rows: float
) -> None:
    chosen = intersected(shares, rows)
    assert chosen[shares.index(min(shares))]
    best = cost(shares, rows, chosen)
    for other in product((False, True), repeat=len(shares)):
        if any(other):
            assert best <= cost(shares, rows, other) * (1 + 1e-9) + 1e-9


def test_a_common_first_name_is_checked_on_the_rows_a_rare_family_name_finds() -> None:
    # A father's Mohamed over twenty years (12 % of ten million acts) and a rare
    # family name (300 acts): decoding a million postings costs more than reading
    # the few rows the family name finds.
    assert intersected([0.12, 0.00003], 1e7) == [False, True]
    # A common family name in one year (6,000 acts) and one of its months: the month
    # spares reading 5,500 rows for 24,000 postings.
    assert intersected([0.0006, 0.0024], 1e7) == [True, True]


def test_a_token_outside_the_common_ones_counts_as_rarer_than_all_of_them() -> None:
    stats = TokenStats({1: 0.01, 2: 0.002}, other=0.0005, rows=1e6)
    assert stats.share([1, 2]) == 0.012
    assert stats.share([3, 4]) == 0.001
    assert stats.share([1] * 200) == 1.0


def _months(year: int) -> list[int]:
    return [month_token(year * 12 + m) for m in range(12)]


def test_the_years_known_are_those_with_a_month_among_the_common_tokens() -> None:
    stats = TokenStats(
        {_months(2019)[4]: 0.01, _months(2024)[0]: 0.02, 7: 0.5}, 0.0, 1e6
    )
    assert stats.years == {2019, 2024}


@given(
    rows=st.floats(min_value=1.0, max_value=1e8),
    year=st.floats(min_value=1e-4, max_value=0.2),
    words=st.lists(st.floats(min_value=1e-9, max_value=0.3), min_size=1, max_size=4),
)
def test_a_month_holds_at_most_the_acts_of_the_rarest_word_asked(
    rows: float, year: float, words: list[float]
) -> None:
    # A year holding ``year`` of the acts, a twelfth in each month; word i held by
    # ``words[i]`` of them (tokens 1, 2 …).
    months = _months(2020)
    common = dict.fromkeys(months, year / 12) | {i + 1: w for i, w in enumerate(words)}
    stats = TokenStats(common, other=1e-9, rows=rows)
    groups = [[i + 1] for i in range(len(words))]
    rate = per_month(stats, 2020, groups)
    assert rate is not None
    assert math.isclose(rate, rows * min(year, *words) / 12)
    assert per_month(stats, 2021, groups) is None  # a year it knows nothing of


def test_a_word_is_as_common_as_its_most_common_key() -> None:
    # Its own key and its skeleton: an act holding the name holds both, so their
    # shares are not added; a key the statistics do not list counts as the rarest.
    stats = TokenStats({1: 0.02, 2: 0.05, 3: 0.9, 4: 0.8}, other=1e-6, rows=1e6)
    assert stats.word([1, 2]) == 0.05
    assert stats.word([9]) == 1e-6
    assert stats.word([3, 4]) == 0.9 and stats.share([3, 4]) == 1.0


def test_a_pair_the_statistics_do_not_keep_is_its_two_words_met_independently() -> None:
    # A year holding 5 % of the acts; a father's Mohamed held by 1 % of all acts (a
    # fifth of that year's), a family name by 0.05 % (1 % of the year's): the pair,
    # unknown to the statistics, is held by a fifth of the family name's acts.
    months = _months(2020)
    common = dict.fromkeys(months, 0.05 / 12) | {1: 0.01, 2: 0.0005, 3: 0.0002}
    stats = TokenStats(common, other=0.0001, rows=1e6)
    assert math.isclose(stats.year(2020), 0.05)
    assert math.isclose(stats.pair([9], [1], [2], 2020), 0.01 * 0.0005 / 0.05)
    # At most as common as the rarest tokens kept; as counted when one is kept.
    assert stats.pair([9], [1], [1], 2020) == 0.0001
    assert stats.pair([3, 9], [1], [2], 2020) == 0.0002
    # A year the statistics know no act of: as rare as any token not kept.
    assert stats.pair([9], [1], [2], 2021) == 0.0001
