"""``sijill stats …``: vital statistics tables, exports and charts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sijill.cli.common import actor_for, console, err_console, run, state
from sijill.services.context import Registry
from sijill.stats import exports, service
from sijill.stats.model import Tabulation
from sijill.stats.privacy import DEFAULT_THRESHOLD

stats_app = typer.Typer(
    help="Vital statistics: births, deaths, late registrations, timeliness, completeness.",
    no_args_is_help=True,
)

Year = Annotated[int | None, typer.Option("--year", help="One year.")]
First = Annotated[int | None, typer.Option("--from", help="First year.")]
Last = Annotated[int | None, typer.Option("--to", help="Last year.")]
Region = Annotated[str | None, typer.Option(help="A region by its HCP code (06).")]
Province = Annotated[
    str | None, typer.Option(help="A province by its HCP code (03.231).")
]
Commune = Annotated[
    str | None, typer.Option(help="A commune by its HCP code (03.231.01.0).")
]
Format = Annotated[str, typer.Option("--format", help="table, csv, xlsx or json.")]
Out = Annotated[Path | None, typer.Option("--out", help="Write to this file.")]
Chart = Annotated[
    Path | None,
    typer.Option("--chart", help="Also draw the first table (.png or .svg)."),
]
Lang = Annotated[str, typer.Option(help="ar or fr, for CSV and XLSX.")]
Public = Annotated[
    bool, typer.Option("--public", help="Suppress small cells, for publication.")
]
Threshold = Annotated[int, typer.Option(help="Smallest count shown in a public table.")]
AsUser = Annotated[
    str | None, typer.Option("--as", help="User name of the member of staff.")
]


def _group(group: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        year: Year = None,
        first: First = None,
        last: Last = None,
        region: Region = None,
        province: Province = None,
        commune: Commune = None,
        output: Format = "table",
        out: Out = None,
        chart: Chart = None,
        lang: Lang = "fr",
        public: Public = False,
        threshold: Threshold = DEFAULT_THRESHOLD,
        as_user: AsUser = None,
    ) -> None:
        _check_output(output, out, chart)
        reg: Registry = state(ctx).registry()
        tables = run(
            lambda: service.tabulate(
                reg,
                actor=actor_for(reg, as_user),
                tables=[group],
                year=year,
                first=first,
                last=last,
                region=region,
                province=province,
                commune=commune,
                public=public,
                threshold=threshold,
            )
        )
        _emit(tables, output, out, chart, lang)

    command.__doc__ = f"The {group} tables ({', '.join(service.GROUPS[group])})."
    return command


for _name in service.GROUPS:
    stats_app.command(_name)(_group(_name))


@stats_app.command("completeness")
def stats_completeness(
    ctx: typer.Context,
    year: Year = None,
    first: First = None,
    last: Last = None,
    region: Region = None,
    province: Province = None,
    commune: Commune = None,
    birth_rate: Annotated[
        list[str] | None,
        typer.Option(help="REGION=RATE: crude birth rate per 1,000 (repeatable)."),
    ] = None,
    flag_below: Annotated[
        float, typer.Option(help="Flag communes whose completeness is below this.")
    ] = 0.9,
    output: Format = "table",
    out: Out = None,
    chart: Chart = None,
    lang: Lang = "fr",
    as_user: AsUser = None,
) -> None:
    """Registered against expected births per commune; low completeness flagged."""
    _check_output(output, out, chart)
    reg = state(ctx).registry()
    table = run(
        lambda: service.completeness(
            reg,
            actor=actor_for(reg, as_user),
            year=year,
            first=first,
            last=last,
            region=region,
            province=province,
            commune=commune,
            birth_rates=birth_rate or [],
            flag_below=flag_below,
        )
    )
    _emit([table], output, out, chart, lang)


def _check_output(output: str, out: Path | None, chart: Path | None) -> None:
    if output not in exports.FORMATS:
        err_console.print(
            f"[red]✗ --format {output}: one of {', '.join(exports.FORMATS)}[/red]"
        )
        raise typer.Exit(2)
    if output == "xlsx" and out is None:
        err_console.print("[red]✗ --format xlsx writes a file: give --out FILE[/red]")
        raise typer.Exit(2)
    if chart is not None and chart.suffix not in (".png", ".svg"):
        err_console.print("[red]✗ --chart: a .png or .svg file[/red]")
        raise typer.Exit(2)


def _emit(
    tables: list[Tabulation],
    output: str,
    out: Path | None,
    chart: Path | None,
    lang: str,
) -> None:
    if chart is not None:
        from sijill.stats import charts  # matplotlib: loaded only to draw

        chart.write_bytes(charts.chart(tables[0], chart.suffix.lstrip(".")))
        console.print(f"chart written to {chart}")
    if output == "xlsx" and out is not None:
        out.write_bytes(exports.to_xlsx(tables, lang))
    elif output in ("csv", "json"):
        text = (
            exports.to_csv(tables, lang) if output == "csv" else exports.to_json(tables)
        )
        if out is None:
            typer.echo(text, nl=False)
            return
        out.write_text(text, encoding="utf-8")
    else:
        for table in tables:
            _print(table, lang)
        return
    console.print(f"{len(tables)} table(s) written to {out}")


def _print(table: Tabulation, lang: str) -> None:
    shown = Table(title=table.title(lang))
    shown.add_column(table.dimension)
    for column in table.columns:
        shown.add_column(table.column_label(column, lang), justify="right")
    for row in table.rows:
        shown.add_row(
            row.label(lang), *(str(exports.cell(row, c)) for c in table.columns)
        )
    console.print(shown)
    for note in table.note_texts(lang):
        console.print(note, style="dim", markup=False)
