"""Sync office → centre on loopback, against a real ``sijill serve --role central``.

Prints:

* throughput: an office's journal of N entries (births registered and signed through
  the services) pushed to the centre — entries/s (goal ≥ 5,000/s);
* catch-up: a busy urban office back after 30 days offline (~3,000 acts, mentions, and
  the notices that waited for it at the centre) — time until it is fully in sync, push
  and pull (goal < 10 s).

The centre runs on a PostgreSQL database of its own (created and dropped), the offices
on SQLite. Filling the offices is not timed; only the sync is.

    .venv/bin/python bench/bench_sync.py [--births 2500] [--acts 3000] [--pg URL]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, event, func, select, text

from sijill.domain.offices import SYSTEM
from sijill.services import acts, drafts, journal
from sijill.services.context import Registry, utc_now
from sijill.store import tables as t
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.sync import centre as central
from sijill.sync import office as remote
from sijill.sync.agent import sync_once
from sijill.sync.client import CentreClient
from sijill.sync.protocol import CENTRE
from sijill.synthetic import Generator, person_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.builders import Staffed, marriage, open_office
from tests.e2e.faults import (
    SIJILL,
    CentreServer,
    free_port,
    postgres_database,
    postgres_reason,
    wait_applied,
)

FES, RABAT, TANGER = "03.231.01.0", "04.421.01.0", "01.511.01.0"
BACK = date(2026, 11, 25)  # the day the urban office's link returns


class Clock:
    """The offices' clock, moved by the benchmark through the days it simulates."""

    def __init__(self) -> None:
        self.at = datetime(2026, 9, 1, 9, tzinfo=UTC)

    def day(self, day: date) -> None:
        self.at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.at += timedelta(seconds=7)
        return self.at


def fast_engine(path: Path) -> Engine:
    """The office's SQLite, without fsync while the benchmark fills it."""
    engine = make_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _no_fsync(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    upgrade(engine)
    return engine


def office(work: Path, code: str, clock: Clock) -> tuple[Registry, Staffed]:
    directory = work / code
    directory.mkdir(parents=True)
    reg = Registry(
        engine=fast_engine(directory / "sijill.db"),
        keys=KeyStore(directory / "keys"),
        clock=clock,
    )
    return reg, open_office(reg, code)


def register_births(
    reg: Registry, staff: Staffed, gen: Generator, clock: Clock, count: int, day: date
) -> list[tuple[str, dict[str, Any]]]:
    """``count`` births registered and signed on ``day``; their refs and declarations."""
    clock.day(day)
    out = []
    for _ in range(count):
        data = gen.birth(day, office_commune_code=staff.code)
        draft = drafts.register_birth(
            reg, actor=staff.clerk, office=staff.code, data=data
        )
        ref = acts.sign_act(reg, actor=staff.officer, office=staff.code, draft_id=draft)
        out.append((str(ref), data))
    return out


def register_death(
    reg: Registry, staff: Staffed, data: dict[str, Any], clock: Clock, day: date
) -> None:
    clock.day(day)
    draft = drafts.register_death(reg, actor=staff.clerk, office=staff.code, data=data)
    acts.sign_act(reg, actor=staff.officer, office=staff.code, draft_id=draft)


def entries(reg: Registry, code: str) -> int:
    with reg.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(t.journal)
                .where(t.journal.c.office_code == code)
            ).scalar_one()
        )


def client_for(http: httpx.Client, reg: Registry, code: str, url: str) -> CentreClient:
    # Requests are signed with the real time: the centre checks their freshness.
    return CentreClient(http, reg.keys.signer(code), utc_now, url)


def enroll(centre: Registry, reg: Registry, code: str) -> None:
    central.enroll_office(
        centre,
        actor=SYSTEM,
        office=code,
        public_key=reg.keys.signer(code).public_key_hex,
    )


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system, every thread) the processes ``pids`` have used so far.

    Read from /proc: on another system, nothing is counted.
    """
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def postgres_pids(centre: Registry) -> list[int]:
    """The PostgreSQL backends serving the centre's database."""
    with centre.engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                )
            ).scalars()
        )


def throughput(
    work: Path,
    centre: Registry,
    url: str,
    births: int,
    http: httpx.Client,
    server: CentreServer,
) -> None:
    clock = Clock()
    reg, staff = office(work, TANGER, clock)
    enroll(centre, reg, TANGER)
    start = time.perf_counter()
    gen = Generator(7)
    for offset in range(births // 100 + 1):
        day = BACK - timedelta(days=60 - offset % 60)
        register_births(reg, staff, gen, clock, min(100, births - 100 * offset), day)
    filled = time.perf_counter() - start
    total = entries(reg, TANGER)
    print(
        f"\nthroughput: office {TANGER} holds {total:,} journal entries "
        f"({births:,} births; filled in {filled:.0f} s, not timed)"
    )
    client = client_for(http, reg, TANGER, url)
    centre_pid = server.process.pid if server.process is not None else 0
    backends = {pid: cpu_seconds([pid]) for pid in postgres_pids(centre)}
    centre_cpu, office_cpu = cpu_seconds([centre_pid]), time.process_time()
    load = os.getloadavg()[0]
    start = time.perf_counter()
    report = remote.push(reg, client, TANGER)
    elapsed = time.perf_counter() - start
    office_cpu = time.process_time() - office_cpu
    centre_cpu = cpu_seconds([centre_pid]) - centre_cpu
    postgres_cpu = sum(
        cpu_seconds([pid]) - backends.get(pid, 0.0) for pid in postgres_pids(centre)
    )
    assert report.refused is None and report.held == total, report
    print(
        f"  push                 {total:,} entries in {elapsed:.2f} s = "
        f"{total / elapsed:,.0f} entries/s  (goal ≥ 5,000/s; batches of "
        f"{remote.PUSH_BATCH})"
    )
    print(
        f"    CPU used           centre {centre_cpu:.2f} s, office {office_cpu:.2f} s, "
        f"PostgreSQL {postgres_cpu:.2f} s (load average before: "
        f"{load:.1f})"
    )
    wait_applied(centre, timeout=600)
    applied = time.perf_counter() - start
    print(
        f"  applied by centre    {applied:.2f} s after the push began = "
        f"{total / applied:,.0f} entries/s (acts, name index, notices; in the "
        "background)"
    )
    start = time.perf_counter()
    again = remote.push(reg, client, TANGER)
    print(
        f"  push again           nothing to send: {time.perf_counter() - start:.3f} s "
        f"(centre holds {again.held:,})"
    )
    remote._save_status(reg, TANGER, pushed_seq=0)  # as if every answer had been lost
    start = time.perf_counter()
    again = remote.push(reg, client, TANGER)
    elapsed = time.perf_counter() - start
    print(
        f"  re-push, all held    {total:,} duplicates in {elapsed:.2f} s = "
        f"{total / elapsed:,.0f} entries/s (each a no-op at the centre)"
    )
    reg.engine.dispose()


def catch_up(
    work: Path,
    centre: Registry,
    url: str,
    acts_count: int,
    http: httpx.Client,
    by_names: bool,
) -> None:
    clock = Clock()
    fes, fes_staff = office(work, FES, clock)
    rabat, rabat_staff = office(work, RABAT, clock)
    for reg, code in ((fes, FES), (rabat, RABAT)):
        enroll(centre, reg, code)
    gen = Generator(11)
    rng = random.Random(11)
    offline_from = BACK - timedelta(days=30)
    # Before the link went down: the office's older births, all at the centre.
    before = register_births(
        fes, fes_staff, gen, clock, 900, offline_from - timedelta(days=5)
    )
    sync_once(fes, client_for(http, fes, FES, url), FES, CENTRE_KEY[0])
    held_before = entries(fes, FES)
    # 30 days offline: ~100 acts a day (births, a tenth deaths), some mentions.
    deaths = acts_count // 10
    per_day = acts_count // 30
    mentions = 0
    locals_ = list(before)
    rng.shuffle(locals_)
    elsewhere_dead = locals_[:150]
    married = locals_[150:250]
    mentioned = locals_[250:400]
    dying_here = locals_[400:]
    start = time.perf_counter()
    for offset in range(30):
        day = offline_from + timedelta(days=offset)
        births_today = per_day - deaths // 30
        register_births(fes, fes_staff, gen, clock, births_today, day)
        for _ in range(deaths // 30):
            if by_names or not dying_here:
                # Identified by names and birth date only: routed by search.
                data = gen.death(day, office_commune_code=FES)
            else:
                # Born here: the death mention is written at once, in the same act.
                ref, birth_data = dying_here.pop()
                data = gen.death(
                    day,
                    person=person_of(birth_data),
                    birth_act_ref=ref,
                    office_commune_code=FES,
                )
            register_death(fes, fes_staff, data, clock, day)
        for _ in range(5):
            if mentioned:
                ref, _data = mentioned.pop()
                clock.day(day)
                acts.add_mention(
                    fes, actor=fes_staff.officer, ref=ref, data=marriage(day)
                )
                mentions += 1
        # Elsewhere, the same days: deaths of people born in Fès, and marriages.
        for _ in range(5):
            if elsewhere_dead:
                ref, data = elsewhere_dead.pop()
                register_death(
                    rabat,
                    rabat_staff,
                    gen.death(
                        day,
                        person=person_of(data),
                        birth_act_ref=ref,
                        office_commune_code=RABAT,
                    ),
                    clock,
                    day,
                )
    for index in range(0, len(married) - 1, 2):
        (one, one_data), (two, two_data) = married[index], married[index + 1]
        remote.record_event(
            centre,
            actor=SYSTEM,
            office=CENTRE,
            kind="marriage",
            parties=[
                {"names": names_of(one_data), "birth_act_ref": one},
                {"names": names_of(two_data), "birth_act_ref": two},
            ],
            mention={
                "source": {
                    "authority": "adouls",
                    "reference": f"عقد {index}/2026",
                    "date": BACK.isoformat(),
                },
                "data": {"event_date": BACK.isoformat(), "place": "فاس"},
            },
        )
    sync_once(rabat, client_for(http, rabat, RABAT, url), RABAT, CENTRE_KEY[0])
    wait_applied(centre, timeout=600)
    filled = time.perf_counter() - start
    backlog = entries(fes, FES) - held_before
    with centre.engine.connect() as conn:
        waiting = int(
            conn.execute(
                select(func.count())
                .select_from(t.notices)
                .where(t.notices.c.target_office == FES)
            ).scalar_one()
        )
        with fes.engine.connect() as office_conn:
            acts_offline = int(
                office_conn.execute(
                    select(func.count())
                    .select_from(t.acts)
                    .where(t.acts.c.signed_at >= offline_from.isoformat())
                ).scalar_one()
            )
    print(
        f"\ncatch-up: office {FES} back after 30 days offline: {acts_offline:,} acts "
        f"and {mentions} mentions signed meanwhile = {backlog:,} journal entries to "
        f"push; {waiting} notices waiting at the centre (filled in {filled:.0f} s, not "
        "timed)"
    )
    client = client_for(http, fes, FES, url)
    start = time.perf_counter()
    pushed = remote.push(fes, client, FES)
    pushed_at = time.perf_counter()
    pulled = remote.pull(fes, client, FES, CENTRE_KEY[0])
    done = time.perf_counter()
    if pushed.refused is not None:
        print(f"  REFUSED by the centre: {pushed.refused} (see --deaths-by-names)")
    assert pulled.notices == waiting, (pulled.notices, waiting)
    print(
        f"  push                 {pushed.pushed:,} entries in {pushed_at - start:.2f} s "
        f"= {pushed.pushed / (pushed_at - start):,.0f} entries/s"
    )
    print(
        f"  pull                 {pulled.notices} notices in {done - pushed_at:.2f} s "
        "(each recorded in the office journal)"
    )
    print(f"  office in sync in    {done - start:.2f} s  (goal < 10 s)")
    wait_applied(centre, timeout=600)
    print(
        f"  centre applied all   {time.perf_counter() - start:.2f} s after the link "
        "came back (acts, mentions, name index, notices for other offices)"
    )
    status = central.network_status(centre, actor=SYSTEM)
    row = next(o for o in status["offices"] if o["office"] == FES)
    print(
        f"  centre now holds     {row['held']:,} entries of {FES}, backlog "
        f"{row['backlog']}, notices pending {row['notices_pending']}"
    )
    start = time.perf_counter()
    chain = journal.verify_journal(centre, actor=SYSTEM, office=FES)[0]
    print(
        f"  centre verifies      {chain.entries:,} entries of {FES} in "
        f"{time.perf_counter() - start:.2f} s: {'intact' if chain.ok else chain}"
    )
    for reg in (fes, rabat):
        reg.engine.dispose()


def names_of(data: dict[str, Any]) -> dict[str, str]:
    child = data["child"]
    return {
        k: child[k]
        for k in (
            "first_name_ar",
            "family_name_ar",
            "first_name_lat",
            "family_name_lat",
        )
    }


CENTRE_KEY = [""]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--births", type=int, default=2500)
    parser.add_argument("--acts", type=int, default=3000)
    parser.add_argument(
        "--deaths-by-names",
        action="store_true",
        help="the urban office's deaths carry no birth act reference (routed by "
        "names and birth date)",
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "SIJILL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    print(
        f"Sijill sync benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    reason = postgres_reason(args.pg)
    if reason is not None:
        print(f"PostgreSQL needed for the centre: {reason}")
        raise SystemExit(1)
    with tempfile.TemporaryDirectory() as tmp, postgres_database(args.pg) as url:
        work = Path(tmp)
        engine = make_engine(url)
        upgrade(engine)
        centre = Registry(engine=engine, keys=KeyStore(work / "centre" / "keys"))
        CENTRE_KEY[0] = central.open_centre(centre)
        server = CentreServer(url, work / "centre", free_port())
        start = time.perf_counter()
        server.start()
        server.wait_ready()
        print(
            f"centre: {SIJILL} serve --role central on {server.url}, PostgreSQL; "
            f"ready in {time.perf_counter() - start:.1f} s"
        )
        try:
            with httpx.Client(timeout=httpx.Timeout(120, connect=10)) as http:
                throughput(work, centre, server.url, args.births, http, server)
                catch_up(
                    work, centre, server.url, args.acts, http, args.deaths_by_names
                )
        finally:
            server.stop()
            engine.dispose()


if __name__ == "__main__":
    main()
