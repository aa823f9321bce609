"""Orders by post at a national peak: the centre's order API over loopback.

A real ``sijill serve --role central --workers 2`` on PostgreSQL holds N generated
births (loaded with COPY, as ``bench_search.py`` does). One asyncio client sends remote
orders (``POST /api/orders``, keep-alive connections) at a fixed offered rate, open
loop: each order leaves at its due time whatever the answers before it, and its latency
is counted from that time. Every order names an act by its details, so each is matched
through the search and routed as a notice; one order in ten is sent a second time with
the same idempotency key, as a client does after a lost answer. Prints the throughput
sustained, latency percentiles (the API answers once the order is accepted as
received), the CPU per request of the web workers, the order processors, PostgreSQL and
the client; waits until the centre's order processors have matched, charged and routed
every accepted order and chained the audit entries, says how long that backlog took,
and then checks in the database that no order was lost or duplicated: one order per
key, every answered order present, every resend answered with the same order number,
each order routed at most once and with its steps in order, every acceptance and
resend in the audit chain, which verifies. Goal (issue 8): ≥ 200 orders/s sustained,
p95 ≤ 200 ms.

    .venv/bin/python bench/bench_orders.py [--acts 20000] [--rate 200] [--seconds 30]
                                           [--workers 2] [--connections 64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
from sqlalchemy import text

from bench_search import Corpus, build_indexes, load
from shared import percentile, postgres_url, timed
from sijill.services.context import Registry
from sijill.store.audit import verify_chain
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.sync import centre as central

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.faults import CentreServer, free_port

RESEND_EVERY = 10
JSON = {"content-type": "application/json"}


def _name(person: dict[str, Any]) -> str:
    return f"{person['first_name_lat']} {person['family_name_lat']}"


def order_bodies(acts: int, pool: int, seed: int) -> list[dict[str, Any]]:
    """One order per loaded act, by its father, naming it by its details alone."""
    bodies, seen = [], set()
    for act, _keys in Corpus(acts, pool, seed).rows():
        data = json.loads(act[13])
        father, mother = data.get("father") or {}, data["mother"]
        details = (act[9], act[10], act[12], _name(mother))
        if not father or details in seen:  # keep orders that match one act only
            continue
        seen.add(details)
        bodies.append(
            {
                "idempotency_key": f"bench-{seed}-{len(bodies):07d}",
                "kind": "extract",
                "lang": "bilingual",
                "copies": 1,
                "subject": {
                    "first_name": act[9],
                    "family_name": act[10],
                    "birth_date": act[12].isoformat(),
                    "father": _name(father),
                    "mother": _name(mother),
                },
                "requester": {
                    "first_name": father["first_name_lat"],
                    "family_name": father["family_name_lat"],
                    "id_number": "C123456",
                    "relationship": "parent",
                },
                "delivery": {
                    "addressee": _name(father),
                    "line1": "12 rue des Orangers",
                    "city": "Fes",
                    "postal_code": "30000",
                    "country": "MA",
                },
                "payment": {"method": "online", "token": "tok_ok_bench"},
            }
        )
    return bodies


Result = tuple[float, int, str, str, bool]  # latency (s), status, key, number, resend


def drive(
    url: str, bodies: list[dict[str, Any]], rate: float, connections: int
) -> tuple[float, float, list[Result]]:
    """Send every body at ``rate`` per second from one asyncio process, open loop.

    Order ``i`` is due at ``start + i / rate`` whatever the answers before it: a slow
    server does not slow the sending down, and each latency is counted from the time
    the order was due (a request waiting for a free connection counts as waiting).
    Returns the seconds from the first due time to the last answer, the latest any
    order was sent after its due time, and the results.
    """
    return asyncio.run(_drive(url, bodies, rate, connections))


async def _drive(
    url: str, bodies: list[dict[str, Any]], rate: float, connections: int
) -> tuple[float, float, list[Result]]:
    results: list[Result] = []
    late = [0.0]
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(url, connector=connector, timeout=timeout) as http:
        loop = asyncio.get_running_loop()
        start = loop.time() + 1.0
        sending = []
        for index, body in enumerate(bodies):
            due = start + index / rate
            pause = due - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            late[0] = max(late[0], loop.time() - due)
            payload = json.dumps(body).encode()
            resend = index % RESEND_EVERY == 0
            sending.append(
                asyncio.create_task(_order(http, payload, body, due, resend, results))
            )
        await asyncio.gather(*sending)
        return loop.time() - start, late[0], results


async def _order(
    http: aiohttp.ClientSession,
    payload: bytes,
    body: dict[str, Any],
    due: float,
    resend: bool,
    results: list[Result],
) -> None:
    """One order, and its resend with the same key just after the answer (one in ten)."""
    loop = asyncio.get_running_loop()
    for again in (False, True) if resend else (False,):
        if again:
            due = loop.time()
        try:
            async with http.post("/api/orders", data=payload, headers=JSON) as answer:
                code = answer.status
                number = (await answer.json()).get("number", "")
        except (aiohttp.ClientError, TimeoutError):
            code, number = 0, ""
        results.append(
            (loop.time() - due, code, body["idempotency_key"], number, again)
        )


def cpu_times(pids: list[int], tree: bool = True) -> dict[int, tuple[float, int]]:
    """CPU seconds (user + system) and niceness of processes and, with ``tree``, all
    their descendants, by process id (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    times: dict[int, tuple[float, int]] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        times[pid] = ((int(fields[11]) + int(fields[12])) / tick, int(fields[16]))
        if tree:
            times |= cpu_times([int(c) for c in children])
    return times


def backends(pg_url: str) -> list[int]:
    """The PostgreSQL server processes serving the bench database (but this one)."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(r[0]) for r in rows]


def spent(
    before: dict[int, tuple[float, int]], after: dict[int, tuple[float, int]]
) -> tuple[float, float]:
    """CPU seconds spent between two readings: at normal priority, and niced."""
    normal = niced = 0.0
    for pid, (seconds, nice) in after.items():
        used = seconds - before.get(pid, (0.0, 0))[0]
        if nice > 0:
            niced += used
        else:
            normal += used
    return normal, niced


def drain(pg_url: str, timeout: float = 600) -> tuple[tuple[int, int], float]:
    """Wait until the centre has processed every accepted order and chained their
    audit entries: (orders and entries waiting when sending ended, seconds)."""
    began = time.perf_counter()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        backlog = waiting = _waiting(conn)
        while sum(waiting) and time.perf_counter() - began < timeout:
            time.sleep(0.1)
            waiting = _waiting(conn)
    return backlog, time.perf_counter() - began


def _waiting(conn: Any) -> tuple[int, int]:
    """Orders not processed yet, and audit entries not chained yet."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM orders WHERE status = 'received'),"
        " (SELECT count(*) FROM audit_queue)"
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def check_audit(engine: Any, keys: KeyStore) -> None:
    """Every order placed and every resend has its audit entry, chained, the chain whole."""
    with engine.connect() as conn:
        counts = dict(
            conn.execute(
                text(
                    "SELECT action, count(*) FROM audit_log"
                    " WHERE action IN ('order.place', 'order.resend') GROUP BY 1"
                )
            ).all()
        )
        queued = conn.execute(text("SELECT count(*) FROM audit_queue")).scalar()
        report = verify_chain(conn, keys)
    print(
        f"  audit: {counts.get('order.place', 0):,} acceptances and "
        f"{counts.get('order.resend', 0):,} resends chained, {queued} still queued; "
        f"chain of {report.entries:,} entries, {report.checkpoints} signed checkpoints, "
        f"problems: {len(report.problems)}"
    )


def check(pg_url: str, results: list[tuple[float, int, str, str, bool]]) -> None:
    answered = {
        key: number
        for _, code, key, number, resend in results
        if code == 201 and not resend
    }
    resent = [
        (key, number)
        for _, code, key, number, resend in results
        if resend and code == 201
    ]
    with psycopg.connect(pg_url) as conn:
        rows = dict(
            conn.execute("SELECT idempotency_key, number FROM orders").fetchall()
        )
        notices = conn.execute(
            "SELECT count(*) FROM notices WHERE kind = 'order'"
        ).fetchone()
        statuses = dict(
            conn.execute("SELECT status, count(*) FROM orders GROUP BY 1").fetchall()
        )
        routed_twice = conn.execute(
            "SELECT count(*) FROM (SELECT subject->>'order_id' FROM notices"
            " WHERE kind = 'order' GROUP BY 1 HAVING count(*) > 1) AS twice"
        ).fetchone()
        wrong_steps = conn.execute(
            "SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM order_events e"
            " WHERE e.order_id = o.order_id) <> CASE o.status WHEN 'routed' THEN 3"
            " WHEN 'rejected' THEN 2 ELSE 1 END"
        ).fetchone()
    lost = [k for k, n in answered.items() if rows.get(k) != n]
    changed = [k for k, n in resent if rows.get(k) != n]
    print(
        f"  orders in the database: {len(rows):,} (answered 201: {len(answered):,}); statuses {statuses}"
    )
    print(
        f"  routed notices: {notices[0] if notices else 0:,}; orders routed twice: "
        f"{routed_twice[0] if routed_twice else 0}; orders whose steps are not "
        f"received → matched → routed (or → rejected): {wrong_steps[0] if wrong_steps else 0}"
    )
    print(f"  lost (answered but absent or different): {len(lost)}")
    print(
        f"  duplicated (one key, several orders): {len(rows) - len(set(rows))} ; resends answered with another number: {len(changed)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--acts", type=int, default=20_000)
    parser.add_argument("--pool", type=int, default=8_000)
    parser.add_argument(
        "--rate", type=float, default=200.0, help="orders per second offered"
    )
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--connections", type=int, default=64, help="keep-alive connections, at most"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="server worker processes"
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "SIJILL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    print(
        f"Sijill orders benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as tmp, postgres_url(args.pg) as url:
        work = Path(tmp)
        engine = make_engine(url)
        upgrade(engine)
        centre = Registry(engine=engine, keys=KeyStore(work / "centre" / "keys"))
        central.open_centre(centre)
        corpus = Corpus(args.acts, args.pool, 7)
        timed(f"load {args.acts:,} births (COPY)", lambda: load(url, corpus))
        timed("indexes", lambda: build_indexes(url))
        bodies = order_bodies(args.acts, args.pool, 7)
        wanted = int(args.rate * args.seconds)
        bodies = (bodies * (wanted // max(1, len(bodies)) + 1))[:wanted]
        for i, body in enumerate(
            bodies
        ):  # a body reused is another order, not a resend
            bodies[i] = {**body, "idempotency_key": f"bench-{i:08d}"}
        server = CentreServer(url, work / "centre", free_port())
        server.argv += ["--workers", str(args.workers)]
        server.start()
        server.wait_ready()
        try:
            print(
                f"centre: sijill serve --role central on {server.url}; offering {args.rate:.0f} orders/s for {args.seconds:.0f} s, "
                f"{args.workers} server workers; one asyncio client, open loop, at most {args.connections} connections; a resend every {RESEND_EVERY}",
                flush=True,
            )
            assert server.process is not None
            server_pid = server.process.pid
            server_cpu = cpu_times([server_pid])
            pg_cpu = cpu_times(backends(url), tree=False)
            client_cpu = time.process_time()
            elapsed, late, results = drive(
                server.url, bodies, args.rate, args.connections
            )
            client_cpu = time.process_time() - client_cpu
            web_cpu, processor_cpu = spent(server_cpu, cpu_times([server_pid]))
            pg_cpu_spent = sum(spent(pg_cpu, cpu_times(backends(url), tree=False)))
            before_drain = cpu_times([server_pid])
            backlog, drained = drain(url)
            drain_cpu = sum(spent(before_drain, cpu_times([server_pid])))
        finally:
            server.stop()
        firsts = [r for r in results if not r[4]]
        ok = [r for r in firsts if r[1] == 201]
        latencies = [r[0] * 1000 for r in results]
        print(
            f"  sent {len(results):,} requests ({len(firsts):,} orders + {len(results) - len(firsts):,} resends) in {elapsed:.1f} s; "
            f"each sent at most {late * 1000:.0f} ms after it was due"
        )
        print(
            f"  sustained: {len(ok) / elapsed:,.0f} orders/s accepted ({len(results) / elapsed:,.0f} requests/s); errors: {len(firsts) - len(ok)}"
        )
        print(
            f"  latency from the time each was due: p50 {percentile(latencies, 0.5):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms, max {max(latencies):.0f} ms"
        )
        print(
            f"  CPU while sending, per request: web workers {web_cpu / len(results) * 1000:.1f} ms, "
            f"order processor {processor_cpu / len(results) * 1000:.1f} ms, "
            f"PostgreSQL {pg_cpu_spent / len(results) * 1000:.1f} ms, client {client_cpu / len(results) * 1000:.1f} ms"
        )
        processed = sum(1 for r in firsts if r[1] == 201)
        print(
            f"  backlog when sending ended: {backlog[0]:,} orders received, not yet processed "
            f"({backlog[1]:,} audit entries queued); "
            f"processed {drained:.1f} s later — all {processed:,} processed in {elapsed + drained:.1f} s "
            f"({processed / (elapsed + drained):,.0f} orders/s matched, charged and routed)"
        )
        if backlog[0]:
            print(
                f"  server CPU while the backlog was processed: {drain_cpu * 1000 / backlog[0]:.1f} ms per order"
            )
        check(url, results)
        check_audit(engine, centre.keys)
        engine.dispose()


if __name__ == "__main__":
    main()
