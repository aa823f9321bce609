"""What the benchmarks share: a throw-away PostgreSQL database, timings, percentiles.

The scripts are run as ``python bench/NAME.py``, so this module is found beside them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg


@contextmanager
def postgres_url(admin: str, *, keep: bool = False) -> Iterator[str]:
    """A fresh database ``sijill_bench_<random>`` next to ``admin``, dropped afterwards
    unless ``keep`` (its address is then printed, to query it again by hand)."""
    name = f"sijill_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    url = admin.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        if keep:
            print(f"kept {url}; drop it with DROP DATABASE {name}")
        else:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(label: str, call: Callable[[], Any]) -> Any:
    """``call()``, printing how long it took under ``label``."""
    start = time.perf_counter()
    result = call()
    print(f"  {label}: {time.perf_counter() - start:,.1f} s", flush=True)
    return result
