"""The command line: ``sijill …`` (Typer), a thin adapter over the use cases."""

from __future__ import annotations

from sijill.cli.app import app


def main() -> None:
    """Entry point of the ``sijill`` command."""
    app()
