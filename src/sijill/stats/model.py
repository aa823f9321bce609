"""A tabulation: rows by one dimension, columns of counts (and shares), notes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sijill.domain.messages import render
from sijill.stats.scope import Scope

Value = int | float | None
TOTAL = "total"


@dataclass(frozen=True)
class Row:
    """One line of a table; a value of None in ``suppressed`` columns is hidden."""

    key: str
    label_ar: str
    label_fr: str
    values: dict[str, Value]
    suppressed: frozenset[str] = frozenset()

    def label(self, lang: str) -> str:
        return self.label_ar if lang == "ar" else self.label_fr


@dataclass(frozen=True)
class Tabulation:
    """A table of vital statistics: ``columns`` are counts unless listed in ``shares``."""

    name: str
    scope: Scope
    dimension: str
    columns: tuple[str, ...]
    rows: list[Row]
    notes: tuple[str, ...] = ()
    shares: frozenset[str] = frozenset()
    threshold: int | None = None  # set once small cells are suppressed
    extra: dict[str, Any] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return render(f"stats.title.{self.name}", lang, period=self.scope.label)

    def column_label(self, column: str, lang: str) -> str:
        found = render(f"stats.col.{column}", lang)
        return column if found == f"stats.col.{column}" else found

    def note_texts(self, lang: str) -> list[str]:
        texts = [render(f"stats.note.{n}", lang, **self.extra) for n in self.notes]
        if self.threshold is not None:
            texts.append(
                render("stats.note.suppressed", lang, threshold=self.threshold)
            )
        return texts

    @property
    def total(self) -> int:
        """How many events the table counts (0: nothing in the period)."""
        counted = [TOTAL] if TOTAL in self.columns else self.counts
        return int(
            sum(
                r.values.get(c) or 0
                for r in self.rows
                if r.key != TOTAL
                for c in counted
            )
        )

    @property
    def counts(self) -> list[str]:
        return [c for c in self.columns if c not in self.shares]

    def with_rows(self, rows: list[Row], threshold: int) -> Tabulation:
        return replace(self, rows=rows, threshold=threshold)

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.name,
            "title_ar": self.title("ar"),
            "title_fr": self.title("fr"),
            "scope": self.scope.as_dict(),
            "dimension": self.dimension,
            "columns": [
                {
                    "key": c,
                    "label_ar": self.column_label(c, "ar"),
                    "label_fr": self.column_label(c, "fr"),
                }
                for c in self.columns
            ],
            "rows": [
                {
                    "key": r.key,
                    "label_ar": r.label_ar,
                    "label_fr": r.label_fr,
                    "values": r.values,
                    "suppressed": sorted(r.suppressed),
                }
                for r in self.rows
            ],
            "suppression_threshold": self.threshold,
            "notes_ar": self.note_texts("ar"),
            "notes_fr": self.note_texts("fr"),
        }
