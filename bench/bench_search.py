"""Search latency and name-key index size on PostgreSQL, for N generated acts.

Acts come from the synthetic generator (a pool of realistic births, spread over
offices and 35 years) and are loaded in bulk with COPY straight into ``acts`` and
``name_index`` (one row of names and tokens per act) — not through the signing use case, which ``bench_registry.py``
measures. The indexes are built after the load and timed. Then a mix of name queries,
spelled the way a second clerk would key them (Latin and Arabic, whole names, family
names, prefixes, parents, with and without a date range), goes through the search use
case itself (authorization, ranking, audit entry) and its latency is reported.

    .venv/bin/python bench/bench_search.py [--acts 200000] [--queries 400]
                                           [--pg postgresql://postgres@127.0.0.1:5432/postgres]
                                           [--dedup 20000] [--dedup-only] [--no-splink]
                                           [--no-read] [--keep] [--warm]
                                           [--reuse postgresql://.../sijill_bench_xxxx]
                                           [--splink-latin-only]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from shared import percentile, postgres_url, timed
from sijill.domain.namekeys import latin_key
from sijill.domain.offices import Actor
from sijill.search.criteria import MIN_PREFIX
from sijill.search.dedup import find_duplicates, office_persons, person_of
from sijill.search.index import PERSON_NAMES, act_bases, act_tokens, parents_of
from sijill.search.service import search_acts
from sijill.services.context import Registry
from sijill.store.audit import CENTRE
from sijill.store.engine import make_engine
from sijill.store.geography import Commune
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.synthetic import Generator

INSPECTOR = Actor("bench.inspector", "ministry", None)
FIRST_DAY = date(1990, 1, 1)
SPAN_DAYS = 35 * 365
NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)
ACT_COLUMNS = (
    "office_code, act_id, ref, kind, year, number, draft_id, first_name_ar, "
    "family_name_ar, first_name_lat, family_name_lat, sex, event_date, data, "
    "provisional, signed_by, signed_at"
)
KEY_INDEXES = (
    "ALTER TABLE name_index ADD CONSTRAINT pk_name_index PRIMARY KEY "
    "(office_code, act_id)",
    "CREATE INDEX ix_name_index_tokens ON name_index USING gin (tokens)",
    "CREATE INDEX ix_name_index_event_date ON name_index (event_date)",
)


class Corpus:
    """N acts drawn from a pool of generated births, with their name-index rows."""

    def __init__(self, count: int, pool_size: int, seed: int) -> None:
        self.gen = Generator(seed)
        self.rng = random.Random(seed)
        self.offices = self._offices(30)
        self.pool = [
            self.gen.birth(date(2020, 6, 1), office_commune_code=o.code)
            for o in (self.rng.choice(self.offices) for _ in range(pool_size))
        ]
        self._pool_bases = [sorted(act_bases("birth", d)) for d in self.pool]
        self._pool_parents = [parents_of(d) for d in self.pool]
        self.count = count

    def _offices(self, count: int) -> list[Commune]:
        found: dict[str, Commune] = {}
        while len(found) < count:
            commune = self.gen.office()
            found[commune.code] = commune
        return list(found.values())

    def rows(self) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
        """(act row, index row) for each act, in a deterministic order."""
        numbers: dict[tuple[str, int], int] = {}
        for i in range(self.count):
            index = i % len(self.pool)
            decl = self.pool[index]
            office = self.rng.choice(self.offices).code
            day = FIRST_DAY + timedelta(days=self.rng.randrange(SPAN_DAYS))
            number = numbers[(office, day.year)] = (
                numbers.get((office, day.year), 0) + 1
            )
            act_id = str(uuid.UUID(int=self.rng.getrandbits(128)))
            child = decl["child"]
            act = (
                office,
                act_id,
                f"{office}/{day.year}/N/{number}",
                "birth",
                day.year,
                number,
                act_id,
                child["first_name_ar"],
                child["family_name_ar"],
                child["first_name_lat"],
                child["family_name_lat"],
                decl["sex"],
                day,
                json.dumps({**decl, "birth_date": day.isoformat()}, ensure_ascii=False),
                "[]",
                "bench.officer",
                "2026-11-25T09:00:00.000000Z",
            )
            tokens = list(act_tokens(self._pool_bases[index], day))
            names = tuple(child[name] for name in PERSON_NAMES)
            parents = json.dumps(self._pool_parents[index], ensure_ascii=False)
            yield act, (office, act_id, day, *names, parents, tokens)


def load(url: str, corpus: Corpus) -> None:
    url = url.replace("+psycopg", "")
    with psycopg.connect(url) as conn:
        for statement in (
            "DROP INDEX ix_name_index_tokens",
            "DROP INDEX ix_name_index_event_date",
            "ALTER TABLE name_index DROP CONSTRAINT pk_name_index",
        ):
            conn.execute(statement)  # type: ignore[arg-type]
        for o in corpus.offices:
            conn.execute(
                "INSERT INTO offices (code, kind, name_ar, name_fr, region_code, "
                "province_code, commune_code, setting, opened_at) "
                "VALUES (%s, 'commune', %s, %s, %s, %s, %s, %s, '2026-01-01T00:00:00Z')",
                (
                    o.code,
                    o.name_ar,
                    o.name_fr,
                    o.region_code,
                    o.province_code,
                    o.commune_code,
                    o.setting,
                ),
            )
        conn.commit()
    # Acts and their tokens stream at once through two connections: at millions of
    # acts they would not fit in memory.
    with (
        psycopg.connect(url) as acts_conn,
        psycopg.connect(url) as keys_conn,
        acts_conn.cursor() as acts_cur,
        keys_conn.cursor() as keys_cur,
        acts_cur.copy(f"COPY acts ({ACT_COLUMNS}) FROM STDIN") as acts,  # type: ignore[arg-type]
        keys_cur.copy(
            f"COPY name_index (office_code, act_id, event_date, "
            f"{', '.join(PERSON_NAMES)}, parents, tokens) FROM STDIN"
        ) as copy,
    ):
        for act, row in corpus.rows():
            acts.write_row(act)
            copy.write_row(row)


def build_indexes(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        for statement in KEY_INDEXES:
            conn.execute(statement)  # type: ignore[arg-type]
        # A probe reads the index alone once the visibility map is set.
        conn.execute("VACUUM ANALYZE acts")
        conn.execute("VACUUM ANALYZE name_index")


def warm(url: str) -> None:
    """Read the name index (table, primary key, GIN) into the system's file cache, as
    a server that has answered searches for a while holds it."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        for relation in ("name_index", "pk_name_index", "ix_name_index_tokens"):
            conn.execute("SELECT pg_prewarm(%s, 'read')", (relation,))


def sizes(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class "
            "WHERE relname IN ('name_index', 'acts', 'pk_name_index', "
            "'ix_name_index_tokens', 'ix_name_index_event_date')"
        ).fetchall()
        found = {name: int(size) for name, size in rows}
        found["tokens"] = int(
            conn.execute("SELECT sum(cardinality(tokens)) FROM name_index").fetchone()[
                0
            ]  # type: ignore[index]
        )
        found["name_index heap"] = int(
            conn.execute("SELECT pg_relation_size('name_index')").fetchone()[0]  # type: ignore[index]
        )
    return found


def queries(corpus: Corpus, count: int) -> list[tuple[str, dict[str, Any]]]:
    """A mix of searches, names keyed as a second clerk would."""
    rng = random.Random(99)
    out: list[tuple[str, dict[str, Any]]] = []
    fields = ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat")
    while len(out) < count:
        decl = rng.choice(corpus.pool)
        keyed = corpus.gen.keying_variant({f: decl["child"][f] for f in fields})
        year = rng.randrange(FIRST_DAY.year, FIRST_DAY.year + 35)
        father = decl.get("father") or decl["mother"]
        shapes = {
            "latin full name": {
                "name": f"{keyed['first_name_lat']} {keyed['family_name_lat']}"
            },
            "arabic full name": {
                "name": f"{keyed['first_name_ar']} {keyed['family_name_ar']}"
            },
            "family name + year": {
                "name": keyed["family_name_lat"],
                "date_from": f"{year}-01-01",
                "date_to": f"{year}-12-31",
            },
            "prefix + first name": {
                "name": f"{keyed['first_name_lat']} {_prefix(keyed['family_name_lat'])}"
            },
            "name + father": {
                "name": keyed["first_name_ar"],
                "father": f"{father['first_name_ar']} {father['family_name_ar']}",
            },
        }
        shape = rng.choice(list(shapes))
        out.append((shape, shapes[shape]))
    return out


def _prefix(family: str) -> str:
    """The shortest beginning of a family name a search accepts as a prefix."""
    for end in range(3, len(family) + 1):
        if len(latin_key(family[:end])) >= MIN_PREFIX:
            return family[:end] + "*"
    return family


def measure(url: str, corpus: Corpus, count: int) -> None:
    engine = make_engine(url)
    with tempfile.TemporaryDirectory() as keys:
        reg = Registry(engine=engine, keys=KeyStore(Path(keys)), clock=lambda: NOW)
        # The centre holds its key and signs a checkpoint of the audit chain every
        # CHECKPOINT_EVERY entries; without one it would look for an office's key
        # at every entry past the last checkpoint.
        reg.keys.create(CENTRE)
        mix = queries(corpus, count)
        # The corpus (a pool of births, millions of objects) is the benchmark's own: a
        # server holds nothing like it, and the collector's full passes over it would
        # be counted against the searches.
        gc.freeze()
        for _, query in mix[:20]:  # warm the caches and the connection pool
            search_acts(reg, actor=INSPECTOR, **query)
        by_shape: dict[str, list[float]] = {}
        hits: list[int] = []
        truncated = 0
        for shape, query in mix:
            start = time.perf_counter()
            result = search_acts(reg, actor=INSPECTOR, **query)
            by_shape.setdefault(shape, []).append(time.perf_counter() - start)
            hits.append(result.total)
            truncated += result.truncated
    engine.dispose()
    gc.unfreeze()
    every = [t for samples in by_shape.values() for t in samples]
    print(f"\nsearch latency, {len(every)} queries through search_acts (ms):")
    print(f"  {'query':<22} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7}")
    for shape, samples in [*sorted(by_shape.items()), ("all", every)]:
        p50, p95, p99 = (percentile(samples, q) * 1000 for q in (0.5, 0.95, 0.99))
        print(f"  {shape:<22} {len(samples):>4} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f}")
    print(
        f"  acts found per query: median {statistics.median(hits):.0f}, "
        f"{truncated} of {len(every)} capped at the candidate limit"
    )


def read_persons(url: str) -> None:
    """How long batch deduplication takes to read the births it compares."""
    engine = make_engine(url)
    with engine.connect() as conn:
        start, cpu = time.perf_counter(), time.process_time()
        people = office_persons(conn)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    engine.dispose()
    print(
        f"\nreading {len(people):,} births for deduplication (office_persons): "
        f"{elapsed:,.1f} s, CPU {cpu:,.1f} s in Python"
    )


def dedup(
    count: int, pool_size: int, *, with_splink: bool = True, splink_arabic: bool = True
) -> None:
    """Batch detection over ``count`` births plus 5 % second keyings of some of them.

    A second keying spells the names again (the child's and the parents', each
    field with even odds, as ``Generator.keying_variant`` does) and, one time in
    five, the birth date a day or two off; sex and birth commune are copied.

    The births recombine a pool of generated ones (the child's first name and sex
    from one, the family name from another, each parent's first and family names
    from others, a day of one year), so that a million distinct persons cost
    seconds to make. Then, unless told not to, Splink's default configuration on the
    same persons (``splink_reference.py``), for comparison.
    """
    first = ("first_name_ar", "first_name_lat")
    family = ("family_name_ar", "family_name_lat")
    gen, rng = Generator(11), random.Random(3)
    pool = [d for _, d in gen.births(pool_size, date(2018, 1, 1), date(2018, 12, 31))]
    births = []
    for _ in range(count):
        a, b, c, d, e = (rng.choice(pool) for _ in range(5))
        child = {
            **{f: a["child"][f] for f in first},
            **{f: b["child"][f] for f in family},
        }
        father = b.get("father") and e.get("father")
        if father:
            father = {**father, **{f: b["father"][f] for f in family}}
        mother = {**c["mother"], **{f: d["mother"][f] for f in family}}
        day = date(2018, 1, 1) + timedelta(days=rng.randrange(365))
        births.append(
            {
                **a,
                "child": child,
                "father": father,
                "mother": mother,
                "birth_date": day.isoformat(),
            }
        )
    people = [(f"a{i}", person_of("birth", d)) for i, d in enumerate(births)]
    truth: set[frozenset[str]] = set()
    for k, i in enumerate(rng.sample(range(count), count // 20)):
        again = {
            **births[i],
            **{
                # The second clerk keys every name again, the parents' too.
                who: {**births[i][who], **gen.keying_variant(births[i][who])}
                for who in ("child", "mother", "father")
                if births[i].get(who)
            },
        }
        if rng.random() < 0.2:  # and a birth date keyed a day or two off
            day = date.fromisoformat(births[i]["birth_date"])
            again["birth_date"] = (
                day + timedelta(days=rng.choice((-1, 1, 2)))
            ).isoformat()
        people.append((f"d{k}", person_of("birth", again)))
        truth.add(frozenset((f"a{i}", f"d{k}")))
    del births, pool
    gc.collect()
    before = _rss_mib("VmRSS")
    _reset_peak_rss()
    start, cpu = time.perf_counter(), time.process_time()
    pairs = find_duplicates(people)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    found = {frozenset((p.left, p.right)) for p in pairs}
    print(
        f"\nbatch deduplication of {len(people):,} births ({len(truth):,} known "
        f"duplicates, one birth year):"
    )
    _accuracy("find_duplicates", elapsed, found, truth)
    print(
        f"  {'':<17} CPU {cpu:,.1f} s; peak RSS during detection {_rss_mib():,.0f} "
        f"MiB ({before:,.0f} MiB before, the persons in memory)"
    )
    if with_splink:
        sys.stdout.flush()
        if importlib.util.find_spec("splink") is None:
            print("  Splink: not installed (pip install -e '.[bench]'), skipped")
            return
        from splink_reference import splink_pairs

        found, elapsed = splink_pairs(people, arabic=splink_arabic)
        label = "Splink 5 default" if splink_arabic else "Splink, Latin only"
        _accuracy(label, elapsed, found, truth)


def _rss_mib(field: str = "VmHWM") -> float:
    """Peak (``VmHWM``) or current (``VmRSS``) resident memory of this process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak_rss() -> None:
    """Start the peak over from now (Linux: 5 to clear_refs), so it is detection's."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _accuracy(
    model: str, elapsed: float, found: set[frozenset[str]], truth: set[frozenset[str]]
) -> None:
    hits = len(found & truth)
    print(
        f"  {model:<17} {elapsed:>7,.1f} s, {len(found):>7,} pairs, precision "
        f"{hits / max(len(found), 1):.4f}, recall {hits / len(truth):.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acts", type=int, default=200_000)
    parser.add_argument("--pool", type=int, default=20_000, help="distinct births")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--dedup", type=int, default=20_000, help="births (0: skip)")
    parser.add_argument("--dedup-only", action="store_true", help="skip the search")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database to query it again"
    )
    parser.add_argument(
        "--reuse",
        metavar="URL",
        help="query a database kept by --keep (made with the same --acts and --pool)",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="then read the name index into the system's cache and query again",
    )
    parser.add_argument(
        "--no-read",
        action="store_true",
        help="skip the timed read of every birth for deduplication",
    )
    parser.add_argument(
        "--no-splink", action="store_true", help="dedup without Splink's comparison"
    )
    parser.add_argument(
        "--splink-latin-only",
        action="store_true",
        help="Splink compares the child's names in Latin letters only",
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "SIJILL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    if args.dedup_only:
        dedup(
            args.dedup,
            min(args.pool, args.dedup),
            with_splink=not args.no_splink,
            splink_arabic=not args.splink_latin_only,
        )
        return
    print(f"search benchmark: {args.acts:,} births on PostgreSQL", flush=True)
    corpus = timed(
        f"generating a pool of {min(args.pool, args.acts):,} births",
        lambda: Corpus(args.acts, min(args.pool, args.acts), seed=6),
    )
    if args.reuse:
        # The same seed gives the same pool, so the same queries as when it was made.
        # psycopg reads the URL too: SQLAlchemy's name of the driver is left out.
        url = args.reuse.replace("+psycopg", "")
        measure(url, corpus, args.queries)
        if args.warm:
            timed("reading the name index into the cache", lambda: warm(url))
            measure(url, corpus, args.queries)
        return
    with postgres_url(args.pg, keep=args.keep) as url:
        upgrade(make_engine(url))
        timed("bulk load (COPY acts and name_index)", lambda: load(url, corpus))
        timed(
            "index build (primary key, GIN of tokens, dates), vacuum",
            lambda: build_indexes(url),
        )
        found = sizes(url)
        mib = 1024 * 1024
        print(
            f"\nname_index: {args.acts:,} rows, {found['tokens']:,} tokens "
            f"({found['tokens'] / args.acts:.1f} per act), "
            f"table {found['name_index heap'] / mib:,.0f} MiB, "
            f"total with indexes {found['name_index'] / mib:,.0f} MiB"
        )
        for index in (
            "pk_name_index",
            "ix_name_index_tokens",
            "ix_name_index_event_date",
        ):
            print(f"  {index}: {found.get(index, 0) / mib:,.0f} MiB")
        print(f"acts (with their JSON): {found['acts'] / mib:,.0f} MiB")
        measure(url, corpus, args.queries)
        if args.warm:
            timed("reading the name index into the cache", lambda: warm(url))
            measure(url, corpus, args.queries)
        if not args.no_read:
            read_persons(url)
    if args.dedup:
        dedup(
            args.dedup,
            min(args.pool, args.dedup),
            with_splink=not args.no_splink,
            splink_arabic=not args.splink_latin_only,
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
