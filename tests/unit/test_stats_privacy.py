"""Small-cell suppression: no shown count below the threshold, none recoverable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sijill.stats.completeness import YOUNG_CHILD_SHARES, default_birth_rates
from sijill.stats.model import TOTAL, Row, Tabulation
from sijill.stats.privacy import suppress
from sijill.stats.scope import Scope
from sijill.store import geography

counts = st.lists(
    st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=3),
    min_size=1,
    max_size=8,
)


def _table(grid: list[list[int]]) -> Tabulation:
    columns = ("a", "b", "c")
    rows = [
        Row(str(i), "", "", {**dict(zip(columns, line, strict=True)), TOTAL: sum(line)})
        for i, line in enumerate(grid)
    ]
    sums = {c: sum(line[j] for line in grid) for j, c in enumerate(columns)}
    rows.append(Row(TOTAL, "", "", {**sums, TOTAL: sum(sums.values())}))
    return Tabulation(
        "births.month", Scope(2025, 2025), "month", (*columns, TOTAL), rows
    )


@given(counts, st.integers(min_value=1, max_value=10))
def test_no_small_count_is_shown_nor_recoverable_from_a_total(
    grid: list[list[int]], threshold: int
) -> None:
    table = suppress(_table(grid), threshold)
    inner = ("a", "b", "c")
    for row in table.rows:
        for column, value in row.values.items():
            if column not in row.suppressed:
                assert value == 0 or (isinstance(value, int) and value >= threshold)
        if row.key != TOTAL and TOTAL not in row.suppressed:
            assert sum(c in row.suppressed for c in inner) != 1
    body = [r for r in table.rows if r.key != TOTAL]
    margin = table.rows[-1]
    for column in inner:
        if column not in margin.suppressed:
            assert sum(column in r.suppressed for r in body) != 1


def test_a_table_with_nothing_small_is_left_whole() -> None:
    table = suppress(_table([[10, 20, 30], [0, 6, 7]]), 5)
    assert not any(r.suppressed for r in table.rows)
    assert table.threshold == 5


def test_the_default_birth_rates_come_from_the_2024_census() -> None:
    assert geography.young_child_shares() == YOUNG_CHILD_SHARES
    assert default_birth_rates()["06"] == 14.8  # Casablanca-Settat: 7.4 % aged 0-4
