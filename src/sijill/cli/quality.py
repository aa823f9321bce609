"""``sijill quality …``: data-quality figures per office, province, batch or keyer."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated, Any

import typer

from sijill.cli.common import actor_for, run, state
from sijill.quality.figures import quality_report

quality_app = typer.Typer(
    help="Data-quality figures: completeness, timeliness, duplicates, keying.",
    no_args_is_help=True,
)


@quality_app.command("figures")
def quality_figures_command(
    ctx: typer.Context,
    by: Annotated[
        str, typer.Option("--by", help="office, province, batch or keyer.")
    ] = "office",
    office: Annotated[
        str | None, typer.Option("--office", help="Office code, e.g. 03.231.01.0.")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    as_user: Annotated[
        str | None, typer.Option("--as", help="User name of the member of staff.")
    ] = None,
) -> None:
    """Figures per group, as CSV (nested counts as JSON cells) or JSON."""
    reg = state(ctx).registry()
    rows = run(
        lambda: quality_report(reg, actor=actor_for(reg, as_user), by=by, office=office)
    )
    if output == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["group"])
    writer.writeheader()
    writer.writerows(_flat(row) for row in rows)


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
        for k, v in row.items()
    }
