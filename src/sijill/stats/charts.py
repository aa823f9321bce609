"""Charts of a tabulation as PNG or SVG (matplotlib, Agg backend, nothing on screen).

Labels on charts are in French: matplotlib lays text out left to right without
shaping, so Arabic would come out as disjoint letters; the tables carry the Arabic.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure

from sijill.stats.model import TOTAL, Tabulation

CHART_FORMATS = ("png", "svg")


def chart(table: Tabulation, fmt: str = "png") -> bytes:
    """A time series for trends, else ranked (or ordered) bars of the first figure."""
    figure = Figure(figsize=(9, 5), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    rows = [r for r in table.rows if r.key != TOTAL]
    if table.name == "trends":
        years = [r.key for r in rows]
        for column in ("births", "deaths"):
            values = [r.values.get(column) or 0 for r in rows]
            axes.plot(years, values, marker="o", label=table.column_label(column, "fr"))
        axes.legend()
    else:
        column = TOTAL if TOTAL in table.columns else table.columns[0]
        if table.dimension in ("region", "province", "commune", "office"):
            rows = sorted(rows, key=lambda r: _number(r.values.get(column)))
        labels = [r.label("fr") for r in rows]
        values = [_number(r.values.get(column)) for r in rows]
        axes.barh(labels, values, color="#1f5f8b")
        axes.set_xlabel(table.column_label(column, "fr"))
        for index, row in enumerate(rows):
            if column in row.suppressed:
                axes.annotate("×", (0, index), va="center")
    axes.set_title(table.title("fr"), fontsize=10, wrap=True)
    out = io.BytesIO()
    figure.savefig(out, format=fmt)
    return out.getvalue()


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
