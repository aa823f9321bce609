"""Fault injection for the office network: a proxy that misbehaves, processes killed -9.

One *schedule* builds a small network of real processes on loopback — a central
registry (``sijill serve --role central``) on a PostgreSQL database of its own, two or
three offices on SQLite, one ``sijill sync`` agent per office talking to the centre
through a :class:`FaultProxy` — drives traffic in the offices and at the centre while a
seeded random schedule kills agents, the centre and the proxy, cuts, stalls, delays and
duplicates requests, replays captured batches and sends forged ones. At the end
everything catches up and :func:`check_network` compares every office with the
centre's copy, entry by entry.

The schedule (which action, which office, which fault, when) is drawn from the seed; the
exact interleaving with the processes is not, as with any real network.

Used by ``tests/e2e/test_network_faults.py`` (a few short schedules) and by
``bench/soak_network.py`` (many, longer).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import func, select

from sijill.config import Settings
from sijill.domain.journal import canonical_json, entry_digest
from sijill.domain.offices import SYSTEM
from sijill.services import acts, audit, drafts, journal
from sijill.services.context import Registry, stamp, utc_now
from sijill.store import tables as t
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.sync import centre as central
from sijill.sync import office as remote
from sijill.sync import projector
from sijill.sync.protocol import CENTRE, b64, batch_digest, unb64
from tests.builders import Staffed, birth, death, marriage, open_office

SIJILL = str(Path(sys.executable).with_name("sijill"))
PG_ADMIN = os.environ.get(
    "SIJILL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
)
OFFICE_CODES = ("03.231.01.0", "04.421.01.0", "01.511.01.0")  # Fès, Rabat, Tanger
Say = Callable[[str], None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_reason(admin: str = PG_ADMIN) -> str | None:
    """Why PostgreSQL cannot be used (None when it answers)."""
    try:
        with psycopg.connect(admin, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL not reachable at {admin}: {str(error).strip()[:160]}"


def need_postgres(what: str) -> None:
    """Skip ``what`` with the reason when no PostgreSQL answers; under CI, fail it."""
    reason = postgres_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run {what}: {reason}")
        pytest.skip(reason)


@contextlib.contextmanager
def postgres_database(admin: str = PG_ADMIN) -> Iterator[str]:
    """A fresh database ``sijill_faults_<random>``, dropped afterwards."""
    name = f"sijill_faults_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(what: str, check: Callable[[], Any], timeout: float = 90) -> Any:
    """Poll ``check`` until it returns something true (the processes work behind);
    no timing is asserted, only that it happens at all."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise TimeoutError(f"waited {timeout} s for {what}")


def wait_applied(centre: Registry, timeout: float) -> None:
    """Wait until the centre has applied all it received (it does so just behind)."""
    limit = time.monotonic() + timeout
    while behind := _backlog(centre):
        if time.monotonic() > limit:
            raise TimeoutError(f"the centre did not apply {behind}")
        time.sleep(0.05)


def _backlog(centre: Registry) -> dict[str, int]:
    with centre.engine.connect() as conn:
        return projector.backlog(conn)


def registry_at(data_dir: Path) -> Registry:
    """An office registry on the SQLite file the CLI finds in ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=data_dir)
    engine = make_engine(settings.resolved_database_url())
    upgrade(engine)
    return Registry(engine=engine, keys=KeyStore(settings.resolved_keys_dir()))


# --- the proxy ------------------------------------------------------------------------


class _Sniffer:
    """Splits the client's byte stream into HTTP/1.1 requests (Content-Length bodies)."""

    def __init__(self, seen: Callable[[bytes, bytes], None]) -> None:
        self.buffer = b""
        self.seen = seen

    def feed(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0 or len(self.buffer) > 64 * 2**20:
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip() or 0)
            total = end + 4 + length
            if len(self.buffer) < total:
                return
            self.seen(head.split("\r\n", 1)[0].encode("latin-1"), self.buffer[:total])
            self.buffer = self.buffer[total:]


class FaultProxy:
    """A TCP proxy on loopback, in a thread of its own, that misbehaves on demand.

    It can refuse connections (killed), abort every open connection (RST), stall or
    delay the bytes it forwards, cut connections at random, and deliver a batch a second
    time on a connection of its own, concurrently with the original. It keeps the
    complete ``POST /api/sync/journal`` requests it forwarded, to be replayed later.
    """

    def __init__(self, target_port: int, seed: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.rng = random.Random(seed)
        self.delay = 0.0
        self.stall_until = 0.0
        self.cut_rate = 0.0
        self.duplicate_rate = 0.0
        self.captured: list[bytes] = []
        self.duplicated = 0
        self.cuts = 0
        self.connections = 0
        self.requests = 0
        self._server: asyncio.Server | None = None
        self._transports: set[asyncio.WriteTransport] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    # control, from the test's thread

    def start(self) -> None:
        self._run(self._listen())

    def kill(self) -> None:
        """As if the proxy process died: stop listening, every connection reset."""
        self._run(self._kill())

    def cut(self) -> None:
        """Reset every open connection."""
        self._run(self._abort_all())

    def calm(self) -> None:
        self.delay, self.stall_until, self.cut_rate, self.duplicate_rate = 0, 0, 0, 0

    @property
    def listening(self) -> bool:
        return self._server is not None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.kill()
            self._run(self._cancel_tasks())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    # inside the loop

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._handle, "127.0.0.1", self.port, reuse_address=True
            )

    async def _kill(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        await self._abort_all()

    async def _abort_all(self) -> None:
        for transport in list(self._transports):
            transport.abort()
        self._transports.clear()

    async def _cancel_tasks(self) -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _captured(self, first_line: bytes, raw: bytes) -> None:
        self.requests += 1
        if not first_line.startswith(b"POST /api/sync/journal"):
            return
        self.captured.append(raw)
        del self.captured[:-40]
        if self.duplicate_rate and self.rng.random() < self.duplicate_rate:
            self.duplicated += 1
            self._loop.create_task(self._deliver_again(raw))

    async def _deliver_again(self, raw: bytes) -> None:
        """The same request once more, to the centre, on a connection of its own."""
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
        except OSError:
            return
        try:
            writer.write(raw.replace(b"keep-alive", b"close"))
            await writer.drain()
            await asyncio.wait_for(reader.read(), timeout=30)
        except (TimeoutError, OSError):
            pass
        finally:
            writer.close()

    async def _handle(
        self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        self._transports.add(client_w.transport)
        try:
            server_r, server_w = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
        except OSError:
            client_w.transport.abort()
            client_w.close()
            self._transports.discard(client_w.transport)
            return
        self._transports.add(server_w.transport)
        sniffer = _Sniffer(self._captured)
        both = (client_w, server_w)
        await asyncio.gather(
            self._pump(client_r, server_w, both, sniffer.feed),
            self._pump(server_r, client_w, both, None),
            return_exceptions=True,
        )
        for writer in both:
            self._transports.discard(writer.transport)
            writer.close()

    async def _pump(
        self,
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        both: tuple[asyncio.StreamWriter, asyncio.StreamWriter],
        observe: Callable[[bytes], None] | None,
    ) -> None:
        try:
            while True:
                data = await source.read(65536)
                if not data:
                    with contextlib.suppress(OSError):
                        if sink.can_write_eof():
                            sink.write_eof()
                    return
                if observe is not None:
                    observe(data)
                while (wait := self.stall_until - time.monotonic()) > 0:
                    await asyncio.sleep(min(wait, 0.2))
                if self.delay:
                    await asyncio.sleep(self.delay)
                if self.cut_rate and self.rng.random() < self.cut_rate:
                    self.cuts += 1
                    if len(data) > 1 and self.rng.random() < 0.5:
                        sink.write(data[: self.rng.randrange(1, len(data))])
                    for writer in both:
                        writer.transport.abort()
                    return
                sink.write(data)
                await sink.drain()
        except (OSError, ConnectionError, asyncio.CancelledError):
            for writer in both:
                writer.transport.abort()


# --- processes --------------------------------------------------------------------------


class Process:
    """A ``sijill`` command run in the background, killed with SIGKILL when asked."""

    def __init__(self, name: str, argv: list[str], log: Path) -> None:
        self.name, self.argv, self.log = name, argv, log
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.started_at = 0.0
        self.started_wall = ""

    def start(self) -> None:
        if self.alive:
            return
        with self.log.open("ab") as sink:
            sink.write(f"--- start {self.starts} at {time.time():.3f}\n".encode())
            self.process = subprocess.Popen(
                self.argv,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env={**os.environ, "COLUMNS": "200", "PYTHONUNBUFFERED": "1"},
            )
        self.starts += 1
        self.started_at = time.monotonic()
        self.started_wall = stamp(utc_now())

    def up_for(self) -> float:
        """Seconds since it was started (0 when it is not running)."""
        return time.monotonic() - self.started_at if self.alive else 0.0

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill9(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()


class CentreServer(Process):
    """``sijill serve --role central`` on a fixed port, restarted on the same port."""

    def __init__(self, url: str, data_dir: Path, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        super().__init__(
            "centre",
            [
                SIJILL,
                "--database",
                url,
                "--data-dir",
                str(data_dir),
                "serve",
                "--role",
                "central",
                "--port",
                str(port),
            ],
            data_dir / "serve.log",
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                self.start()
            try:
                # Up when it answers; the status itself needs a signed-in reader.
                if httpx.get(self.url + "/api/sync/status", timeout=2).status_code in (
                    200,
                    401,
                ):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"the centre did not answer in {timeout} s:\n{tail}")


# --- the network under test ---------------------------------------------------------------


@dataclass
class Office:
    code: str
    directory: Path
    reg: Registry
    staff: Staffed
    agent: Process
    births: list[tuple[str, str]] = field(default_factory=list)  # (ref, birth date)

    def working(self) -> bool:
        """The agent is running and has finished a round since it started."""
        with self.reg.engine.connect() as conn:
            contact = conn.execute(
                select(t.sync_status.c.last_contact).where(
                    t.sync_status.c.office_code == self.code
                )
            ).scalar_one_or_none()
        return self.agent.alive and str(contact or "") > self.agent.started_wall

    def head(self) -> int:
        with self.reg.engine.connect() as conn:
            return int(
                conn.execute(
                    select(t.journal_heads.c.last_seq).where(
                        t.journal_heads.c.office_code == self.code
                    )
                ).scalar_one_or_none()
                or 0
            )


@dataclass
class Expected:
    """What the schedule did that the centre must show at the end."""

    births: int = 0
    deaths_elsewhere: int = 0
    marriages: int = 0
    local_mentions: int = 0
    notices_applied: int = 0
    alarms: Counter[str] = field(default_factory=Counter)

    @property
    def notices(self) -> int:
        return self.deaths_elsewhere + 2 * self.marriages


@dataclass
class Result:
    seed: int
    seconds: float = 0.0
    faults: Counter[str] = field(default_factory=Counter)
    expected: Expected = field(default_factory=Expected)
    entries: int = 0
    acts: int = 0
    mentions: int = 0
    notices: int = 0
    losses: int = 0
    duplicates: int = 0
    catch_up_rounds: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        faults = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
        e = self.expected
        return (
            f"seed {self.seed}: {self.seconds:.1f} s, {sum(self.faults.values())} faults "
            f"({faults}); traffic: {e.births} births, {e.deaths_elsewhere} deaths "
            f"elsewhere, {e.marriages} marriages at the centre, {e.local_mentions} local "
            f"mentions; checked {self.entries} entries, {self.acts} acts, "
            f"{self.mentions} mentions, {self.notices} notices; losses {self.losses}, "
            f"duplicates {self.duplicates}; catch-up rounds {self.catch_up_rounds}; "
            f"problems {len(self.problems)}"
        )


class Network:
    """The centre, its proxy and the offices with their agents, for one schedule."""

    def __init__(self, work: Path, database_url: str, offices: int, seed: int) -> None:
        self.work = work
        self.database_url = database_url
        centre_dir = work / "centre"
        centre_dir.mkdir(parents=True)
        engine = make_engine(database_url)
        upgrade(engine)
        self.centre = Registry(engine=engine, keys=KeyStore(centre_dir / "keys"))
        self.centre_key = central.open_centre(self.centre)
        self.server = CentreServer(database_url, centre_dir, free_port())
        self.proxy = FaultProxy(self.server.port, seed)
        self.offices: list[Office] = []
        for index, code in enumerate(OFFICE_CODES[:offices]):
            directory = work / code
            reg = registry_at(directory)
            staff = open_office(reg, code)
            public_key = reg.keys.signer(code).public_key_hex
            if index == 0:  # one through the command an operator types
                enrolled = subprocess.run(
                    [
                        SIJILL,
                        "--database",
                        database_url,
                        "--data-dir",
                        str(centre_dir),
                        "centre",
                        "enroll",
                        "--office",
                        code,
                        "--public-key",
                        public_key,
                    ],
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
                if enrolled.returncode != 0:
                    raise RuntimeError(enrolled.stdout + enrolled.stderr)
            else:
                central.enroll_office(
                    self.centre, actor=SYSTEM, office=code, public_key=public_key
                )
            agent = Process(
                f"agent {code}",
                self._sync_argv(directory, code, once=False),
                directory / "agent.log",
            )
            self.offices.append(Office(code, directory, reg, staff, agent))

    def _sync_argv(self, directory: Path, code: str, *, once: bool) -> list[str]:
        return [
            SIJILL,
            "--data-dir",
            str(directory),
            "sync",
            "--office",
            code,
            "--centre",
            self.proxy.url,
            "--centre-key",
            self.centre_key,
            "--interval",
            "0.2" if once else "0.3",
            *(["--once"] if once else []),
        ]

    def start(self) -> None:
        self.server.start()
        self.server.wait_ready()
        self.proxy.start()
        for office in self.offices:
            office.agent.start()
        # A cold ``sijill`` takes seconds to import: faults begin once all are at work.
        deadline = time.monotonic() + 120
        while not all(o.working() for o in self.offices):
            if time.monotonic() > deadline:
                raise RuntimeError("the sync agents did not complete a round in 120 s")
            time.sleep(0.2)

    def close(self) -> None:
        for office in self.offices:
            office.agent.kill9()
        self.server.stop()
        self.proxy.close()
        for office in self.offices:
            office.reg.engine.dispose()
        self.centre.engine.dispose()

    def held(self, code: str) -> int:
        with self.centre.engine.connect() as conn:
            return int(
                conn.execute(
                    select(t.journal_heads.c.last_seq).where(
                        t.journal_heads.c.office_code == code
                    )
                ).scalar_one_or_none()
                or 0
            )

    def applied(self, timeout: float = 60) -> None:
        wait_applied(self.centre, timeout)

    def sync_once_all(self, offices: list[Office] | None = None) -> None:
        """``sijill sync --once`` for every office (or these), side by side."""
        running = []
        for office in self.offices if offices is None else offices:
            with (office.directory / "once.log").open("ab") as sink:
                running.append(
                    subprocess.Popen(
                        self._sync_argv(office.directory, office.code, once=True),
                        stdout=sink,
                        stderr=subprocess.STDOUT,
                    )
                )
        for process in running:
            process.wait(timeout=120)


# --- traffic ------------------------------------------------------------------------------


NAMES_M = {
    "first_name_ar": "يوسف",
    "family_name_ar": "الإدريسي",
    "first_name_lat": "Youssef",
    "family_name_lat": "El Idrissi",
}
NAMES_F = {
    **NAMES_M,
    "first_name_ar": "سلمى",
    "first_name_lat": "Salma",
}


class Traffic:
    """Clerks and officers at work in the offices, and adouls' contracts at the centre."""

    def __init__(self, net: Network, rng: random.Random, expected: Expected) -> None:
        self.net, self.rng, self.expected = net, rng, expected

    def birth(self, office: Office) -> None:
        days_old = self.rng.randint(1, 25)
        born = office.reg.now().date() - timedelta(days=days_old)
        female = self.rng.random() < 0.5
        changes: dict[str, Any] = (
            {
                "sex": "F",
                "child__first_name_ar": NAMES_F["first_name_ar"],
                "child__first_name_lat": NAMES_F["first_name_lat"],
            }
            if female
            else {}
        )
        draft = drafts.register_birth(
            office.reg,
            actor=office.staff.clerk,
            office=office.code,
            data=birth(born, **changes),
        )
        if self.rng.random() < 0.1:
            return  # a draft left for tomorrow: journalled, not signed
        ref = acts.sign_act(
            office.reg, actor=office.staff.officer, office=office.code, draft_id=draft
        )
        office.births.append((str(ref), born.isoformat()))
        self.expected.births += 1

    def _take_birth(self, office: Office) -> tuple[str, str] | None:
        if not office.births:
            return None
        return office.births.pop(self.rng.randrange(len(office.births)))

    def death_elsewhere(self, born_in: Office, died_in: Office) -> None:
        person = self._take_birth(born_in)
        if person is None:
            return
        ref, born = person
        data = death(
            # Yesterday: the declaration's 06:10 is never in the future, even just
            # after midnight.
            died_in.reg.now().date() - timedelta(days=1),
            deceased=NAMES_M,
            sex="M",
            birth_date=born,
            birth_act_ref=ref,
        )
        draft = drafts.register_death(
            died_in.reg, actor=died_in.staff.clerk, office=died_in.code, data=data
        )
        acts.sign_act(
            died_in.reg,
            actor=died_in.staff.officer,
            office=died_in.code,
            draft_id=draft,
        )
        self.expected.deaths_elsewhere += 1

    def marriage_at_centre(self, one: Office, other: Office) -> None:
        first, second = self._take_birth(one), self._take_birth(other)
        if first is None or second is None:
            for office, person in ((one, first), (other, second)):
                if person is not None:
                    office.births.append(person)
            return
        today = self.net.centre.now().date().isoformat()
        remote.record_event(
            self.net.centre,
            actor=SYSTEM,
            office=CENTRE,
            kind="marriage",
            parties=[
                {"names": NAMES_M, "birth_act_ref": first[0]},
                {"names": NAMES_F, "birth_act_ref": second[0]},
            ],
            mention={
                "source": {
                    "authority": "adouls",
                    "reference": f"عقد {self.rng.randint(1, 999)}/2026",
                    "date": today,
                },
                "data": {"event_date": today, "place": "فاس"},
            },
        )
        self.expected.marriages += 1

    def local_mention(self, office: Office) -> None:
        person = self._take_birth(office)
        if person is None:
            return
        acts.add_mention(
            office.reg,
            actor=office.staff.officer,
            ref=person[0],
            data=marriage(office.reg.now().date()),
        )
        self.expected.local_mentions += 1

    def apply_notices(self, office: Office) -> int:
        pending = remote.pending_notices(
            office.reg, actor=office.staff.officer, office=office.code
        )
        for notice in pending:
            remote.apply_notice(
                office.reg,
                actor=office.staff.officer,
                office=office.code,
                notice_id=notice["notice_id"],
            )
        self.expected.notices_applied += len(pending)
        return len(pending)


# --- faults that are requests -------------------------------------------------------------


def _post(url: str, content: bytes) -> httpx.Response:
    return httpx.post(
        url + "/api/sync/journal",
        content=content,
        headers={"content-type": "application/json"},
        timeout=30,
    )


def replay_captured(net: Network, rng: random.Random, problems: list[str]) -> bool:
    """Deliver a batch the agent sent earlier again, straight to the centre.

    Twice as it was, and once with its entries in reverse order (signed again by the
    office, as a batch reordered on its way would be). A genuine batch can only add what
    the centre lacks; delivered again right after, it must change nothing at all.
    """
    if not net.proxy.captured or not net.server.alive:
        return False
    raw = rng.choice(net.proxy.captured)
    body = raw.split(b"\r\n\r\n", 1)[1]
    batch = json.loads(body)
    office = next(o for o in net.offices if o.code == batch["office"])
    reordered = _signed_batch(office, batch["entries"][::-1], batch["head"])
    try:
        answers = [
            ("replayed", _post(net.server.url, body)),
            ("reordered", _post(net.server.url, canonical_json(reordered))),
            ("replayed twice", _post(net.server.url, body)),
        ]
    except httpx.ConnectError:
        # The centre is still restarting (only this thread kills it): nothing arrived.
        return False
    for label, response in answers:
        if response.status_code != 200:
            problems.append(
                f"a {label} genuine batch was answered {response.status_code}: "
                f"{response.text[:300]}"
            )
    for label, response in answers[1:]:
        if response.status_code == 200 and response.json()["accepted"] != 0:
            problems.append(f"a {label} batch was taken again: {response.json()}")
    return True


def _signed_batch(
    office: Office, entries: list[dict[str, Any]], head: int
) -> dict[str, Any]:
    signer = office.reg.keys.signer(office.code)
    sent_at = "2026-11-25T09:00:00.000000Z"
    return {
        "office": office.code,
        "entries": entries,
        "head": head,
        "sent_at": sent_at,
        "signature": b64(
            signer.sign(batch_digest(office.code, entries, head, sent_at))
        ),
    }


def _wire_entry(office: Office, seq: int) -> dict[str, Any]:
    with office.reg.engine.connect() as conn:
        row = conn.execute(
            select(t.journal).where(
                t.journal.c.office_code == office.code, t.journal.c.seq == seq
            )
        ).one()
    return {
        "seq": row.seq,
        "prev_hash": row.prev_hash,
        "entry_hash": row.entry_hash,
        "key_id": row.key_id,
        "payload": b64(row.payload),
        "signature": b64(row.signature),
        "recorded_at": str(row.recorded_at),
    }


def send_forgeries(
    net: Network, office: Office, expected: Expected, problems: list[str]
) -> bool:
    """Two forged batches: another entry under a held sequence, a bad batch signature.

    Each must be refused, change nothing, and raise exactly one alarm.
    """
    if not net.server.alive or net.held(office.code) < 1:
        return False
    genuine = _wire_entry(office, 1)
    payload = json.loads(unb64(genuine["payload"]))
    payload["at"] = "2000-01-01T00:00:00.000000Z"
    raw = canonical_json(payload)
    forged = {
        **genuine,
        "payload": b64(raw),
        "entry_hash": entry_digest(office.code, 1, genuine["prev_hash"], raw),
    }
    signer = office.reg.keys.signer(office.code)
    forged["signature"] = b64(signer.sign(bytes.fromhex(forged["entry_hash"])))
    body = _signed_batch(office, [forged], 1)
    bad_signature = {
        **_signed_batch(office, [genuine], 1),
        "signature": b64(b"\0" * 64),
    }
    try:
        conflict = _post(net.server.url, canonical_json(body))
        refused = _post(net.server.url, canonical_json(bad_signature))
    except httpx.ConnectError:
        # The centre is still restarting (only this thread kills it): nothing arrived.
        return False
    answer = conflict.json()
    if conflict.status_code != 409 or (answer.get("refused") or {}).get("seq") != 1:
        problems.append(
            f"a forged entry 1 was answered {conflict.status_code} {answer}"
        )
    else:
        expected.alarms["entry.conflict"] += 1
    if refused.status_code != 403:
        problems.append(f"a forged batch signature was answered {refused.status_code}")
    else:
        expected.alarms["batch.signature"] += 1
    return True


# --- a schedule ---------------------------------------------------------------------------


FAULTS = {
    "kill -9 agent": 6,
    "kill -9 centre": 3,
    "kill proxy": 3,
    "proxy cut": 4,
    "proxy stall": 3,
    "proxy delay": 3,
    "proxy flaky": 3,
    "proxy duplicates": 3,
    "replay batch": 4,
}


def run_schedule(
    seed: int,
    work: Path,
    *,
    duration: float = 30.0,
    offices: int = 3,
    admin: str = PG_ADMIN,
    say: Say = print,
) -> Result:
    """One seeded schedule of traffic and faults, then catch-up and the full check."""
    result = Result(seed)
    rng = random.Random(seed)
    started = time.monotonic()
    say(f"schedule seed {seed}: {offices} offices, {duration:.0f} s of faults")
    with postgres_database(admin) as url:
        net = Network(work, url, offices, seed)
        try:
            net.start()
            _drive(net, rng, result, duration, say)
            _catch_up(net, result, say)
            check_network(net, result)
        finally:
            net.close()
    result.seconds = time.monotonic() - started
    say(result.summary())
    for problem in result.problems:
        say(f"  PROBLEM: {problem}")
    return result


MIN_FAULTS = 10


def _drive(
    net: Network, rng: random.Random, result: Result, duration: float, say: Say
) -> None:
    """Traffic every few tens of milliseconds, a fault every second or two.

    The schedule lasts ``duration`` and at least ``MIN_FAULTS`` faults: on a slow
    machine it runs longer rather than test less (never more than a minute longer).
    """
    traffic = Traffic(net, rng, result.expected)
    pending: list[tuple[float, Callable[[], None]]] = []  # restarts due
    calm_at = 0.0
    forged = False
    start = time.monotonic()
    end = start + duration
    next_fault = start + rng.uniform(2.0, 4.0)
    while (now := time.monotonic()) < end or (
        sum(result.faults.values()) < MIN_FAULTS and now < end + 60
    ):
        for due, action in [p for p in pending if p[0] <= now]:
            pending.remove((due, action))
            action()
        if calm_at and now >= calm_at:
            net.proxy.calm()
            calm_at = 0.0
        roll = rng.random()
        a, b = rng.sample(net.offices, 2)
        if roll < 0.50:
            traffic.birth(a)
        elif roll < 0.65:
            traffic.death_elsewhere(born_in=a, died_in=b)
        elif roll < 0.75:
            traffic.marriage_at_centre(a, b)
        elif roll < 0.80:
            traffic.local_mention(a)
        else:
            traffic.apply_notices(a)
        if now >= next_fault:
            next_fault = now + rng.uniform(0.7, 2.2)
            kind = rng.choices(list(FAULTS), weights=list(FAULTS.values()))[0]
            if _inject(net, rng, kind, pending, result):
                result.faults[kind] += 1
                if kind in PASSING:
                    calm_at = time.monotonic() + rng.uniform(1.0, 4.0)
        if not forged and now > start + duration / 2:
            forged = send_forgeries(net, a, result.expected, result.problems)
            if forged:
                result.faults["forged batches"] += 2
        time.sleep(rng.uniform(0.01, 0.12))
    for _, action in pending:
        action()
    say(
        f"  traffic done: proxy saw {net.proxy.connections} connections, "
        f"{net.proxy.requests} requests, cut {net.proxy.cuts} connections at random, delivered "
        f"{net.proxy.duplicated} batches twice, captured {len(net.proxy.captured)}; "
        f"agent starts {sum(o.agent.starts for o in net.offices)}, "
        f"centre starts {net.server.starts}"
    )


PASSING = ("proxy stall", "proxy delay", "proxy flaky", "proxy duplicates")


def _inject(
    net: Network,
    rng: random.Random,
    kind: str,
    pending: list[tuple[float, Callable[[], None]]],
    result: Result,
) -> bool:
    """Inject one fault; False when it makes no sense now (nothing to kill)."""
    later = time.monotonic() + rng.uniform(0.1, 2.0)
    if kind == "kill -9 agent":
        # An agent takes seconds to start: kill one that is at work.
        working = [o.agent for o in net.offices if o.working()]
        if not working:
            return False
        agent = rng.choice(working)
        agent.kill9()
        if rng.random() < 0.4:
            agent.start()  # at once, as systemd would
        else:
            pending.append((later, agent.start))
    elif kind == "kill -9 centre":
        if net.server.up_for() < 3.0:
            return False
        net.server.kill9()
        pending.append((later, net.server.start))
    elif kind == "kill proxy":
        if not net.proxy.listening:
            return False
        net.proxy.kill()
        pending.append((later, net.proxy.start))
    elif kind == "proxy cut":
        net.proxy.cut()
    elif kind == "proxy stall":
        net.proxy.stall_until = time.monotonic() + rng.uniform(0.5, 3.0)
    elif kind == "proxy delay":
        net.proxy.delay = rng.uniform(0.02, 0.3)
    elif kind == "proxy flaky":
        net.proxy.cut_rate = rng.uniform(0.05, 0.3)
    elif kind == "proxy duplicates":
        net.proxy.duplicate_rate = rng.uniform(0.3, 1.0)
    elif kind == "replay batch":
        return replay_captured(net, rng, result.problems)
    return True


def _catch_up(net: Network, result: Result, say: Say) -> None:
    """Faults over: agents stopped, ``sijill sync --once`` and notices applied until still."""
    net.proxy.calm()
    net.proxy.start()
    net.server.wait_ready()
    for office in net.offices:
        office.agent.kill9()
    traffic = Traffic(net, random.Random(0), result.expected)
    for round_ in range(1, 16):
        net.sync_once_all()
        applied = sum(traffic.apply_notices(office) for office in net.offices)
        behind = [o.code for o in net.offices if o.head() != net.held(o.code)]
        with net.centre.engine.connect() as conn:
            open_notices = [
                n for n in central.notice_states(conn) if n["state"] != "applied"
            ]
            unapplied = projector.backlog(conn)
        result.catch_up_rounds = round_
        if unapplied:  # the centre applies what it received just behind receiving it
            time.sleep(0.5)
            continue
        if not applied and not behind and not open_notices:
            say(f"  caught up after {round_} round(s) of sijill sync --once")
            return
    result.problems.append(
        f"no catch-up after {result.catch_up_rounds} rounds: offices behind {behind}, "
        f"{len(open_notices)} notices not applied, not applied by the centre "
        f"{unapplied}"
    )


# --- the check ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bytes):
        return value.hex()
    return str(value) if value is not None else None


def _rows(
    reg: Registry, table: Any, office: str, key: tuple[str, ...]
) -> dict[Any, Any]:
    with reg.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.office_code == office))
        out: dict[Any, Any] = {}
        for row in rows:
            mapping = row._mapping
            k = tuple(mapping[c] for c in key)
            out.setdefault(k, []).append(tuple(_plain(v) for v in mapping.values()))
    return out


def check_network(net: Network, result: Result) -> None:
    """Every office, entry by entry, against the centre; notices; chains; alarms."""
    problems = result.problems
    for office in net.offices:
        code = office.code
        for table, key in (
            (t.journal, ("seq",)),
            (t.acts, ("act_id",)),
            (t.mentions, ("mention_id",)),
        ):
            here = _rows(office.reg, table, code, key)
            there = _rows(net.centre, table, code, key)
            lost = set(here) - set(there)
            extra = set(there) - set(here)
            doubled = [k for k, v in there.items() if len(v) > 1]
            differ = [k for k in set(here) & set(there) if here[k] != there[k]]
            if table is t.journal:
                result.entries += len(here)
                result.losses += len(lost)
                result.duplicates += len(doubled) + len(extra)
            elif table is t.acts:
                result.acts += len(here)
            else:
                result.mentions += len(here)
            for label, found in (
                ("missing at the centre", lost),
                ("at the centre only", extra),
                ("held twice", doubled),
                ("different at the centre", differ),
            ):
                if found:
                    problems.append(
                        f"{code} {table.name}: {len(found)} {label}, e.g. {sorted(found)[:3]}"
                    )
        if office.head() != net.held(code):
            problems.append(
                f"{code}: head {office.head()} but centre holds {net.held(code)}"
            )
    # Notices: as many as the events called for, each applied once, at both ends.
    with net.centre.engine.connect() as conn:
        notices = [dict(r._mapping) for r in conn.execute(select(t.notices))]
        states = {n["notice_id"]: n["state"] for n in central.notice_states(conn)}
        centre_uses: dict[str, int] = dict(
            conn.execute(
                select(t.mentions.c.notice_id, func.count())
                .where(t.mentions.c.notice_id.is_not(None))
                .group_by(t.mentions.c.notice_id)
            ).all()
        )
        alarms = Counter(conn.execute(select(t.alarms.c.kind)).scalars().all())
    result.notices = len(notices)
    if len(notices) != result.expected.notices:
        problems.append(
            f"the centre issued {len(notices)} notices, the events called for "
            f"{result.expected.notices}"
        )
        result.duplicates += max(0, len(notices) - result.expected.notices)
        result.losses += max(0, result.expected.notices - len(notices))
    office_uses: Counter[str] = Counter()
    for office in net.offices:
        with office.reg.engine.connect() as conn:
            office_uses.update(
                conn.execute(
                    select(t.mentions.c.notice_id).where(
                        t.mentions.c.notice_id.is_not(None)
                    )
                ).scalars()
            )
            statuses = Counter(
                conn.execute(select(t.office_notices.c.status)).scalars()
            )
        mine = sum(n["target_office"] == office.code for n in notices)
        if statuses != Counter({"applied": mine} if mine else {}):
            problems.append(
                f"{office.code}: notices {dict(statuses)}, expected {mine} applied"
            )
    for n in notices:
        nid = n["notice_id"]
        if n["status"] != "issued" or n["target_office"] is None:
            problems.append(f"notice {nid} not routed: {n['status']}")
        if states.get(nid) != "applied":
            problems.append(f"notice {nid} is {states.get(nid)} at the centre")
        for where, uses in (("office", office_uses), ("centre", centre_uses)):
            if uses.get(nid, 0) != 1:
                problems.append(
                    f"notice {nid} applied {uses.get(nid, 0)} times ({where})"
                )
                result.duplicates += max(0, uses.get(nid, 0) - 1)
    # Every chain verifies, at the offices and at the centre (the centre's own too).
    for reg, label in [(o.reg, o.code) for o in net.offices] + [(net.centre, CENTRE)]:
        for report in journal.verify_journal(reg, actor=SYSTEM):
            if not report.ok:
                problems.append(f"journal of {report.office} at {label}: {report}")
    if alarms != result.expected.alarms:
        problems.append(
            f"alarms at the centre {dict(alarms)}, expected {dict(result.expected.alarms)}"
        )
    # Each office's audit chain: what the centre holds is the office's, entry by entry.
    for office in net.offices:
        with office.reg.engine.connect() as conn:
            own = dict(
                conn.execute(select(t.audit_log.c.seq, t.audit_log.c.entry_hash)).all()
            )
        with net.centre.engine.connect() as conn:
            held = dict(
                conn.execute(
                    select(t.office_audit.c.seq, t.office_audit.c.entry_hash).where(
                        t.office_audit.c.origin == office.code
                    )
                ).all()
            )
        if not held or any(own.get(seq) != h for seq, h in held.items()):
            problems.append(f"{office.code}: audit chain at the centre differs")
        if sorted(held) != list(range(1, len(held) + 1)):
            problems.append(f"{office.code}: audit chain at the centre has gaps")
    if not audit.verify_audit(net.centre, actor=SYSTEM).ok:
        problems.append("the audit chains held at the centre do not verify")


@contextlib.contextmanager
def running_network(work: Path, offices: int, what: str) -> Iterator[Network]:
    """A central server on a fresh PostgreSQL database and ``offices`` offices on
    SQLite, their servers and sync agents running; everything stopped afterwards."""
    need_postgres(what)
    with postgres_database() as url:
        network = Network(work, url, offices, seed=0)
        try:
            network.start()
            yield network
        finally:
            network.close()
