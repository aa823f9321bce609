"""``sijill order …`` and ``sijill post …``: orders by post, from placing to delivery."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sijill.cli.common import actor_for, console, read_json, run, state
from sijill.orders import levels, office, post
from sijill.orders.authorizations import record_authorization
from sijill.orders.ports import LogSender, ports_from_environment
from sijill.orders.processing import process_orders
from sijill.orders.service import PUBLIC, place_order, track_order

order_app = typer.Typer(help="Orders of documents by post.", no_args_is_help=True)
post_app = typer.Typer(
    help="The post: envelopes and their statuses.", no_args_is_help=True
)

AsUser = Annotated[
    str | None,
    typer.Option(
        "--as", help="User acting (without it: a one-off order, or the system)."
    ),
]
OfficeOpt = Annotated[
    str, typer.Option("--office", help="Office code, e.g. 03.231.01.0.")
]


def _print(value: Any) -> None:
    console.print_json(json.dumps(value, ensure_ascii=False, default=str))


@order_app.command("place")
def order_place(
    ctx: typer.Context,
    file: Annotated[Path, typer.Option("-f", help="The order (JSON; - for stdin).")],
    as_user: AsUser = None,
) -> None:
    """Place an order and process it; the same idempotency key gives the same order."""
    s = state(ctx)
    reg = s.registry()
    actor = actor_for(reg, as_user) if as_user else PUBLIC
    ports = ports_from_environment(s.settings.data_dir)
    accepted = run(
        lambda: place_order(reg, actor=actor, body=read_json(file), ports=ports)
    )
    # The order is processed here and now (as the centre's server would, just after).
    run(lambda: process_orders(reg, ports))
    placed = run(lambda: track_order(reg, actor=actor, number=accepted["number"]))
    _print(placed)
    if placed["status"] == "rejected":
        raise typer.Exit(1)


@order_app.command("track")
def order_track(ctx: typer.Context, number: str, as_user: AsUser = None) -> None:
    """Where an order stands, step by step."""
    reg = state(ctx).registry()
    actor = actor_for(reg, as_user) if as_user else PUBLIC
    found = run(lambda: track_order(reg, actor=actor, number=number))
    table = Table(title=f"{found['number']} — {found['status']}")
    table.add_column("step")
    table.add_column("at")
    for step in found["steps"]:
        table.add_row(step["status"], step["at"])
    console.print(table)
    if found["reason_messages"]:
        console.print(found["reason_messages"]["en"])


@order_app.command("authorize")
def order_authorize(
    ctx: typer.Context,
    act: Annotated[str, typer.Option(help="The act reference.")],
    holder_id: Annotated[str, typer.Option(help="The holder's ID document number.")],
    holder_name: Annotated[str, typer.Option(help="The holder's name.")],
    granted_by: Annotated[
        str, typer.Option(help="Who grants it (person or judgment).")
    ],
    kind: Annotated[
        str, typer.Option(help="authorization or guardianship.")
    ] = "authorization",
    as_user: AsUser = None,
) -> None:
    """Record an authorization (or guardianship) to order a full copy; prints its code."""
    reg = state(ctx).registry()
    code = run(
        lambda: record_authorization(
            reg,
            actor=actor_for(reg, as_user),
            act_ref=act,
            kind=kind,
            holder_id_number=holder_id,
            holder_name=holder_name,
            granted_by=granted_by,
        )
    )
    console.print(code)


@order_app.command("list")
def order_list(
    ctx: typer.Context, office_code: OfficeOpt, as_user: AsUser = None
) -> None:
    """The orders routed to an office, and its envelopes."""
    reg = state(ctx).registry()
    _print(
        run(
            lambda: office.orders_to_produce(
                reg, actor=actor_for(reg, as_user), office=office_code
            )
        )
    )


def _office_step(
    ctx: typer.Context, step: Any, order_id: str, office_code: str, as_user: str | None
) -> Any:
    """Run one of the holding office's steps on an order, as ``as_user``."""
    reg = state(ctx).registry()
    actor = actor_for(reg, as_user)
    return run(lambda: step(reg, actor=actor, office=office_code, order_id=order_id))


@order_app.command("produce")
def order_produce(
    ctx: typer.Context, order_id: str, office_code: OfficeOpt, as_user: AsUser = None
) -> None:
    """The officer produces and signs an order's documents; the envelope is recorded."""
    _print(_office_step(ctx, office.produce_order, order_id, office_code, as_user))


@order_app.command("post")
def order_post(
    ctx: typer.Context, order_id: str, office_code: OfficeOpt, as_user: AsUser = None
) -> None:
    """Hand an order's envelope to the post."""
    console.print(_office_step(ctx, office.post_order, order_id, office_code, as_user))


@order_app.command("return")
def order_return(
    ctx: typer.Context, order_id: str, office_code: OfficeOpt, as_user: AsUser = None
) -> None:
    """Record an envelope the post brought back."""
    console.print(
        _office_step(ctx, office.record_return, order_id, office_code, as_user)
    )


@order_app.command("overdue")
def order_overdue(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="The target, in days.")] = 7,
    as_user: AsUser = None,
) -> None:
    """Orders open beyond the target: per office, province and for the nation."""
    reg = state(ctx).registry()
    _print(
        run(
            lambda: levels.overdue_orders(reg, actor=actor_for(reg, as_user), days=days)
        )
    )


@order_app.command("times")
def order_times(ctx: typer.Context, as_user: AsUser = None) -> None:
    """The distribution of order-to-delivery times, in days."""
    reg = state(ctx).registry()
    _print(run(lambda: levels.delivery_times(reg, actor=actor_for(reg, as_user))))


@order_app.command("notify")
def order_notify(ctx: typer.Context) -> None:
    """Send the notifications waiting in the outbox (development: to outbox.log)."""
    s = state(ctx)
    reg = s.registry()
    ports = ports_from_environment(s.settings.data_dir)
    sender = ports.sender or LogSender(s.settings.data_dir / "outbox.log")
    sent = run(
        lambda: levels.dispatch_outbox(reg, actor=actor_for(reg, None), sender=sender)
    )
    console.print(f"{sent} sent")


@post_app.command("envelopes")
def post_envelopes(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    as_user: AsUser = None,
) -> None:
    """The envelopes with the post: number, addressee, address, tracking number."""
    reg = state(ctx).registry()
    found = run(
        lambda: post.envelopes_for_post(
            reg, actor=actor_for(reg, as_user), status=status
        )
    )
    table = Table()
    for column in ("tracking", "order", "addressee", "city", "status"):
        table.add_column(column)
    for e in found:
        table.add_row(
            e["tracking_number"],
            e["number"],
            e["addressee"],
            e["address"].get("city", ""),
            e["status"],
        )
    console.print(table)


@post_app.command("record")
def post_record(
    ctx: typer.Context,
    tracking_number: str,
    status: Annotated[
        str,
        typer.Option(
            help="picked_up, in_transit, at_post_office, failed_attempt, delivered, returned_to_sender."
        ),
    ],
    id_number: Annotated[
        str | None, typer.Option(help="The ID shown at delivery.")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Record what happened to an envelope; a step back is refused."""
    reg = state(ctx).registry()
    actor = actor_for(reg, as_user)
    _print(
        run(
            lambda: post.record_post_status(
                reg,
                actor=actor,
                tracking_number=tracking_number,
                status=status,
                id_number=id_number,
            )
        )
    )
