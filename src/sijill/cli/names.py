"""``sijill names …``: compare two names, or a file of pairs, in either script."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from sijill.cli.common import err_console
from sijill.domain.namekeys import Comparison, compare

names_app = typer.Typer(
    help="Names across Arabic and Latin letters.", no_args_is_help=True
)


def _line(result: Comparison, a: str, b: str) -> str:
    return f"{result.similarity:.3f}\t{result.verdict}\t{a}\t{b}\t{result.reason}"


@names_app.command("compare")
def names_compare(
    a: Annotated[str | None, typer.Argument(help="A name, in Arabic or Latin.")] = None,
    b: Annotated[str | None, typer.Argument(help="Another name.")] = None,
    pairs: Annotated[
        Path | None,
        typer.Option("--pairs", help="A CSV file with columns a,b: one line per pair."),
    ] = None,
) -> None:
    """Print similarity (0–1), verdict (same / maybe / different) and the reason.

    Each line: similarity, verdict, the two names and the reason, tab-separated.
    """
    if pairs is not None:
        for a_name, b_name in _read_pairs(pairs):
            typer.echo(_line(compare(a_name, b_name), a_name, b_name))
        return
    if a is None or b is None:
        err_console.print("[red]✗ give two names, or --pairs FILE.csv[/red]")
        raise typer.Exit(2)
    typer.echo(_line(compare(a, b), a, b))


def _read_pairs(path: Path) -> list[tuple[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        err_console.print(f"[red]✗ {path}: cannot be read as CSV ({error})[/red]")
        raise typer.Exit(2) from None
    if rows and not {"a", "b"} <= set(rows[0]):
        err_console.print(f"[red]✗ {path}: the columns a and b are required[/red]")
        raise typer.Exit(2)
    return [(row["a"] or "", row["b"] or "") for row in rows]
