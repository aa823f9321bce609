"""``sijill search …``: find signed acts by name in either script, and keep the keys."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from sijill.cli.common import actor_for, console, run, state
from sijill.domain.offices import SYSTEM
from sijill.search import review
from sijill.search.service import SearchResult, reindex_names, search_acts

search_app = typer.Typer(
    help="Search signed acts by name (Arabic or Latin), date, place, parents.",
    no_args_is_help=True,
)


@search_app.command("acts")
def search_acts_command(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Option(help='Name in any script and spelling; "Moh*" for a prefix.'),
    ] = None,
    father: Annotated[str | None, typer.Option(help="The father's name.")] = None,
    mother: Annotated[str | None, typer.Option(help="The mother's name.")] = None,
    sex: Annotated[str | None, typer.Option(help="M or F.")] = None,
    kind: Annotated[str | None, typer.Option(help="birth or death.")] = None,
    date_from: Annotated[str | None, typer.Option(help="YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option(help="YYYY-MM-DD.")] = None,
    date: Annotated[str | None, typer.Option(help="One day, YYYY-MM-DD.")] = None,
    place: Annotated[
        str | None, typer.Option(help="Office, commune, province or region code.")
    ] = None,
    ref: Annotated[str | None, typer.Option(help="An act reference.")] = None,
    civil_id: Annotated[str | None, typer.Option(help="A civil identifier.")] = None,
    office: Annotated[
        str | None, typer.Option(help="Search one office (staff: their own).")
    ] = None,
    page: Annotated[int, typer.Option(help="Page number, from 1.")] = 1,
    page_size: Annotated[int, typer.Option(help="Acts per page (≤ 100).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_user: Annotated[
        str | None, typer.Option("--as", help="User name of the member of staff.")
    ] = None,
) -> None:
    """Find signed acts, best match first, with the reason for each match."""
    reg = state(ctx).registry()
    result = run(
        lambda: search_acts(
            reg,
            actor=actor_for(reg, as_user),
            name=name,
            father=father,
            mother=mother,
            sex=sex,
            kind=kind,
            date_from=date_from or date,
            date_to=date_to or date,
            place=place,
            ref=ref,
            civil_id=civil_id,
            office=office,
            page=page,
            page_size=page_size,
        )
    )
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    _print(result)


def _print(result: SearchResult) -> None:
    table = Table("score", "act", "name", "الاسم", "sex", "date", "why")
    for hit in result.hits:
        table.add_row(
            f"{hit.score:.2f}",
            hit.ref,
            f"{hit.first_name_lat} {hit.family_name_lat}",
            f"{hit.first_name_ar} {hit.family_name_ar}",
            hit.sex,
            hit.event_date.isoformat(),
            "\n".join(hit.reasons),
        )
    console.print(table)
    more = " or more (narrow the search)" if result.truncated else ""
    console.print(
        f"{result.total}{more} act(s) found; page {result.page}, "
        f"{len(result.hits)} shown"
    )


@search_app.command("reindex")
def search_reindex(
    ctx: typer.Context,
    office: Annotated[str | None, typer.Option(help="Only this office.")] = None,
) -> None:
    """Recompute the name keys of every signed act (the acts themselves are untouched)."""
    reg = state(ctx).registry()
    count = run(lambda: reindex_names(reg, actor=SYSTEM, office=office))
    console.print(f"name keys recomputed for {count} act(s)")


AsUser = Annotated[
    str | None, typer.Option("--as", help="User name of the member of staff.")
]
OfficeOpt = Annotated[
    str | None, typer.Option(help="One office (staff: their own); default: all.")
]


@search_app.command("duplicates")
def search_duplicates(
    ctx: typer.Context,
    office: OfficeOpt = None,
    threshold: Annotated[
        float, typer.Option(help="Probability from which a pair is queued.")
    ] = 0.9,
    as_user: AsUser = None,
) -> None:
    """Detect probable duplicate births in batch and queue them for review."""
    reg = state(ctx).registry()
    queued = run(
        lambda: review.queue_duplicates(
            reg, actor=actor_for(reg, as_user), office=office, threshold=threshold
        )
    )
    console.print(f"{queued} new pair(s) queued for review")


@search_app.command("reviews")
def search_reviews(
    ctx: typer.Context,
    office: OfficeOpt = None,
    status: Annotated[str, typer.Option(help="pending, same or not_same.")] = "pending",
    as_user: AsUser = None,
) -> None:
    """The review queue: both acts side by side, with the reasons."""
    reg = state(ctx).registry()
    rows = run(
        lambda: review.review_queue(
            reg, actor=actor_for(reg, as_user), office=office, status=status
        )
    )
    table = Table("review", "p", "left", "right", "why")
    for r in rows:
        left, right = r["left"], r["right"]
        table.add_row(
            r["review_id"],
            f"{r['probability']:.3f}",
            f"{left.get('ref')}\n{left.get('name_lat')} {left.get('birth_date')}",
            f"{right.get('ref')}\n{right.get('name_lat')} {right.get('birth_date')}",
            "\n".join(r["reasons"]),
        )
    console.print(table)


@search_app.command("decide")
def search_decide(
    ctx: typer.Context,
    review_id: Annotated[str, typer.Argument()],
    decision: Annotated[str, typer.Argument(help="same or not_same")],
    note: Annotated[str | None, typer.Option()] = None,
    as_user: AsUser = None,
) -> None:
    """Record a decision on a queued pair (never a merge)."""
    reg = state(ctx).registry()
    outcome = run(
        lambda: review.decide(
            reg,
            actor=actor_for(reg, as_user),
            review_id=review_id,
            decision=decision,
            note=note,
        )
    )
    console.print(outcome)


@search_app.command("quality")
def search_quality(
    ctx: typer.Context,
    office: OfficeOpt = None,
    output: Annotated[str, typer.Option("--format", help="json or csv.")] = "csv",
    as_user: AsUser = None,
) -> None:
    """Data-quality figures per office: completeness, timeliness, duplicates."""
    reg = state(ctx).registry()
    rows = run(
        lambda: review.quality_figures(
            reg, actor=actor_for(reg, as_user), office=office
        )
    )
    if output == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    writer = csv.DictWriter(
        sys.stdout, fieldnames=list(rows[0]) if rows else ["office"]
    )
    writer.writeheader()
    writer.writerows(rows)
