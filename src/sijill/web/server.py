"""The processes of ``sijill serve --workers N``: N web workers, and the centre's
order processors in processes of their own.

Each process builds its own registry from the environment (the settings ``serve``
was given, passed on as ``SIJILL_*`` variables), so nothing is shared between
processes but the database.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time

from fastapi import FastAPI

from sijill.bootstrap import bootstrap
from sijill.config import Settings
from sijill.orders.ports import ports_from_environment
from sijill.orders.processing import OrderProcessor
from sijill.web.app import create_app
from sijill.web.rollout import MinistryPlaces

ROLE_VARIABLE = "SIJILL_SERVE_ROLE"
# Set when the centre's orders are processed by a process of their own, not by a
# thread of each web worker.
APART_VARIABLE = "SIJILL_ORDERS_PROCESSED_APART"
# Two processors take different batches (FOR UPDATE SKIP LOCKED): while one waits
# for the database, or writes its batch under the centre's journal lock, the other
# searches; after a peak, both cores work through the backlog.
PROCESSORS = 2


def app_from_environment() -> FastAPI:
    """The web application of one worker process."""
    settings = Settings()
    reg = bootstrap(settings, migrate=False)
    app = create_app(
        reg,
        role=os.environ.get(ROLE_VARIABLE, "office"),
        order_ports=ports_from_environment(settings.data_dir),
        places=MinistryPlaces(settings.data_dir / "offices", settings.key_passphrase),
        process_orders=os.environ.get(APART_VARIABLE) != "1",
    )
    settle_memory()
    return app


def start_order_processors(
    count: int = PROCESSORS,
) -> list[multiprocessing.process.BaseProcess]:
    """Start the centre's order processors beside the web workers (see ``_process``)."""
    os.environ[APART_VARIABLE] = "1"
    spawn = multiprocessing.get_context("spawn")
    processes: list[multiprocessing.process.BaseProcess] = [
        spawn.Process(
            target=_process, args=(os.getpid(),), name="sijill-orders", daemon=True
        )
        for _ in range(count)
    ]
    for process in processes:
        process.start()
    return processes


def _process(server: int) -> None:
    """Process the accepted orders with the CPU the web workers leave.

    At the lowest CPU priority and holding no lock of theirs, the processor never
    holds an answer back: under a peak it takes the time to spare and the backlog
    after, and between peaks it keeps up. It stops when ``serve`` (``server``) does.
    """
    os.nice(19)
    settings = Settings()
    reg = bootstrap(settings, migrate=False)
    processor = OrderProcessor(
        reg,
        ports_from_environment(settings.data_dir),
        every=0.2,
        quiet=0.0,
        patience=0.0,
        rest=0.0,
    )
    processor.start()
    try:
        while os.getppid() == server:
            time.sleep(0.5)
    finally:
        processor.stop()


def settle_memory() -> None:
    """Leave what a server built at start-up out of the garbage collector's rounds.

    Modules, tables and templates live as long as the server: without this, each full
    collection walks them all again (about 100 ms here, in the middle of a request).
    """
    gc.collect()
    gc.freeze()
