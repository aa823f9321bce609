"""Small-cell suppression for tables published outside the ministry.

A count from 1 to ``threshold - 1`` could point at a family, so it is hidden (primary
suppression). Where a row or a column has a total, one hidden cell could be recovered
by subtraction, so a second cell of that line is hidden too (secondary suppression),
until no line has exactly one hidden cell. Zeros are shown: they name nobody.
"""

from __future__ import annotations

from sijill.domain.errors import InvalidInput, Violation
from sijill.stats.model import TOTAL, Row, Tabulation, Value

DEFAULT_THRESHOLD = 5


def check_threshold(threshold: int, *, public: bool) -> None:
    """A public table needs a threshold of at least 1; nobody may ask for less than 0."""
    if threshold < 0:
        raise InvalidInput([Violation("threshold", "stats.threshold_negative")])
    if public and threshold < 1:
        raise InvalidInput(
            [Violation("threshold", "stats.threshold_public", {"threshold": threshold})]
        )


def suppress(table: Tabulation, threshold: int) -> Tabulation:
    """The table with its small cells (and the cells that would reveal them) hidden."""
    counts = [c for c in table.columns if c not in table.shares]
    hidden = {
        (r.key, c)
        for r in table.rows
        for c in counts
        if _small(r.values.get(c), threshold)
    }
    _secondary(table.rows, counts, hidden)
    rows = []
    for r in table.rows:
        gone = {c for c in counts if (r.key, c) in hidden}
        if gone:  # a share computed from a hidden count would give it away
            gone |= set(table.shares)
        values = {c: (None if c in gone else v) for c, v in r.values.items()}
        rows.append(Row(r.key, r.label_ar, r.label_fr, values, frozenset(gone)))
    return table.with_rows(rows, threshold)


def _small(value: Value, threshold: int) -> bool:
    return isinstance(value, int) and 0 < value < threshold


def _secondary(
    rows: list[Row], counts: list[str], hidden: set[tuple[str, str]]
) -> None:
    inner = [c for c in counts if c != TOTAL]
    body = [r for r in rows if r.key != TOTAL]
    # Each line: its cells, and the margin that would give a lone hidden cell away.
    lines: list[tuple[list[tuple[str, str, Value]], tuple[str, str]]] = []
    if TOTAL in counts:
        lines += [
            ([(r.key, c, r.values.get(c)) for c in inner], (r.key, TOTAL)) for r in body
        ]
    if any(r.key == TOTAL for r in rows):
        lines += [
            ([(r.key, c, r.values.get(c)) for r in body], (TOTAL, c)) for c in inner
        ]
    changed = True
    while changed:
        changed = False
        for cells, margin in lines:
            if sum((k, c) in hidden for k, c, _ in cells) != 1 or margin in hidden:
                continue
            shown = [
                (v, k, c)
                for k, c, v in cells
                if (k, c) not in hidden and isinstance(v, int) and v > 0
            ]
            hidden.add(min(shown)[1:] if shown else margin)
            changed = True
