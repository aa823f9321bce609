"""Digitize N legacy acts keyed twice: import, reconcile + validate, load; and raw COPY.

Generates N birth acts of a 1962 register (the synthetic generator) keyed twice with
realistic keying errors into a CSV and a JSON Lines file, then runs the pipeline
through the use cases: import both files, reconcile (with validation), adjudicate the
disagreements (the whole queue handed in at once) and review the ISO 2859-1 sample
(the human steps, timed apart), load. Prints each step, acts/s of reconcile +
validate + load and of the whole pipeline with import, peak memory (RSS high-water),
and on PostgreSQL the raw ``COPY`` of the same final rows and the ratio: of the act
rows alone, and of every row the load writes (acts, provenance, name keys, journal).

    .venv/bin/python bench/bench_digitize.py [--count 1000000] [--sqlite-count 100000]
        [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from shared import postgres_url
from sijill.digitize import reconcile as rec
from sijill.digitize.adjudication import Decision, adjudicate_many
from sijill.digitize.batches import BatchSpec, import_keyed_file
from sijill.digitize.load import load_accepted_batch
from sijill.digitize.quality import draw_sample, review_act
from sijill.domain.keying import FIELDS, POSITION, normalize
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import offices
from sijill.services.context import Registry
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.synthetic.keyed import Keying

OFFICE = "03.231.01.0"
BATCH = "FES-1962-N-BENCH"
PER_PAGE = 20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_keyings(
    directory: Path, count: int, error_rate: float
) -> tuple[Path, Path, dict[tuple[int, int, str], str]]:
    """Two keyed files, streamed; returns the true value of each field they differ on."""
    first, second = directory / "keyer-one.csv", directory / "keyer-two.jsonl"
    truth: dict[tuple[int, int, str], str] = {}
    columns = [*POSITION, "keyer", *FIELDS["birth"]]
    keying = Keying(1962, office=OFFICE, year=1962, error_rate=error_rate)
    with (
        first.open("w", encoding="utf-8") as f1,
        second.open("w", encoding="utf-8") as f2,
    ):
        writer = csv.DictWriter(f1, columns, lineterminator="\n")
        writer.writeheader()
        for act in keying.acts(count):
            position = {"page": str(act.page), "line": str(act.line)}
            writer.writerow({**position, "keyer": "keyer.one", **act.first})
            f2.write(
                json.dumps(
                    {**position, "keyer": "keyer.two", **act.second}, ensure_ascii=False
                )
                + "\n"
            )
            for field in FIELDS["birth"]:
                a, b = act.first.get(field, ""), act.second.get(field, "")
                if normalize(a) != normalize(b):
                    truth[(act.page, act.line, field)] = act.truth.get(field, "")
    return first, second, truth


def registry(url: str, directory: Path) -> tuple[Registry, dict[str, Actor]]:
    engine = make_engine(url, durable=True)
    upgrade(engine)
    reg = Registry(engine=engine, keys=KeyStore(directory / "keys"))
    offices.create_office(reg, actor=SYSTEM, commune_code=OFFICE)
    people = {}
    for username, role in (
        ("officer.fes", "officer"),
        ("keyer.one", "keyer"),
        ("adjudicator.fes", "adjudicator"),
        ("reviewer.fes", "reviewer"),
    ):
        offices.appoint_staff(
            reg,
            actor=SYSTEM,
            office=OFFICE,
            username=username,
            role=role,
            full_name_ar="سعيد العمراني",
            full_name_fr="Said El Amrani",
        )
        people[role] = Actor(username, role, OFFICE)
    return reg, people


def run(label: str, url: str, count: int, error_rate: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        first, second, truth = write_keyings(directory, count, error_rate)
        print(
            f"[{label}] generated {count:,} acts keyed twice in {time.perf_counter() - started:.1f} s"
        )
        reg, people = registry(url, directory)
        spec = BatchSpec(
            BATCH,
            OFFICE,
            "birth",
            1962,
            1,
            count // PER_PAGE + 1,
            "scans/{page:05d}.tif",
        )
        t0 = time.perf_counter()
        for path in (first, second):
            import_keyed_file(reg, actor=people["keyer"], spec=spec, path=path)
        t1 = time.perf_counter()
        result = rec.reconcile_batch(reg, actor=people["officer"], batch_id=BATCH)
        t2 = time.perf_counter()
        adjudicate_many(
            reg,
            actor=people["adjudicator"],
            batch_id=BATCH,
            decisions=(Decision(p, ln, f, v) for (p, ln, f), v in truth.items()),
        )
        sample = draw_sample(reg, actor=people["reviewer"], batch_id=BATCH)
        for a in sample["acts"]:
            review_act(
                reg,
                actor=people["reviewer"],
                batch_id=BATCH,
                page=a["page"],
                line=a["line"],
                errors=[],
            )
        t3 = time.perf_counter()
        loaded = load_accepted_batch(reg, actor=people["officer"], batch_id=BATCH)
        t4 = time.perf_counter()
        reg.engine.dispose()
    machine = (t2 - t1) + (t4 - t3)
    figures = {
        "acts": loaded,
        "import_s": t1 - t0,
        "reconcile_s": t2 - t1,
        "human_s": t3 - t2,
        "load_s": t4 - t3,
        "pipeline_acts_per_s": loaded / machine,
        "with_import_acts_per_s": loaded / (machine + t1 - t0),
    }
    print(
        f"[{label}] {loaded:,} acts: import {figures['import_s']:.1f} s "
        f"({loaded / figures['import_s']:,.0f} acts/s), reconcile+validate "
        f"{figures['reconcile_s']:.1f} s ({loaded / figures['reconcile_s']:,.0f} acts/s, "
        f"{result.disagreements:,} disagreements), load {figures['load_s']:.1f} s "
        f"({loaded / figures['load_s']:,.0f} acts/s)"
    )
    print(
        f"[{label}] human steps, timed apart: adjudication + review "
        f"{figures['human_s']:.1f} s ({len(truth):,} decisions handed in at once, "
        f"{len(sample['acts'])} acts reviewed one by one)"
    )
    print(
        f"[{label}] reconcile + validate + load: {figures['pipeline_acts_per_s']:,.0f} acts/s; "
        f"with import: {figures['with_import_acts_per_s']:,.0f} acts/s; "
        f"peak memory so far {peak_mb():.0f} MB"
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


def raw_copy(url: str, count: int) -> tuple[float, float]:
    """COPY the same final rows, with no processing, into empty twin tables.

    Returns acts/s for the act rows alone and for every row the load wrote.
    """
    seconds: dict[str, float] = {}
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        for table, condition in FINAL_ROWS.items():
            columns = written_columns(conn, table)
            query = f"SELECT {columns} FROM {table} {condition}"
            with tempfile.TemporaryFile() as buffer:
                with conn.cursor().copy(f"COPY ({query}) TO STDOUT") as out:  # type: ignore[arg-type]
                    for block in out:
                        buffer.write(block)
                conn.execute(f"CREATE TABLE {table}_raw (LIKE {table} INCLUDING ALL)")  # type: ignore[arg-type]
                conn.commit()
                buffer.seek(0)
                started = time.perf_counter()
                with conn.cursor().copy(
                    f"COPY {table}_raw ({columns}) FROM STDIN"
                ) as into:  # type: ignore[arg-type]
                    while block := buffer.read(1 << 20):
                        into.write(block)
                conn.commit()
                seconds[table] = time.perf_counter() - started
                print(f"  raw COPY {table}: {seconds[table]:.2f} s")
    return count / seconds["acts"], count / sum(seconds.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--sqlite-count", type=int, default=100_000)
    parser.add_argument("--error-rate", type=float, default=0.002)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if args.sqlite_count:
        with tempfile.TemporaryDirectory() as directory:
            run(
                "sqlite",
                f"sqlite:///{Path(directory) / 'bench.db'}",
                args.sqlite_count,
                args.error_rate,
            )
    with postgres_url(args.pg) as url:
        figures = run("postgresql", url, args.count, args.error_rate)
        acts_rate, all_rate = raw_copy(url, int(figures["acts"]))
    pipeline = figures["pipeline_acts_per_s"]
    print(
        f"[postgresql] raw COPY of the same {int(figures['acts']):,} act rows: "
        f"{acts_rate:,.0f} acts/s; pipeline / raw COPY = {pipeline / acts_rate:.3f}"
    )
    print(
        f"[postgresql] raw COPY of every final row (acts, provenance, name index, "
        f"journal): {all_rate:,.0f} acts/s; pipeline / raw COPY = "
        f"{pipeline / all_rate:.3f}"
    )
    print(f"peak memory {peak_mb():.0f} MB")
    sys.exit(0)


if __name__ == "__main__":
    main()
