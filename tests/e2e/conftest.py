"""Real server processes and a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from sijill.config import Settings
from sijill.services.context import Registry
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SIJILL = str(Path(sys.executable).with_name("sijill"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A ``sijill serve`` process on loopback."""

    url: str
    process: subprocess.Popen[bytes]


def registry_at(data_dir: Path) -> Registry:
    """A registry on a SQLite file in ``data_dir``, as the CLI and server will find it."""
    settings = Settings(data_dir=data_dir)
    engine = make_engine(settings.resolved_database_url())
    upgrade(engine)
    return Registry(engine=engine, keys=KeyStore(settings.resolved_keys_dir()))


def cli(
    data_dir: Path, *args: str, database: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``sijill`` command against ``data_dir`` (and ``database``, when
    its registry is not the SQLite file there)."""
    env = {**os.environ, "SIJILL_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("SIJILL_DATABASE_URL", None)
    if database is not None:
        env["SIJILL_DATABASE_URL"] = database
    return subprocess.run(
        [SIJILL, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def serve() -> Iterator[object]:
    started: list[Server] = []

    def start(data_dir: Path, role: str = "office") -> Server:
        port = free_port()
        env = {**os.environ, "SIJILL_DATA_DIR": str(data_dir)}
        log = data_dir / f"serve-{port}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [SIJILL, "serve", "--port", str(port), "--role", role],
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        server = Server(f"http://127.0.0.1:{port}", process)
        started.append(server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(server.url + "/api/offices", timeout=1)
                return server
            except httpx.TransportError as error:
                if process.poll() is not None:
                    output = log.read_text(encoding="utf-8", errors="replace")
                    raise RuntimeError(output) from error
                time.sleep(0.2)
        raise RuntimeError("sijill serve did not start in 30 s")

    yield start
    for server in started:
        server.process.terminate()
        server.process.wait(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(
                "CI must run the browser tests: Debian's chromium is not installed"
            )
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
