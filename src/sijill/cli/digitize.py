"""``sijill digitize``: keyed legacy registers, from files to signed acts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from sijill.cli.common import EXIT_CODES, actor_for, console, run, state

if TYPE_CHECKING:
    from sijill.digitize.batches import BatchSpec
    from sijill.digitize.parallel import Step

digitize_app = typer.Typer(
    help="Digitization of the legacy registers: import, reconcile, adjudicate, "
    "sample, review, load, report.",
    no_args_is_help=True,
)
AsUser = Annotated[
    str | None, typer.Option("--as", help="User name of the member of staff acting.")
]
BatchArg = Annotated[str, typer.Argument(help="The batch, e.g. FES-1962-N-01.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@contextmanager
def progress_bars() -> Iterator[Callable[[str, int, int], None]]:
    """Rich progress bars with rate and time left, one per step of a long run."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    tasks: dict[str, Any] = {}
    with Progress(*columns, console=console, transient=False) as bars:

        def show(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total or None, rate="")
            task = tasks[step]
            bars.update(task, completed=done, total=total or None)
            speed = bars.tasks[task].speed
            bars.update(task, rate=f"{speed:,.0f}/s" if speed else "")

        yield show


def _batch_spec(
    batch: str,
    office: str,
    kind: str,
    year: int,
    pages: str,
    scans: str,
    team: str,
    aql: str,
) -> BatchSpec:
    """A batch as the options give it; pages as FIRST-LAST (0 where not a number)."""
    from sijill.digitize.batches import BatchSpec

    first, _, last = pages.partition("-")
    return BatchSpec(
        batch,
        office,
        kind,
        year,
        int(first) if first.isdigit() else 0,
        int(last) if last.isdigit() else 0,
        scans,
        team,
        aql,
    )


@digitize_app.command("import")
def import_files(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="CSV or JSON Lines files.")],
    batch: Annotated[str, typer.Option(help="The batch the files key.")],
    office: Annotated[str, typer.Option(help="Office code.")],
    kind: Annotated[str, typer.Option(help="birth or death.")],
    year: Annotated[int, typer.Option(help="The register's year.")],
    pages: Annotated[str, typer.Option(help="The batch's pages, FIRST-LAST.")],
    scans: Annotated[
        str,
        typer.Option(help="Where the scans are, with {page}: s/1962/{page:04d}.tif"),
    ],
    team: Annotated[str, typer.Option(help="The keying team.")] = "",
    aql: Annotated[str, typer.Option(help="AQL in percent (ISO 2859-1).")] = "0.65",
    on_error: Annotated[
        str, typer.Option("--on-error", help="skip (report) or refuse (the file).")
    ] = "refuse",
    encoding: Annotated[
        str, typer.Option(help="auto, utf-8, windows-1256, iso-8859-6, iso-8859-1.")
    ] = "auto",
    file_format: Annotated[
        str | None, typer.Option("--format", help="csv or jsonl (default: by name).")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Import keyed files into a batch (created by its first file)."""
    from sijill.digitize.batches import import_keyed_file

    reg = state(ctx).registry()
    spec = _batch_spec(batch, office, kind, year, pages, scans, team, aql)
    actor = actor_for(reg, as_user)
    for path in files:
        with progress_bars() as show:
            result = run(
                lambda path=path, show=show: import_keyed_file(  # type: ignore[misc]
                    reg,
                    actor=actor,
                    spec=spec,
                    path=path,
                    on_error=on_error,
                    encoding=None if encoding == "auto" else encoding,
                    file_format=file_format,
                    progress=show,
                )
            )
        if result.already:
            console.print(f"{path.name}: already imported, nothing changed")
            continue
        console.print(
            f"{path.name}: {result.rows} rows imported ({result.encoding}), "
            f"{len(result.skipped)} skipped"
        )
        for error in result.skipped[:50]:
            for v in error.violations:
                console.print(f"  [yellow]✗ {v.field}[/yellow] — {v.message('en')}")
                console.print(
                    f"    {v.message('fr')}  |  {v.message('ar')}", markup=False
                )


@digitize_app.command("open")
def open_for_keying(
    ctx: typer.Context,
    batch: BatchArg,
    office: Annotated[str, typer.Option(help="Office code.")],
    kind: Annotated[str, typer.Option(help="birth or death.")],
    year: Annotated[int, typer.Option(help="The register's year.")],
    pages: Annotated[str, typer.Option(help="The batch's pages, FIRST-LAST.")],
    scans: Annotated[
        str,
        typer.Option(help="Where the scans are, with {page}: s/1962/{page:04d}.tif"),
    ],
    team: Annotated[str, typer.Option(help="The keying team.")] = "",
    aql: Annotated[str, typer.Option(help="AQL in percent (ISO 2859-1).")] = "0.65",
    as_user: AsUser = None,
) -> None:
    """Open a batch that keyers key act by act (``digitize key`` or the web form)."""
    from sijill.digitize.keying import open_batch

    reg = state(ctx).registry()
    spec = _batch_spec(batch, office, kind, year, pages, scans, team, aql)
    run(lambda: open_batch(reg, actor=actor_for(reg, as_user), spec=spec))
    console.print(f"batch {batch} open for keying")


@digitize_app.command("key")
def key(
    ctx: typer.Context,
    batch: BatchArg,
    page: Annotated[str, typer.Option()],
    line: Annotated[str, typer.Option()],
    values: Annotated[
        list[str], typer.Argument(help="The fields as typed: FIELD=VALUE ...")
    ],
    as_user: AsUser = None,
) -> None:
    """Key one act of a batch, as the keyer named by --as."""
    from sijill.digitize.keying import key_act

    reg = state(ctx).registry()
    fields = dict(v.partition("=")[::2] for v in values)
    done = run(
        lambda: key_act(
            reg,
            actor=actor_for(reg, as_user),
            batch_id=batch,
            page=page,
            line=line,
            fields=fields,
        )
    )
    console.print(
        f"page {done['page']} line {done['line']} keyed; "
        f"{done['keyed_by_me']} act(s) keyed by you in this batch"
    )


BatchesArg = Annotated[
    list[str], typer.Argument(help="One batch or several, e.g. FES-1962-N-01.")
]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        help="Batches run side by side in this many processes (default: one per "
        "core; PostgreSQL only, SQLite runs them one after the other)."
    ),
]


@digitize_app.command("reconcile")
def reconcile(
    ctx: typer.Context,
    batch: BatchesArg,
    chunk: Annotated[int, typer.Option(help="Acts per transaction.")] = 5000,
    workers: WorkersOpt = None,
    as_user: AsUser = None,
) -> None:
    """Compare the two keyings of each act; queue what they disagree on (resumable)."""
    if len(batch) > 1:
        _run_many(ctx, "reconcile", batch, chunk, workers, as_user)
        return
    from sijill.digitize.reconcile import reconcile_batch

    reg = state(ctx).registry()
    actor = actor_for(reg, as_user)
    with progress_bars() as show:
        result = run(
            lambda: reconcile_batch(
                reg, actor=actor, batch_id=batch[0], progress=show, chunk=chunk
            )
        )
    console.print(
        f"{result.acts} acts: {result.agreed} agreed on every field, "
        f"{result.disagreements} disagreements queued, {result.failing} failing the rules"
    )


def _run_many(
    ctx: typer.Context,
    step: Step,
    batch_ids: list[str],
    chunk: int,
    workers: int | None,
    as_user: str | None,
) -> None:
    """A step over several batches side by side; a table of what each came to."""
    from sijill.digitize.parallel import registry_of, run_batches

    settings = state(ctx).settings
    reg = state(ctx).registry()
    actor = actor_for(reg, as_user)
    with progress_bars() as show:
        outcomes = run(
            lambda: run_batches(
                reg,
                step,
                batch_ids,
                actor=actor,
                open_registry=partial(registry_of, settings),
                workers=workers,
                chunk=chunk,
                progress=show,
            )
        )
    table = Table("batch", "acts", "result")
    for outcome in outcomes:
        error = outcome.error
        table.add_row(
            outcome.batch_id,
            str(outcome.acts),
            "done"
            if error is None
            else " | ".join(error[k] for k in ("message", "message_fr", "message_ar")),
        )
    console.print(table)
    failed = [o for o in outcomes if o.error is not None]
    if failed:
        codes = {o.error["code"] for o in failed if o.error is not None}
        raise typer.Exit(EXIT_CODES.get(codes.pop(), 1) if len(codes) == 1 else 1)


@digitize_app.command("adjudicate")
def adjudicate(
    ctx: typer.Context,
    batch: BatchArg,
    page: Annotated[int | None, typer.Option()] = None,
    line: Annotated[int | None, typer.Option()] = None,
    field: Annotated[str | None, typer.Option()] = None,
    take: Annotated[
        str | None, typer.Option(help="first or second keyer's value.")
    ] = None,
    value: Annotated[
        str | None, typer.Option(help="The value read on the scan.")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Without --page: the queue. With --page --line --field: decide."""
    from sijill.digitize import reconcile as rec

    reg = state(ctx).registry()
    actor = actor_for(reg, as_user)
    if page is None or line is None or field is None:
        queue = run(lambda: rec.adjudication_queue(reg, actor=actor, batch_id=batch))
        table = Table("page", "line", "field", "first", "second", "scan")
        for d in queue["disagreements"]:
            table.add_row(
                str(d["page"]),
                str(d["line"]),
                d["field"],
                f"{d['first_value']} ({d['first_keyer']})",
                f"{d['second_value']} ({d['second_keyer']})",
                d["scan"],
            )
        console.print(table)
        for f in queue["failing"]:
            rules = ", ".join(f"{x['field']}: {x['rule']}" for x in f["failures"])
            console.print(f"page {f['page']} line {f['line']} ({f['scan']}): {rules}")
        return
    outcome = run(
        lambda: rec.adjudicate(
            reg,
            actor=actor,
            batch_id=batch,
            page=page,
            line=line,
            field=field,
            value=value,
            take=take,
        )
    )
    console.print(f"decided; {outcome['open']} field(s) still open on this act")
    for f in outcome["failures"]:
        console.print(f"[yellow]✗ {f['field']}[/yellow] — {f['rule']}")


@digitize_app.command("sample")
def sample(ctx: typer.Context, batch: BatchArg, as_user: AsUser = None) -> None:
    """Draw the acts the reviewer compares with their scans (ISO 2859-1)."""
    from sijill.digitize.quality import draw_sample

    reg = state(ctx).registry()
    drawn = run(lambda: draw_sample(reg, actor=actor_for(reg, as_user), batch_id=batch))
    p = drawn["plan"]
    console.print(
        f"{p['severity']} inspection, code letter {p['letter']}, lot {p['lot_size']}: "
        f"review {p['sample_size']} acts, accept with at most {p['accept']} wrong "
        f"(AQL {p['aql']} %)"
    )
    table = Table("page", "line", "scan", "reviewed")
    for a in drawn["acts"]:
        table.add_row(
            str(a["page"]),
            str(a["line"]),
            a["scan"],
            "—" if a["errors"] is None else (", ".join(a["errors"]) or "ok"),
        )
    console.print(table)


@digitize_app.command("review")
def review(
    ctx: typer.Context,
    batch: BatchArg,
    page: Annotated[int, typer.Option()],
    line: Annotated[int, typer.Option()],
    errors: Annotated[
        str, typer.Option(help="Fields found wrong, comma-separated; empty: none.")
    ] = "",
    as_user: AsUser = None,
) -> None:
    """Record what the comparison of a sampled act with its scan found."""
    from sijill.digitize.quality import review_act

    reg = state(ctx).registry()
    wrong = [e.strip() for e in errors.split(",") if e.strip()]
    outcome = run(
        lambda: review_act(
            reg,
            actor=actor_for(reg, as_user),
            batch_id=batch,
            page=page,
            line=line,
            errors=wrong,
        )
    )
    console.print(f"recorded; batch {outcome['verdict'] or 'still under review'}")


@digitize_app.command("load")
def load(
    ctx: typer.Context,
    batch: BatchesArg,
    chunk: Annotated[int, typer.Option(help="Acts per journal entry.")] = 500,
    workers: WorkersOpt = None,
    as_user: AsUser = None,
) -> None:
    """Load accepted batches into their offices' registers (resumable)."""
    if len(batch) > 1:
        _run_many(ctx, "load", batch, chunk, workers, as_user)
        return
    from sijill.digitize.load import load_accepted_batch

    reg = state(ctx).registry()
    actor = actor_for(reg, as_user)
    with progress_bars() as show:
        count = run(
            lambda: load_accepted_batch(
                reg, actor=actor, batch_id=batch[0], progress=show, chunk=chunk
            )
        )
    console.print(f"batch {batch[0]} loaded: {count} acts")


@digitize_app.command("report")
def report(
    ctx: typer.Context,
    batch: Annotated[str | None, typer.Argument()] = None,
    office: Annotated[
        str | None, typer.Option(help="Quality figures of an office.")
    ] = None,
    as_json: AsJson = False,
    as_user: AsUser = None,
) -> None:
    """A batch's report, or without a batch the quality figures per office and keyer."""
    from sijill.digitize.report import batch_report, quality_figures

    reg = state(ctx).registry()
    actor = actor_for(reg, as_user)
    if batch is None:
        figures = run(lambda: quality_figures(reg, actor=actor, office=office))
        if as_json:
            print(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        _print_quality(figures)
        return
    found = run(lambda: batch_report(reg, actor=actor, batch_id=batch))
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return
    _print_batch(found)


def _print_batch(r: dict[str, Any]) -> None:
    console.print(
        f"batch {r['batch']} — {r['office']} {r['kind']} {r['year']}, pages "
        f"{r['pages'][0]}–{r['pages'][1]}, team {r['team'] or '—'}: {r['status']} "
        f"(round {r['round']})"
    )
    for f in r["files"]:
        console.print(
            f"  file {f['file']} ({f['encoding']}): {f['rows']} rows, {f['skipped']} skipped"
        )
    d = r["disagreements"]
    console.print(f"acts {r['acts']}; disagreements {d['total']} ({d['open']} open)")
    table = Table("field", "disagreements", "rate")
    for field, x in d["per_field"].items():
        table.add_row(field, str(x["count"]), f"{x['rate']:.2%}")
    console.print(table)
    table = Table("keyer", "acts", "disagreements", "errors")
    for keyer, x in r["keyers"].items():
        table.add_row(keyer, str(x["acts"]), str(x["disagreements"]), str(x["errors"]))
    console.print(table)
    console.print(f"adjudications: {r['adjudications'] or '—'}")
    console.print(f"validation failures: {r['validation_failures']['per_rule'] or '—'}")
    for s in r["sampling"]:
        p = s["plan"]
        console.print(
            f"round {s['round']}: {p['severity']} {p['letter']} n={p['sample_size']} "
            f"Ac={p['accept']} Re={p['reject']}; reviewed {s['reviewed']}, "
            f"nonconforming {s['nonconforming']}: {s['verdict'] or 'under review'}; "
            f"accuracy per field {s['accuracy_per_field'] or '100 %'}"
        )
    console.print(f"inspection: {r['inspection']}; loaded acts: {r['loaded']}")


def _print_quality(figures: dict[str, Any]) -> None:
    table = Table(
        "office", "batches", "acts", "loaded", "disagreement rate", "lots ok/ko"
    )
    for office, x in figures["offices"].items():
        table.add_row(
            office,
            str(x["batches"]),
            str(x["acts"]),
            str(x["loaded"]),
            f"{x['disagreement_rate']:.2%}",
            f"{x['accepted']}/{x['rejected']}",
        )
    console.print(table)
    table = Table("keyer", "acts", "disagreements", "errors", "error rate")
    for keyer, x in figures["keyers"].items():
        table.add_row(
            keyer,
            str(x["acts"]),
            str(x["disagreements"]),
            str(x["errors"]),
            f"{x['error_rate']:.2%}",
        )
    console.print(table)
