"""``sijill audit``: verify the chain, query who touched what, report unusual access."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from sijill.cli.common import actor_for, console, err_console, run, state
from sijill.domain.messages import render
from sijill.services import audit

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)

AsUser = Annotated[
    str | None, typer.Option("--as", help="User name of the person asking.")
]


@audit_app.command("verify")
def audit_verify(ctx: typer.Context, as_user: AsUser = None) -> None:
    """Check every link, hash and signed checkpoint; name each broken entry."""
    reg = state(ctx).registry()
    report = run(lambda: audit.verify_audit(reg, actor=actor_for(reg, as_user)))
    for p in report.problems:
        where = f"entry {p.seq}" if p.seq is not None else f"row {p.audit_id}"
        if p.chain is not None:
            where = f"office {p.chain}, {where}"
        err_console.print(
            f"[red]✗ {where}[/red] — {render(p.rule, 'en', seq=p.seq)}", markup=True
        )
        err_console.print(
            f"   {render(p.rule, 'fr', seq=p.seq)}  |  {render(p.rule, 'ar', seq=p.seq)}",
            markup=False,
        )
    if not report.ok:
        raise typer.Exit(6)
    console.print(
        f"audit intact: {report.entries} entries, {report.checkpoints} signed checkpoint(s)"
    )


@audit_app.command("checkpoint")
def audit_checkpoint(ctx: typer.Context, as_user: AsUser = None) -> None:
    """Sign a checkpoint at the end of the chain now (before a backup, say)."""
    reg = state(ctx).registry()
    seq = run(lambda: audit.checkpoint_audit(reg, actor=actor_for(reg, as_user)))
    console.print("nothing new to sign" if seq is None else f"checkpoint at {seq}")


@audit_app.command("query")
def audit_query(
    ctx: typer.Context,
    person: Annotated[
        str | None, typer.Option(help="An act reference or a civil identifier.")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="A user name.")] = None,
    since: Annotated[str | None, typer.Option(help="From (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="To (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option()] = 500,
    as_user: AsUser = None,
) -> None:
    """Who touched a person's acts, what an actor did, or what happened when."""
    reg = state(ctx).registry()
    rows = run(
        lambda: audit.query_audit(
            reg,
            actor=actor_for(reg, as_user),
            person=person,
            username=actor,
            since=since,
            until=until,
            limit=limit,
        )
    )
    table = Table("#", "at", "user", "role", "office", "action", "target", "purpose")
    for r in rows:
        table.add_row(
            str(r["seq"]),
            r["at"],
            r["username"],
            r["role"],
            r["actor_office"] or "-",
            f"{r['action']}{'' if r['outcome'] == 'ok' else ' (' + r['outcome'] + ')'}",
            r["target"] or "-",
            r["purpose"],
        )
    console.print(table)


@audit_app.command("unusual")
def audit_unusual(
    ctx: typer.Context,
    day: Annotated[str, typer.Option(help="The day to look at (YYYY-MM-DD).")],
    threshold: Annotated[
        int, typer.Option(help="Acts opened outside one's office, at most.")
    ] = 50,
    as_user: AsUser = None,
) -> None:
    """Who opened more acts of other offices in a day than the threshold."""
    reg = state(ctx).registry()
    try:
        when = date.fromisoformat(day)
    except ValueError:
        err_console.print("[red]✗ day[/red] — must be a date written YYYY-MM-DD")
        raise typer.Exit(2) from None
    found = run(
        lambda: audit.unusual_access(
            reg, actor=actor_for(reg, as_user), day=when, threshold=threshold
        )
    )
    table = Table("user", "role", "office", "day", "acts outside")
    for u in found:
        table.add_row(
            u.username, u.role, u.actor_office or "-", u.day, str(u.acts_outside)
        )
    console.print(table)


@audit_app.command("trail")
def audit_trail(ctx: typer.Context, as_user: AsUser = None) -> None:
    """A citizen's own trail: who accessed their record, when and why."""
    reg = state(ctx).registry()
    accesses = run(lambda: audit.citizen_trail(reg, actor=actor_for(reg, as_user)))
    table = Table("at", "who", "office", "action", "act", "purpose")
    for a in accesses:
        who = f"{a.username} ({a.role})" if a.username else "— (confidential)"
        table.add_row(a.at, who, a.office or "-", a.action, a.target or "-", a.purpose)
    console.print(table)
