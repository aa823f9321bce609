"""Tables as files: CSV (one table after another), XLSX (one sheet per table), JSON.

A suppressed cell is written as ``×`` and each table carries its notes, so a file that
leaves the ministry says by itself what was hidden and why.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from sijill.stats.model import Row, Tabulation

SUPPRESSED = "×"
FORMATS = ("table", "csv", "xlsx", "json")


def cell(row: Row, column: str) -> int | float | str:
    if column in row.suppressed:
        return SUPPRESSED
    value = row.values.get(column)
    return "" if value is None else value


def to_csv(tables: Sequence[Tabulation], lang: str = "fr") -> str:
    """Each table: its title, a header, its rows, its notes, then a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for table in tables:
        writer.writerow([table.title(lang)])
        writer.writerow(
            [
                "key",
                table.dimension,
                *(table.column_label(c, lang) for c in table.columns),
            ]
        )
        for row in table.rows:
            writer.writerow(
                [row.key, row.label(lang), *(cell(row, c) for c in table.columns)]
            )
        for note in table.note_texts(lang):
            writer.writerow([note])
        writer.writerow([])
    return out.getvalue()


def to_xlsx(tables: Sequence[Tabulation], lang: str = "fr") -> bytes:
    """A workbook with one sheet per table (right to left when in Arabic)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=table.name[:31])
        sheet.sheet_view.rightToLeft = lang == "ar"
        sheet.append([table.title(lang)])
        sheet["A1"].font = Font(bold=True)
        sheet.append(
            ["", table.dimension, *(table.column_label(c, lang) for c in table.columns)]
        )
        for row in table.rows:
            sheet.append(
                [row.key, row.label(lang), *(cell(row, c) for c in table.columns)]
            )
            for c in sheet[sheet.max_row][2:]:
                c.alignment = Alignment(horizontal="right")
                if isinstance(c.value, float):
                    c.number_format = "0.0000"
        sheet.append([])
        for note in table.note_texts(lang):
            sheet.append([note])
        sheet.column_dimensions["B"].width = 32
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(tables: Sequence[Tabulation]) -> str:
    return json.dumps([t.as_dict() for t in tables], ensure_ascii=False, indent=2)
