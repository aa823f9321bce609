"""``sijill ruling``: a court's judgment or a prosecutor's authorization, at the centre;
``sijill declaratory``: a court's declaratory judgment (a late registration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sijill.cli.common import actor_for, console, run, state


def ruling(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Option(
            help="correction_judgment, annulment, recognition (court); "
            "correction_prosecutor (prosecutor)."
        ),
    ],
    act: Annotated[str, typer.Option(help="Birth act reference or civil identifier.")],
    reference: Annotated[str, typer.Option(help="The judgment's reference.")],
    date: Annotated[str, typer.Option(help="Its date, YYYY-MM-DD.")],
    field: Annotated[str, typer.Option(help="A correction: the field.")] = "",
    value: Annotated[str, typer.Option(help="A correction: the right value.")] = "",
    reason: Annotated[str, typer.Option(help="An annulment: why.")] = "",
    as_user: Annotated[
        str | None, typer.Option("--as", help="The court's or prosecutor's account.")
    ] = None,
) -> None:
    """Send a ruling about an act; it is routed to the office that holds the act."""
    from sijill.sync.justice import submit_ruling

    reg = state(ctx).registry()
    data = (
        {"reason": reason} if kind == "annulment" else {"field": field, "value": value}
    )
    record = run(
        lambda: submit_ruling(
            reg,
            actor=actor_for(reg, as_user),
            kind=kind,
            act=act,
            source={"reference": reference, "date": date},
            data=data,
        )
    )
    console.print(f"recorded {record}; routed to the office holding {act}")


def declaratory(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(help="birth or death.")],
    office: Annotated[str, typer.Option(help="The office that registers the act.")],
    court: Annotated[str, typer.Option(help="The court that ruled.")],
    reference: Annotated[str, typer.Option(help="The judgment's number.")],
    date: Annotated[str, typer.Option(help="Its date, YYYY-MM-DD.")],
    declaration: Annotated[
        Path,
        typer.Option(
            "--declaration",
            help="JSON file: the declaration the judgment orders registered, as the "
            "counter's form gives it (child, parents, declarant…).",
        ),
    ],
    as_user: Annotated[
        str | None, typer.Option("--as", help="The court's account.")
    ] = None,
) -> None:
    """Order a birth or a death registered late; routed to the office that registers it."""
    from sijill.sync.justice import submit_declaratory_judgment

    reg = state(ctx).registry()
    try:
        data = json.loads(declaration.read_text(encoding="utf-8"))
    except (OSError, ValueError) as problem:
        raise typer.BadParameter(str(problem), param_hint="--declaration") from None
    record = run(
        lambda: submit_declaratory_judgment(
            reg,
            actor=actor_for(reg, as_user),
            kind=kind,
            office=office,
            judgment={"court": court, "number": reference, "date": date},
            declaration=data,
        )
    )
    console.print(f"recorded {record}; routed to office {office}, to be registered")
