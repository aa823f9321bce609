"""What every command shares: the registry it works on, the actor, errors, output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from sijill.auth.accounts import account_actor
from sijill.bootstrap import bootstrap
from sijill.config import Settings
from sijill.domain.errors import DomainError, InvalidInput, NotFound
from sijill.domain.offices import SYSTEM, Actor
from sijill.services.context import Registry
from sijill.services.offices import staff_actor

# Where an office is: a commune by its official code, or a consulate and its names.
CommuneOpt = Annotated[
    str | None,
    typer.Option(help="Official HCP code of the commune or arrondissement."),
]
ConsulateOpt = Annotated[
    str | None, typer.Option(help="A consulate as COUNTRY:CITY, e.g. FR:Paris.")
]
ConsulateNameAr = Annotated[str | None, typer.Option(help="Consulate name in Arabic.")]
ConsulateNameFr = Annotated[str | None, typer.Option(help="Consulate name in French.")]

console = Console()
err_console = Console(stderr=True)
T = TypeVar("T")

EXIT_CODES = {
    "invalid": 2,
    "not_found": 3,
    "forbidden": 4,
    "unauthenticated": 4,
    "conflict": 5,
    "integrity": 6,
}


class State:
    """The options given before the command: where the registry is."""

    def __init__(self) -> None:
        self.settings = Settings()
        self._registry: Registry | None = None

    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = bootstrap(self.settings)
        return self._registry


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def actor_for(reg: Registry, username: str | None) -> Actor:
    """The actor named by ``--as`` (a member of staff, or an account such as the
    ministry's); without it, the system operator of this machine."""
    if username is None:
        return SYSTEM
    try:
        return staff_actor(reg, username)
    except NotFound:
        with reg.engine.connect() as conn:
            actor = account_actor(conn, username)
        if actor is None:
            raise
        return actor


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn a DomainError into a bilingual message and the exit code of its kind."""
    try:
        yield
    except DomainError as error:
        if isinstance(error, InvalidInput):
            for v in error.violations:
                err_console.print(f"[red]✗ {v.field}[/red] — {v.message('en')}")
                err_console.print(
                    f"   {v.message('fr')}  |  {v.message('ar')}", markup=False
                )
        else:
            err_console.print(f"[red]✗ {error.message('en')}[/red]")
            err_console.print(
                f"   {error.message('fr')}  |  {error.message('ar')}", markup=False
            )
        raise typer.Exit(EXIT_CODES.get(error.code, 1)) from None


def run(call: Callable[[], T]) -> T:
    with reported_errors():
        return call()
    raise AssertionError("unreachable")  # pragma: no cover


def read_json(path: Path | None) -> dict[str, Any]:
    """A JSON object from a file, or from standard input when the path is ``-``."""
    if path is None:
        return {}
    text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        err_console.print(f"[red]✗ {path}: not valid JSON ({error})[/red]")
        raise typer.Exit(2) from None
    if not isinstance(value, dict):
        err_console.print(f"[red]✗ {path}: a JSON object is expected[/red]")
        raise typer.Exit(2)
    return value
