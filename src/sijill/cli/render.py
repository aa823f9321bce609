"""Printing an act in the terminal, in Arabic and in French."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from sijill.domain.labels import ACT_TITLES, FIELDS, SEXES, label
from sijill.domain.mentions import MENTION_KINDS
from sijill.services.queries import ActView

_PERSON = (
    "first_name_ar",
    "family_name_ar",
    "first_name_lat",
    "family_name_lat",
    "first_name_tfng",
    "family_name_tfng",
)


def _rows(prefix: str, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            head = label(FIELDS, key, "ar"), label(FIELDS, key, "fr")
            rows.append((f"[bold]{head[1]}[/bold]", "", f"[bold]{head[0]}[/bold]"))
            rows += _rows("  ", value)
            continue
        shown = label(SEXES, value, "fr") if key == "sex" else str(value)
        rows.append(
            (f"{prefix}{label(FIELDS, key, 'fr')}", shown, label(FIELDS, key, "ar"))
        )
    return rows


def print_act(console: Console, view: ActView) -> None:
    """The act as signed, the mentions in its margin, and its state today."""
    title_ar, title_fr = ACT_TITLES[view.kind]
    table = Table(title=f"{title_fr} — {title_ar}\n{view.ref}", show_header=False)
    table.add_column("fr")
    table.add_column("value")
    table.add_column("ar", justify="right")
    office = view.office
    table.add_row("Bureau", f"{office['name_fr']} / {office['name_ar']}", "المكتب")
    if view.civil_id:
        table.add_row("Identifiant civil", view.civil_id, "المعرف المدني")
    for row in _rows("", view.data):
        table.add_row(*row)
    if view.hijri_event_date:
        table.add_row(
            "Date hégirienne",
            view.hijri_event_date.spelled("fr"),
            view.hijri_event_date.spelled("ar"),
        )
    table.add_row("Signé par", f"{view.signed_by} — {view.signed_at}", "وقعه")
    console.print(table)
    for p in view.provisional:
        console.print(
            f"[yellow]⚑ {p['field']}: {p['message_fr']} — accepté à titre provisoire"
            f" / {p['message_ar']} — قبل مؤقتا[/yellow]"
        )
    if not view.mentions:
        console.print("Aucune mention marginale — لا توجد بيانات هامشية")
    for m in view.mentions:
        kind = MENTION_KINDS[m["kind"]]
        console.print(
            f"[bold]{m['seq']}. {kind.label_fr} — {kind.label_ar}[/bold] "
            f"({m['authority']} {m['source_ref']}, {m['source_date']}) {m['data']}",
            highlight=False,
        )
    status = view.current["status"]
    if status["deceased"]:
        console.print(
            f"† Décédé(e) le {status['deceased']} — توفي(ت) بتاريخ {status['deceased']}"
        )
    if status["annulled"]:
        console.print("[red]Acte annulé — رسم ملغى[/red]")
