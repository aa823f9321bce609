"""Digitize N legacy acts keyed twice: import, reconcile + validate, load; and raw COPY.

Generates N birth acts (the synthetic generator) in registers of ``--batch-size``
acts — one batch a register, the registers of ``--offices`` offices of Fès and of the
years from 1962 on — each keyed twice with realistic keying errors into a CSV and a
JSON Lines file. Then runs the pipeline through the use cases, step by step over every
batch, the batches side by side in ``--workers`` processes
(``sijill.digitize.parallel``; SQLite, one writer, runs them one after the other):
import both files, reconcile (with validation), adjudicate the disagreements (each
batch's queue handed in at once) and review the ISO 2859-1 sample (the human steps,
timed apart), load. Prints each step, acts/s of reconcile + validate + load and of the
whole pipeline with import, peak memory of each process (RSS high-water), and on
PostgreSQL the raw ``COPY`` of the same final rows and the ratio: of the act rows
alone, and of every row the load writes (acts, provenance, name keys, journal), in one
stream and in as many streams as workers.

    .venv/bin/python bench/bench_digitize.py [--count 1000000] [--batch-size 10000]
        [--offices 4] [--workers 2] [--sqlite-count 100000]
        [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import psycopg

from shared import postgres_url
from sijill.config import Settings
from sijill.digitize.adjudication import Decision, adjudicate_many
from sijill.digitize.batches import BatchSpec, import_keyed_file
from sijill.digitize.parallel import Outcome, registry_of, run_batches
from sijill.digitize.quality import draw_sample, review_act
from sijill.digitize.reconcile import adjudicate, adjudication_queue
from sijill.domain.keying import FIELDS, POSITION, normalize
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import offices
from sijill.services.context import Registry
from sijill.store import geography
from sijill.synthetic.keyed import LINES_PER_PAGE, Keying

FIRST_YEAR = 1962
ROLES = ("officer", "keyer", "adjudicator", "reviewer")


@dataclass(frozen=True)
class Register:
    """One batch: a year of an office's birth register, keyed into two files."""

    batch_id: str
    office: str
    year: int
    count: int
    seed: int


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def registers(count: int, batch_size: int, office_count: int) -> list[Register]:
    """``count`` acts in registers of ``batch_size``: each office's years in turn."""
    fes = [c.code for c in geography.communes() if c.code.startswith("03.231.")]
    chosen = fes[:office_count]
    found: list[Register] = []
    n = 0
    while count > 0:
        office, year = chosen[n % len(chosen)], FIRST_YEAR + n // len(chosen)
        size = min(batch_size, count)
        found.append(Register(f"B-{office}-{year}-N", office, year, size, n))
        count -= size
        n += 1
    if found and found[-1].year >= date.today().year:
        raise SystemExit(
            f"{len(found)} registers of {batch_size:,} acts need years up to "
            f"{found[-1].year}: ask for larger registers (--batch-size) or more "
            f"offices (--offices, at most {len(fes)})"
        )
    return found


def actor(role: str, office: str) -> Actor:
    return Actor(f"{role}.{office}", role, office)


def write_keyings(
    register: Register, directory: Path, error_rate: float
) -> tuple[list[Path], list[tuple[int, int, str, str]]]:
    """Two keyed files, streamed; and the true value of each field they differ on."""
    first = directory / f"{register.batch_id}-one.csv"
    second = directory / f"{register.batch_id}-two.jsonl"
    truth: list[tuple[int, int, str, str]] = []
    columns = [*POSITION, "keyer", *FIELDS["birth"]]
    keying = Keying(
        register.seed, office=register.office, year=register.year, error_rate=error_rate
    )
    keyers = (actor("keyer", register.office).username, f"keyer2.{register.office}")
    with (
        first.open("w", encoding="utf-8") as f1,
        second.open("w", encoding="utf-8") as f2,
    ):
        writer = csv.DictWriter(f1, columns, lineterminator="\n")
        writer.writeheader()
        for act in keying.acts(register.count):
            position = {"page": str(act.page), "line": str(act.line)}
            writer.writerow({**position, "keyer": keyers[0], **act.first})
            f2.write(
                json.dumps(
                    {**position, "keyer": keyers[1], **act.second}, ensure_ascii=False
                )
                + "\n"
            )
            for field in FIELDS["birth"]:
                a, b = act.first.get(field, ""), act.second.get(field, "")
                if normalize(a) != normalize(b):
                    truth.append((act.page, act.line, field, act.truth.get(field, "")))
    return [first, second], truth


def spec_of(register: Register) -> BatchSpec:
    pages = register.count // LINES_PER_PAGE + 1
    return BatchSpec(
        register.batch_id,
        register.office,
        "birth",
        register.year,
        1,
        pages,
        "scans/{page:05d}.tif",
    )


def open_offices(reg: Registry, codes: Iterable[str]) -> None:
    for code in codes:
        offices.create_office(reg, actor=SYSTEM, commune_code=code)
        for username, role in [
            *((actor(r, code).username, r) for r in ROLES),
            (f"keyer2.{code}", "keyer"),
        ]:
            offices.appoint_staff(
                reg,
                actor=SYSTEM,
                office=code,
                username=username,
                role=role,
                full_name_ar="سعيد العمراني",
                full_name_fr="Said El Amrani",
            )


# --- the work of one batch, in a worker process ------------------------------------

_worker: dict[str, Registry] = {}


def _open(settings: Settings) -> None:
    _worker["registry"] = registry_of(settings)


def _import(register: Register, files: list[Path]) -> None:
    for path in files:
        import_keyed_file(
            _worker["registry"],
            actor=actor("keyer", register.office),
            spec=spec_of(register),
            path=path,
        )


def _human_steps(
    register: Register, truth: list[tuple[int, int, str, str]], error_rate: float
) -> int:
    """Adjudicate the queue at once, correct from the scan the acts that fail the
    rules (both keyers slipped alike), then review the sample act by act; returns the
    acts reviewed."""
    reg, office = _worker["registry"], register.office
    adjudicator = actor("adjudicator", office)
    adjudicate_many(
        reg,
        actor=adjudicator,
        batch_id=register.batch_id,
        decisions=(Decision(p, ln, f, v) for p, ln, f, v in truth),
    )
    queue = adjudication_queue(
        reg, actor=adjudicator, batch_id=register.batch_id, limit=register.count
    )
    if queue["failing"]:
        # The scan: the register drawn again (the same seed draws the same acts).
        keying = Keying(
            register.seed,
            office=register.office,
            year=register.year,
            error_rate=error_rate,
        )
        scan = {(a.page, a.line): a.truth for a in keying.acts(register.count)}
        for act in queue["failing"]:
            for failure in act["failures"]:
                adjudicate(
                    reg,
                    actor=adjudicator,
                    batch_id=register.batch_id,
                    page=act["page"],
                    line=act["line"],
                    field=failure["field"],
                    value=scan[(act["page"], act["line"])].get(failure["field"], ""),
                )
    sample = draw_sample(
        reg, actor=actor("reviewer", office), batch_id=register.batch_id
    )
    for a in sample["acts"]:
        review_act(
            reg,
            actor=actor("reviewer", office),
            batch_id=register.batch_id,
            page=a["page"],
            line=a["line"],
            errors=[],
        )
    return len(sample["acts"])


def _step(
    reg: Registry, settings: Settings, regs: list[Register], workers: int, step: str
) -> list[Outcome]:
    """Reconcile or load every batch, side by side, as the ministry's operator."""
    outcomes = run_batches(
        reg,
        "reconcile" if step == "reconcile" else "load",
        [r.batch_id for r in regs],
        actor=SYSTEM,
        open_registry=partial(registry_of, settings),
        workers=workers,
    )
    failed = [o for o in outcomes if o.error is not None]
    if failed:
        raise SystemExit(f"{step} failed: {failed[0].batch_id}: {failed[0].error}")
    return outcomes


def in_pool(
    pool: ProcessPoolExecutor, call: Callable[..., Any], *args: Iterable[Any]
) -> list[Any]:
    return list(pool.map(call, *args))


def run(
    label: str,
    settings: Settings,
    regs: list[Register],
    workers: int,
    error_rate: float,
) -> dict[str, float]:
    count = sum(r.count for r in regs)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_open, initargs=(settings,)
        ) as pool:
            started = time.perf_counter()
            generated = in_pool(
                pool,
                partial(write_keyings, directory=directory, error_rate=error_rate),
                regs,
            )
            print(
                f"[{label}] generated {count:,} acts keyed twice in {len(regs)} registers "
                f"of {len(regs) and regs[0].count:,} in "
                f"{time.perf_counter() - started:.1f} s",
                flush=True,
            )
            reg = registry_of(settings)
            open_offices(reg, dict.fromkeys(r.office for r in regs))
            step = partial(_step, reg, settings, regs, workers)
            t0 = time.perf_counter()
            in_pool(pool, _import, regs, [files for files, _ in generated])
            t1 = time.perf_counter()
            reconciled = step("reconcile")
            t2 = time.perf_counter()
            reviewed = sum(
                in_pool(
                    pool,
                    partial(_human_steps, error_rate=error_rate),
                    regs,
                    [t for _, t in generated],
                )
            )
            t3 = time.perf_counter()
            loaded = step("load")
            t4 = time.perf_counter()
            reg.engine.dispose()
    acts = sum(o.acts for o in loaded)
    decisions = sum(len(t) for _, t in generated)
    machine = (t2 - t1) + (t4 - t3)
    figures = {
        "acts": acts,
        "import_s": t1 - t0,
        "reconcile_s": t2 - t1,
        "human_s": t3 - t2,
        "load_s": t4 - t3,
        "pipeline_acts_per_s": acts / machine,
        "with_import_acts_per_s": acts / (machine + t1 - t0),
    }
    print(
        f"[{label}] {acts:,} acts, {workers} process(es): import {figures['import_s']:.1f} s "
        f"({acts / figures['import_s']:,.0f} acts/s), reconcile+validate "
        f"{figures['reconcile_s']:.1f} s ({acts / figures['reconcile_s']:,.0f} acts/s, "
        f"{sum(o.acts for o in reconciled):,} acts), load {figures['load_s']:.1f} s "
        f"({acts / figures['load_s']:,.0f} acts/s)"
    )
    print(
        f"[{label}] human steps, timed apart: adjudication + review "
        f"{figures['human_s']:.1f} s ({decisions:,} decisions handed in a batch at once, "
        f"{reviewed:,} acts reviewed one by one)"
    )
    print(
        f"[{label}] reconcile + validate + load: {figures['pipeline_acts_per_s']:,.0f} acts/s; "
        f"with import: {figures['with_import_acts_per_s']:,.0f} acts/s; "
        f"peak memory: this process {peak_mb():.0f} MB, the largest worker "
        f"{peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )
    return figures


# Every row the load writes, and how to pick this batch's rows out of its table.
# The rows the load wrote, per table: all of them, or those the condition keeps.
FINAL_ROWS = {
    "acts": "",
    "legacy_acts": "",
    "name_index": "",
    "journal": "WHERE event_type = 'LegacyActsLoaded'",
}


def written_columns(conn: psycopg.Connection[Any], table: str) -> str:
    """The columns a writer fills: not those the database generates (acts has some)."""
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return ", ".join(f'"{name}"' for (name,) in rows)


def raw_copy(url: str, count: int, streams: int) -> dict[str, float]:
    """COPY the same final rows, with no processing, into empty twin tables.

    Returns acts/s for the act rows alone and for every row the load wrote, in one
    stream and in ``streams`` side by side (each its share of each table's rows).
    The rows wait in files, not in memory.
    """
    url = url.replace("postgresql+psycopg", "postgresql")
    counts = tuple(dict.fromkeys((1, streams)))
    seconds: dict[tuple[str, int], float] = {}
    with psycopg.connect(url) as conn, tempfile.TemporaryDirectory() as tmp:
        for table, condition in FINAL_ROWS.items():
            columns = written_columns(conn, table)
            query = f"SELECT {columns} FROM {table} {condition}"
            shares = {
                n: [Path(tmp) / f"{table}-{n}-{i}" for i in range(n)] for n in counts
            }
            _export(conn, query, shares)
            for n in counts:
                twin = f"{table}_raw{n}"
                conn.execute(f"CREATE TABLE {twin} (LIKE {table} INCLUDING ALL)")  # type: ignore[arg-type]
                conn.commit()
                started = time.perf_counter()
                threads = [
                    threading.Thread(target=_copy_in, args=(url, twin, columns, share))
                    for share in shares[n]
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                seconds[(table, n)] = time.perf_counter() - started
            print(
                f"  raw COPY {table}: "
                + ", ".join(
                    f"{seconds[(table, n)]:.2f} s in {n} stream(s)" for n in counts
                )
            )
    return {
        f"{what}_{n}": count
        / sum(v for (t, m), v in seconds.items() if m == n and t in tables)
        for n in counts
        for what, tables in (("acts", {"acts"}), ("all", set(FINAL_ROWS)))
    }


def _export(
    conn: psycopg.Connection[Any], query: str, shares: dict[int, list[Path]]
) -> None:
    """The rows of ``query`` in COPY's text format, one a line, dealt in turn to the
    files of each way of sharing them."""
    files = {n: [path.open("wb") for path in paths] for n, paths in shares.items()}
    rest, row = b"", 0
    with conn.cursor().copy(f"COPY ({query}) TO STDOUT") as out:  # type: ignore[arg-type]
        for block in out:
            lines = (rest + bytes(block)).split(b"\n")
            rest = lines.pop()
            for line in lines:
                for n, held in files.items():
                    held[row % n].write(line + b"\n")
                row += 1
    for held in files.values():
        for file in held:
            file.close()


def _copy_in(url: str, table: str, columns: str, path: Path) -> None:
    with psycopg.connect(url) as conn, path.open("rb") as rows:
        with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as into:  # type: ignore[arg-type]
            while block := rows.read(1 << 20):
                into.write(block)
        conn.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument(
        "--batch-size", type=int, default=10_000, help="acts a register"
    )
    parser.add_argument("--offices", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sqlite-count", type=int, default=100_000)
    parser.add_argument("--error-rate", type=float, default=0.002)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if args.sqlite_count:
        with tempfile.TemporaryDirectory() as directory:
            settings = Settings(
                data_dir=Path(directory),
                database_url=f"sqlite:///{Path(directory) / 'bench.db'}",
            )
            registry_of_new(settings)
            regs = registers(args.sqlite_count, args.batch_size, args.offices)
            run("sqlite", settings, regs, 1, args.error_rate)
    with postgres_url(args.pg) as url, tempfile.TemporaryDirectory() as directory:
        settings = Settings(data_dir=Path(directory), database_url=url)
        registry_of_new(settings)
        regs = registers(args.count, args.batch_size, args.offices)
        figures = run("postgresql", settings, regs, args.workers, args.error_rate)
        rates = raw_copy(url, int(figures["acts"]), args.workers)
    pipeline = figures["pipeline_acts_per_s"]
    for n in dict.fromkeys((1, args.workers)):
        print(
            f"[postgresql] raw COPY in {n} stream(s) of the same {int(figures['acts']):,} "
            f"act rows: {rates[f'acts_{n}']:,.0f} acts/s; pipeline / raw COPY = "
            f"{pipeline / rates[f'acts_{n}']:.3f}; of every final row (acts, provenance, "
            f"name index, journal): {rates[f'all_{n}']:,.0f} acts/s; pipeline / raw COPY "
            f"= {pipeline / rates[f'all_{n}']:.3f}"
        )
    print(
        f"peak memory: this process {peak_mb():.0f} MB, the largest worker "
        f"{peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )
    sys.exit(0)


def registry_of_new(settings: Settings) -> None:
    """Bring a new database's schema up to date, once, before the workers open it."""
    from sijill.bootstrap import bootstrap

    bootstrap(settings).engine.dispose()


if __name__ == "__main__":
    main()
