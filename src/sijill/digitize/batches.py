"""Batches of a legacy register and the import of their keyed files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select

from sijill.digitize.files import (
    ENCODINGS,
    FORMATS,
    KeyedRow,
    RowError,
    file_digest,
    read_keyed_file,
)
from sijill.digitize.tables import batch_files, batches, keyings
from sijill.domain.acts import KINDS
from sijill.domain.errors import Conflict, InvalidInput, NotFound, Violation
from sijill.domain.offices import Actor
from sijill.domain.parse import Reader
from sijill.domain.sampling import AQLS, DEFAULT_AQL
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store.bulk import fewer_collections, insert_rows

ON_ERROR = ("skip", "refuse")
INSERT_EVERY = 5000
MAX_REPORTED = 1000
Progress = Callable[[str, int, int], None]  # step, done, total (0: unknown)


@dataclass(frozen=True)
class BatchSpec:
    """A batch: pages of one register (office, kind, year) and where their scans are."""

    batch_id: str
    office: str
    kind: str
    year: int
    first_page: int
    last_page: int
    scans: str  # a template with {page}: archive/fes/1962-N/{page:04d}.tif
    team: str = ""
    aql: str = DEFAULT_AQL

    def check(self, this_year: int) -> None:
        """Raise InvalidInput naming each setting that is not acceptable."""
        r = Reader({"batch": self.batch_id, "kind": self.kind, "aql": self.aql})
        r.text("batch", max_length=40)
        r.choice("kind", KINDS)
        r.choice("aql", AQLS)
        if not 1900 <= self.year < this_year:
            r.fail("year", "legacy.date_outside_register", year=this_year - 1)
        if not 1 <= self.first_page <= self.last_page:
            r.fail("pages", "keying.position")
        if "{page" not in self.scans:
            r.fail("scans", "required")
        r.raise_if_invalid()


@dataclass
class ImportResult:
    """What importing one file did."""

    batch_id: str
    file: str
    encoding: str
    rows: int = 0
    skipped: list[RowError] = field(default_factory=list)
    already: bool = False


def load_batch(conn: Connection, batch_id: str) -> Any:
    row = conn.execute(select(batches).where(batches.c.batch_id == batch_id)).first()
    if row is None:
        raise NotFound("digitize.batch_unknown", {"batch": batch_id})
    return row


def require_status(batch: Any, allowed: tuple[str, ...], action: str) -> None:
    if batch.status not in allowed:
        raise Conflict(
            "digitize.batch_status",
            {"batch": batch.batch_id, "status": batch.status, "action": action},
        )


def scan_of(batch: Any, page: int) -> str:
    """The scan of a page of the batch."""
    try:
        return str(batch.scans.format(page=page))
    except (KeyError, ValueError, IndexError):
        return f"{batch.scans} (page {page})"


def _open_batch(conn: Connection, spec: BatchSpec, actor: Actor, now: str) -> Any:
    row = conn.execute(
        select(batches).where(batches.c.batch_id == spec.batch_id)
    ).first()
    if row is None:
        conn.execute(
            insert(batches).values(
                batch_id=spec.batch_id,
                office_code=spec.office,
                kind=spec.kind,
                year=spec.year,
                first_page=spec.first_page,
                last_page=spec.last_page,
                scans=spec.scans,
                team=spec.team,
                aql=spec.aql,
                status="keying",
                round=1,
                acts=0,
                loaded_chunks=0,
                created_by=actor.username,
                created_at=now,
            )
        )
        return load_batch(conn, spec.batch_id)
    for name, value in (
        ("office_code", spec.office),
        ("kind", spec.kind),
        ("year", spec.year),
        ("first_page", spec.first_page),
        ("last_page", spec.last_page),
    ):
        if getattr(row, name) != value:
            raise Conflict(
                "digitize.batch_mismatch", {"batch": spec.batch_id, "field": name}
            )
    require_status(row, ("keying",), "imported")
    return row


def _keyed_so_far(conn: Connection, batch_id: str) -> dict[tuple[int, int], list[str]]:
    found: dict[tuple[int, int], list[str]] = {}
    for page, line, keyer in conn.execute(
        select(keyings.c.page, keyings.c.line, keyings.c.keyer).where(
            keyings.c.batch_id == batch_id
        )
    ):
        found.setdefault((page, line), []).append(keyer)
    return found


def _third_or_twice(
    row: KeyedRow, keyed: dict[tuple[int, int], list[str]]
) -> Violation | None:
    """A keyer keys an act once; an act is keyed twice, never three times."""
    already = keyed.get((row.page, row.line), [])
    where = {"page": row.page, "line": row.line}
    if row.keyer in already:
        return Violation(
            row.source, "keying.same_keyer_twice", {"keyer": row.keyer, **where}
        )
    if len(already) >= 2:
        return Violation(
            row.source, "keying.third", {"keyers": ", ".join(already), **where}
        )
    return None


@fewer_collections()
def import_keyed_file(
    reg: Registry,
    *,
    actor: Actor,
    spec: BatchSpec,
    path: Path,
    on_error: str = "refuse",
    encoding: str | None = None,
    file_format: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one keyed file into its batch, all of it or nothing.

    With ``on_error="skip"`` broken rows are left out and reported; with "refuse" one
    broken row refuses the file. A file cut in the middle, or one already imported in
    this round, is never half taken: the first is refused, the second changes nothing.
    """
    _check_options(on_error, encoding, file_format)
    uow, now = reg.unit_of_work()
    spec.check(now.year)
    digest = file_digest(path)
    with uow:
        uow.lock(spec.office)
        authorize(uow, actor, "digitize.import", spec.office, target=spec.batch_id)
        batch = _open_batch(uow.conn, spec, actor, uow.now)
        done = uow.conn.execute(
            select(batch_files.c.encoding).where(
                batch_files.c.batch_id == spec.batch_id,
                batch_files.c.round == batch.round,
                batch_files.c.sha256 == digest,
            )
        ).first()
        if done is not None:
            return ImportResult(spec.batch_id, path.name, done.encoding, already=True)
        used, rows = read_keyed_file(
            path,
            kind=spec.kind,
            pages=(spec.first_page, spec.last_page),
            encoding=encoding,
            declared_format=file_format,
        )
        result = ImportResult(spec.batch_id, path.name, used)
        _take_rows(uow.conn, spec.batch_id, rows, result, progress)
        if result.skipped and on_error == "refuse":
            raise InvalidInput(
                [v for e in result.skipped[:MAX_REPORTED] for v in e.violations]
            )
        if result.rows == 0 and not result.skipped:
            raise InvalidInput([Violation(path.name, "file.empty")])
        uow.conn.execute(
            insert(batch_files).values(
                batch_id=spec.batch_id,
                sha256=digest,
                round=batch.round,
                name=path.name[:200],
                encoding=used,
                rows=result.rows,
                skipped=[
                    v.as_dict()
                    for e in result.skipped[:MAX_REPORTED]
                    for v in e.violations
                ],
                imported_by=actor.username,
                imported_at=uow.now,
            )
        )
        uow.audit(
            actor,
            "digitize.import",
            office=spec.office,
            target=spec.batch_id,
            detail={
                "file": path.name,
                "rows": result.rows,
                "skipped": len(result.skipped),
            },
        )
    return result


def _check_options(
    on_error: str, encoding: str | None, file_format: str | None
) -> None:
    r = Reader({"on_error": on_error, "encoding": encoding or ENCODINGS[0]})
    r.choice("on_error", ON_ERROR)
    r.choice("encoding", ENCODINGS)
    if file_format is not None and file_format not in FORMATS:
        r.fail("format", "choice", choices=", ".join(FORMATS))
    r.raise_if_invalid()


def _take_rows(
    conn: Connection,
    batch_id: str,
    rows: Any,
    result: ImportResult,
    progress: Progress | None,
) -> None:
    keyed = _keyed_so_far(conn, batch_id)
    pending: list[dict[str, Any]] = []
    for row in rows:
        if isinstance(row, RowError):
            result.skipped.append(row)
            continue
        problem = _third_or_twice(row, keyed)
        if problem is not None:
            result.skipped.append(RowError(row.source, (problem,)))
            continue
        keyed.setdefault((row.page, row.line), []).append(row.keyer)
        pending.append(
            {
                "batch_id": batch_id,
                "page": row.page,
                "line": row.line,
                "keyer": row.keyer,
                "fields": row.fields,
                "source": row.source[:240],
            }
        )
        if len(pending) >= INSERT_EVERY:
            insert_rows(conn, keyings, pending)
            result.rows += len(pending)
            pending = []
            if progress is not None:
                progress("import", result.rows, 0)
    insert_rows(conn, keyings, pending)
    result.rows += len(pending)
    if progress is not None:
        progress("import", result.rows, result.rows)
