"""``sijill account`` and ``sijill token``: sign-in accounts and machine tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from sijill.auth import accounts, tokens
from sijill.auth.accounts import Enrolment
from sijill.cli.common import actor_for, console, run, state

account_app = typer.Typer(
    help="Sign-in accounts (administrators).", no_args_is_help=True
)
token_app = typer.Typer(help="API tokens for machines.", no_args_is_help=True)

AsUser = Annotated[
    str | None, typer.Option("--as", help="User name of the administrator acting.")
]


def _hand_over(enrolment: Enrolment) -> None:
    console.print(f"one-time code for {enrolment.username}: {enrolment.code}")
    console.print("(valid 24 hours; the user chooses a password at /account/password)")
    if enrolment.totp_secret:
        console.print(f"TOTP secret: {enrolment.totp_secret}")
        console.print(f"TOTP URI:    {enrolment.totp_uri}")


@account_app.command("open")
def account_open(
    ctx: typer.Context,
    username: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="clerk, officer, ministry, citizen, …")],
    office: Annotated[
        str | None, typer.Option(help="Office (non-staff roles).")
    ] = None,
    civil_id: Annotated[str | None, typer.Option(help="A citizen's civil id.")] = None,
    as_user: AsUser = None,
) -> None:
    """Open an account; hands over a one-time code (and a TOTP secret)."""
    reg = state(ctx).registry()
    _hand_over(
        run(
            lambda: accounts.open_account(
                reg,
                actor=actor_for(reg, as_user),
                username=username,
                role=role,
                office=office,
                civil_id=civil_id,
            )
        )
    )


@account_app.command("reset")
def account_reset(
    ctx: typer.Context,
    username: Annotated[str, typer.Option()],
    new_totp: Annotated[bool, typer.Option(help="Also a new TOTP secret.")] = False,
    as_user: AsUser = None,
) -> None:
    """Reset a password (and sessions) with a new one-time code."""
    reg = state(ctx).registry()
    _hand_over(
        run(
            lambda: accounts.reset_account(
                reg,
                actor=actor_for(reg, as_user),
                username=username,
                new_second_factor=new_totp,
            )
        )
    )


@token_app.command("issue")
def token_issue(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="Who holds it, e.g. CHU Hassan II.")],
    role: Annotated[str, typer.Option(help="hospital, institution, …")],
    office: Annotated[str | None, typer.Option(help="Limit it to an office.")] = None,
    as_user: AsUser = None,
) -> None:
    """Issue a token; it is shown once (only its hash is kept)."""
    reg = state(ctx).registry()
    console.print(
        run(
            lambda: tokens.issue_token(
                reg, actor=actor_for(reg, as_user), name=name, role=role, office=office
            )
        )
    )


@token_app.command("revoke")
def token_revoke(ctx: typer.Context, token_id: str, as_user: AsUser = None) -> None:
    """Revoke a token by its id (the part after ``sjt_``)."""
    reg = state(ctx).registry()
    run(
        lambda: tokens.revoke_token(
            reg, actor=actor_for(reg, as_user), token_id=token_id
        )
    )
    console.print(f"token {token_id} revoked")
