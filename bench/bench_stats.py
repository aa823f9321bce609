"""The national vital statistics of one year on PostgreSQL, over N generated acts.

Acts are written straight in COPY text format from a pool of declarations made by the
synthetic generator, with the fields the tabulations read drawn per act, vectorised:
office (every commune, weighted by its 2024 population), kind (78 % births), sex,
registration day (2014-2025, in order, as registers fill), delay to registration
(3 % late, on a declaratory judgment, up to 30 years), the mother's age at the birth,
the age at death. Each act keeps the full declaration of its pool entry (about 1 kB
of JSON), so the database reads as much as it would on real acts. The indexes are
built after the load and timed; then every table of ``sijill stats`` (births, deaths,
late, timeliness, trends) and the completeness table run for one year through the
use cases themselves (authorization, audit), and the time and peak memory are printed.

    .venv/bin/python bench/bench_stats.py [--acts 10000000] [--year 2025]
                                          [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

from shared import postgres_url, timed
from sijill.domain.offices import Actor
from sijill.services.context import Registry
from sijill.stats import service
from sijill.store import geography
from sijill.store import tables as t
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.synthetic import Generator

ANALYST = Actor("bench.hcp", "ministry", None)
FIRST_DAY = date(2014, 1, 1)
LAST_DAY = date(2025, 12, 31)
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
COLUMNS = (
    "office_code, act_id, ref, kind, year, number, draft_id, first_name_ar, "
    "family_name_ar, first_name_lat, family_name_lat, sex, event_date, data, "
    "provisional, signed_by, signed_at, status"
)
# Built after the load, as a restore would (the primary key stays: mentions refer
# to it): the unique numbers, the name
# indexes, and the two indexes of migration 0009 that the statistics read through.
DEFERRED = (
    (
        "ALTER TABLE acts DROP CONSTRAINT uq_acts_ref",
        "ALTER TABLE acts ADD CONSTRAINT uq_acts_ref UNIQUE (ref)",
    ),
    (
        "ALTER TABLE acts DROP CONSTRAINT uq_acts_number",
        "ALTER TABLE acts ADD CONSTRAINT uq_acts_number UNIQUE (office_code, year, kind, number)",
    ),
    (
        "DROP INDEX ix_acts_names_lat",
        "CREATE INDEX ix_acts_names_lat ON acts (family_name_lat, first_name_lat)",
    ),
    (
        "DROP INDEX ix_acts_names_ar",
        "CREATE INDEX ix_acts_names_ar ON acts (family_name_ar, first_name_ar)",
    ),
    (
        "DROP INDEX ix_acts_kind_event_date",
        "CREATE INDEX ix_acts_kind_event_date ON acts (kind, event_date) "
        f"INCLUDE ({', '.join(t.STATS_BY_EVENT_DATE)})",
    ),
    (
        "DROP INDEX ix_acts_kind_year",
        "CREATE INDEX ix_acts_kind_year ON acts (kind, year) "
        f"INCLUDE ({', '.join(t.STATS_BY_YEAR)})",
    ),
)


def _escape(text: str) -> str:
    """COPY text format: a backslash is doubled (JSON has no tab or newline here)."""
    return text.replace("\\", "\\\\")


def _template(decl: dict[str, Any], marks: dict[str, Any]) -> str:
    """The declaration as JSON with ``%s`` where each act puts its own values."""
    text = json.dumps({**decl, **marks}, ensure_ascii=False).replace("%", "%%")
    for mark in ("@D@", "@S@", "@C@", "@B@"):
        text = text.replace(f'"{mark}"', '"%s"')
    return _escape(text)


class Pool:
    """Declarations from the generator, as templates, with their names."""

    def __init__(self, size: int, seed: int) -> None:
        gen = Generator(seed)
        self.births: list[tuple[str, str, tuple[str, ...]]] = []
        self.deaths: list[tuple[str, str, tuple[str, ...]]] = []
        judgment = ', "judgment": {"court": "المحكمة الابتدائية", "number": "%s", "date": "%s"}}'
        for _ in range(size):
            decl = gen.birth(date(2020, 6, 1))
            mother = {**decl["mother"]}
            has_mother_age = "birth_date" in mother
            if has_mother_age:
                mother["birth_date"] = "@B@"
            text = _template(
                decl,
                {
                    "birth_date": "@D@",
                    "sex": "@S@",
                    "birth_commune": "@C@",
                    "mother": mother,
                },
            )
            if not has_mother_age:  # keep the same number of values to fill in
                text = text[:-1] + ', "x": "%s"}'
            names = tuple(
                _escape(decl["child"][k])
                for k in (
                    "first_name_ar",
                    "family_name_ar",
                    "first_name_lat",
                    "family_name_lat",
                )
            )
            self.births.append((text, text[:-1] + judgment, names))
        for _ in range(size // 3):
            decl = gen.death(date(2020, 6, 1))
            decl.pop("birth_date", None)
            text = _template(
                decl, {"death_date": "@D@", "sex": "@S@", "birth_date": "@B@"}
            )
            text = text[:-1] + ', "x": "%s"}'  # deaths have no commune of birth to fill
            names = tuple(
                _escape(decl["deceased"][k])
                for k in (
                    "first_name_ar",
                    "family_name_ar",
                    "first_name_lat",
                    "family_name_lat",
                )
            )
            self.deaths.append((text, text[:-1] + judgment, names))


def _days(n: int, rng: np.random.Generator) -> np.ndarray:
    span = (LAST_DAY - FIRST_DAY).days + 1
    return np.sort(rng.integers(0, span, n))


def rows(count: int, pool: Pool, seed: int) -> Iterator[str]:
    """COPY lines for ``count`` acts, in order of registration."""
    rng = np.random.default_rng(seed)
    communes = [c for c in geography.communes() if c.kind == "commune"]
    weights = np.array([max(c.population_2024, 1) for c in communes], dtype=float)
    chunk = 200_000
    number = 0
    every_day = _days(count, rng) + FIRST_DAY.toordinal()
    for start in range(0, count, chunk):
        n = min(chunk, count - start)
        registered = every_day[start : start + n]
        office = rng.choice(len(communes), n, p=weights / weights.sum())
        death = rng.random(n) < 0.22
        late = rng.random(n) < 0.03
        delay = np.where(
            late,
            rng.integers(45, 7 * 365, n),
            np.minimum(30, rng.triangular(0, 2, 31, n).astype(int)),
        )
        male = rng.random(n) < np.where(death, 0.55, 0.512)
        mother_age = rng.triangular(15, 27, 49, n)
        death_age = np.where(
            rng.random(n) < 0.05, rng.random(n), rng.triangular(0, 75, 100, n)
        )
        pick = rng.integers(0, 1 << 30, n)
        for i in range(n):
            number += 1
            day = date.fromordinal(int(registered[i]))
            event = day - timedelta(days=int(delay[i]))
            commune = communes[int(office[i])].code
            sex = "M" if male[i] else "F"
            if death[i]:
                text, judged, names = pool.deaths[pick[i] % len(pool.deaths)]
                born = event - timedelta(days=int(death_age[i] * 365.25))
                values: tuple[str, ...] = (event.isoformat(), sex, born.isoformat(), "")
                kind, letter = "death", "D"
            else:
                text, judged, names = pool.births[pick[i] % len(pool.births)]
                mother = event - timedelta(days=int(mother_age[i] * 365.25))
                values = (event.isoformat(), sex, commune, mother.isoformat())
                kind, letter = "birth", "N"
            data = (
                (judged % (*values, f"{number}/{day.year}", day.isoformat()))
                if late[i]
                else text % values
            )
            act_id = f"00000000-0000-4000-8000-{number:012x}"
            yield (
                f"{commune}\t{act_id}\t{commune}/{day.year}/{letter}/{number}\t{kind}\t"
                f"{day.year}\t{number}\t{act_id}\t{names[0]}\t{names[1]}\t{names[2]}\t"
                f"{names[3]}\t{sex}\t{event.isoformat()}\t{data}\t[]\tbench.officer\t"
                f"{day.isoformat()}T09:00:00.000000Z\tsigned\n"
            )


def load(url: str, count: int, pool: Pool) -> None:
    with psycopg.connect(url) as conn:
        for drop, _ in DEFERRED:
            conn.execute(drop)  # type: ignore[arg-type]
        for c in geography.communes():
            if c.kind != "commune":
                continue
            conn.execute(
                "INSERT INTO offices (code, kind, name_ar, name_fr, region_code, "
                "province_code, commune_code, setting, opened_at) "
                "VALUES (%s, 'commune', %s, %s, %s, %s, %s, %s, '2014-01-01T00:00:00Z')",
                (
                    c.code,
                    c.name_ar,
                    c.name_fr,
                    c.region_code,
                    c.province_code,
                    c.commune_code,
                    c.setting,
                ),
            )
        with (
            conn.cursor() as cur,
            cur.copy(f"COPY acts ({COLUMNS}) FROM STDIN") as copy,
        ):  # type: ignore[arg-type]
            buffer: list[str] = []
            for line in rows(count, pool, seed=11):
                buffer.append(line)
                if len(buffer) >= 20_000:
                    copy.write("".join(buffer))
                    buffer = []
            copy.write("".join(buffer))
        conn.commit()


def build_indexes(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        for _, create in DEFERRED:
            conn.execute(create)  # type: ignore[arg-type]
        conn.execute("VACUUM ANALYZE acts")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(url: str, year: int) -> None:
    engine = make_engine(url)
    with tempfile.TemporaryDirectory() as keys:
        reg = Registry(engine=engine, keys=KeyStore(Path(keys)), clock=lambda: NOW)
        before = peak_mib()
        start = time.perf_counter()
        figures: dict[str, float] = {}
        events = 0
        for group in service.GROUPS:
            begun = time.perf_counter()
            tables = service.tabulate(reg, actor=ANALYST, tables=[group], year=year)
            figures[group] = time.perf_counter() - begun
            if group == "births":
                events += tables[0].total
        begun = time.perf_counter()
        complete = service.completeness(reg, actor=ANALYST, year=year)
        figures["completeness"] = time.perf_counter() - begun
        total = time.perf_counter() - start
        public = time.perf_counter()
        service.tabulate(
            reg, actor=ANALYST, tables=list(service.GROUPS), year=year, public=True
        )
        public = time.perf_counter() - public
    engine.dispose()
    print(f"\nnational tabulations of {year} ({events:,} births that year):")
    for name, seconds in figures.items():
        print(f"  {name:<14} {seconds:6.1f} s")
    print(f"  {'all':<14} {total:6.1f} s  (public, suppressed: {public:.1f} s)")
    flagged = complete.extra["flagged"]
    print(f"  completeness: {len(complete.rows):,} communes rated, {flagged:,} flagged")
    print(
        f"  peak memory of this process: {peak_mib():,.0f} MiB (before the tables: {before:,.0f} MiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acts", type=int, default=10_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--pool", type=int, default=3000, help="distinct births")
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "SIJILL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    print(f"statistics benchmark: {args.acts:,} acts on PostgreSQL", flush=True)
    pool = timed(
        f"generating a pool of {args.pool:,} births and {args.pool // 3:,} deaths",
        lambda: Pool(args.pool, seed=5),
    )
    with postgres_url(args.pg) as url:
        upgrade(make_engine(url))
        timed("bulk load (COPY acts)", lambda: load(url, args.acts, pool))
        timed(
            "index build (keys, names, kind + event date, kind + year)",
            lambda: build_indexes(url),
        )
        with psycopg.connect(url) as conn:
            size = conn.execute("SELECT pg_total_relation_size('acts')").fetchone()[0]  # type: ignore[index]
        print(f"acts with indexes: {int(size) / 1024**3:,.1f} GiB")
        measure(url, args.year)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
