"""Many batches at once, each in a process of its own.

The programme reconciles and loads thousands of registers. Each batch's step runs in
one process with its own connection, and the batches run side by side in as many
processes as asked (by default one per core): batches of different offices advance
together, while two batches of one office take turns, as the office's single writer
wants (each of their transactions holds the office's journal head). The batches are
handed out office by office in turn, so that the processes seldom wait for each other.

SQLite has one writer: there the batches run one after the other, in this process.
A batch that fails is reported with its error and the others go on; a process that
dies leaves its batch where its last transaction left it, to resume by running the
step again.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from itertools import zip_longest
from typing import Any, Literal

from sqlalchemy import func, select

from sijill.config import Settings
from sijill.digitize.batches import Progress
from sijill.digitize.load import load_accepted_batch
from sijill.digitize.reconcile import reconcile_batch
from sijill.digitize.tables import batches, keyings
from sijill.domain.errors import DomainError, InvalidInput
from sijill.domain.offices import Actor
from sijill.services.context import Registry

Step = Literal["reconcile", "load"]
STEPS: tuple[Step, ...] = ("reconcile", "load")


@dataclass(frozen=True)
class Outcome:
    """What one batch's step came to: its acts, or the error that stopped it."""

    batch_id: str
    acts: int
    error: dict[str, Any] | None = None


def registry_of(settings: Settings) -> Registry:
    """A worker's own registry, opened from the settings (its schema is up to date)."""
    from sijill.bootstrap import bootstrap

    return bootstrap(settings, migrate=False)


def run_step(
    reg: Registry,
    step: Step,
    batch_id: str,
    *,
    actor: Actor,
    chunk: int | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """One batch's reconciliation or load; a domain error is reported, not raised."""
    options: dict[str, Any] = {} if chunk is None else {"chunk": chunk}
    try:
        if step == "reconcile":
            result = reconcile_batch(
                reg, actor=actor, batch_id=batch_id, progress=progress, **options
            )
            return Outcome(batch_id, result.acts)
        acts = load_accepted_batch(
            reg, actor=actor, batch_id=batch_id, progress=progress, **options
        )
        return Outcome(batch_id, acts)
    except DomainError as error:
        return Outcome(batch_id, 0, described(error))


def described(error: DomainError) -> dict[str, Any]:
    """An error as it crosses between processes: its kind, its words, its rules."""
    found: dict[str, Any] = {
        "code": error.code,
        "rule": error.rule,
        "message": error.message("en"),
        "message_fr": error.message("fr"),
        "message_ar": error.message("ar"),
    }
    if isinstance(error, InvalidInput):
        found["violations"] = [v.as_dict() for v in error.violations]
    return found


def in_turns(reg: Registry, batch_ids: Sequence[str]) -> list[str]:
    """The batches, office after office in turn (each office's in the order given);
    batches that do not exist keep their place at the end, for the step to report."""
    with reg.engine.connect() as conn:
        office_of = dict(
            conn.execute(
                select(batches.c.batch_id, batches.c.office_code).where(
                    batches.c.batch_id.in_(list(batch_ids))
                )
            ).all()
        )
    by_office: dict[str, list[str]] = {}
    for batch_id in dict.fromkeys(batch_ids):
        if batch_id in office_of:
            by_office.setdefault(office_of[batch_id], []).append(batch_id)
    turns = [b for row in zip_longest(*by_office.values()) for b in row if b]
    return turns + [b for b in dict.fromkeys(batch_ids) if b not in office_of]


def sizes(reg: Registry, step: Step, batch_ids: Sequence[str]) -> dict[str, int]:
    """The acts each batch's step will go through: the acts keyed, or reconciled."""
    with reg.engine.connect() as conn:
        if step == "reconcile":
            query = (
                select(keyings.c.batch_id, func.count() / 2)
                .where(keyings.c.batch_id.in_(list(batch_ids)))
                .group_by(keyings.c.batch_id)
            )
        else:
            query = select(batches.c.batch_id, batches.c.acts).where(
                batches.c.batch_id.in_(list(batch_ids))
            )
        found = {b: int(n or 0) for b, n in conn.execute(query).all()}
    return {b: found.get(b, 0) for b in batch_ids}


def run_batches(
    reg: Registry,
    step: Step,
    batch_ids: Sequence[str],
    *,
    actor: Actor,
    open_registry: Callable[[], Registry],
    workers: int | None = None,
    chunk: int | None = None,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Run ``step`` on every batch, in ``workers`` processes (default: one per core),
    each opening its registry with ``open_registry`` (picklable, e.g.
    ``partial(registry_of, settings)``); outcomes in the order of ``batch_ids``."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    ordered = in_turns(reg, batch_ids)
    total = sizes(reg, step, ordered)
    count = min(workers or os.cpu_count() or 1, len(ordered))
    job = _Job(step, actor, chunk)
    if count <= 1 or reg.engine.dialect.name != "postgresql":
        outcomes = _one_after_another(reg, job, ordered, total, progress)
    else:
        outcomes = _side_by_side(job, ordered, total, progress, open_registry, count)
    return [outcomes[b] for b in dict.fromkeys(batch_ids)]


@dataclass(frozen=True)
class _Job:
    """The step to run on each batch, as whom, in chunks of what size."""

    step: Step
    actor: Actor
    chunk: int | None

    def run(self, reg: Registry, batch_id: str, progress: Progress | None) -> Outcome:
        return run_step(
            reg,
            self.step,
            batch_id,
            actor=self.actor,
            chunk=self.chunk,
            progress=progress,
        )


def _one_after_another(
    reg: Registry,
    job: _Job,
    ordered: list[str],
    total: dict[str, int],
    progress: Progress | None,
) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    before = 0
    for batch_id in ordered:
        shown = None
        if progress is not None:
            shown = partial(_overall, progress, before, sum(total.values()))
        outcomes[batch_id] = job.run(reg, batch_id, shown)
        before += total[batch_id]
    return outcomes


def _overall(
    progress: Progress, before: int, total: int, step: str, done: int, _: int
) -> None:
    progress(step, before + done, total)


# --- the processes ------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _start(open_registry: Callable[[], Registry], reports: Any) -> None:
    _worker["registry"] = open_registry()
    _worker["reports"] = reports


def _run_in_worker(job: _Job, batch_id: str) -> Outcome:
    reports = _worker["reports"]

    def report(_: str, done: int, __: int) -> None:
        reports.put((batch_id, done))

    return job.run(_worker["registry"], batch_id, report)


def _side_by_side(
    job: _Job,
    ordered: list[str],
    total: dict[str, int],
    progress: Progress | None,
    open_registry: Callable[[], Registry],
    count: int,
) -> dict[str, Outcome]:
    # New processes, not copies of this one: each opens its own connections.
    context = multiprocessing.get_context("spawn")
    reports = context.Queue()
    done = dict.fromkeys(ordered, 0)
    outcomes: dict[str, Outcome] = {}
    with ProcessPoolExecutor(
        count, mp_context=context, initializer=_start, initargs=(open_registry, reports)
    ) as pool:
        running: dict[Future[Outcome], str] = {
            pool.submit(_run_in_worker, job, b): b for b in ordered
        }
        while running:
            finished, _ = wait(running, timeout=0.25, return_when=FIRST_COMPLETED)
            _drain(reports, done)
            for future in finished:
                batch_id = running.pop(future)
                outcomes[batch_id] = _outcome_of(future, batch_id)
                done[batch_id] = total[batch_id]
            if progress is not None:
                progress(job.step, sum(done.values()), sum(total.values()))
    return outcomes


def _drain(reports: Any, done: dict[str, int]) -> None:
    while True:
        try:
            batch_id, acts = reports.get_nowait()
        except queue.Empty:
            return
        done[batch_id] = max(done[batch_id], acts)


def _outcome_of(future: Future[Outcome], batch_id: str) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool:
        stopped = DomainError("digitize.worker_died", {"batch": batch_id})
        return Outcome(batch_id, 0, described(stopped))
