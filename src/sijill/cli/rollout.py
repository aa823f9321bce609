"""``sijill office onboard|merge``, ``sijill pilot``, ``sijill rollout``: the roll-out."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from sijill.cli.common import (
    CommuneOpt,
    ConsulateNameAr,
    ConsulateNameFr,
    ConsulateOpt,
    actor_for,
    console,
    run,
    state,
)

if TYPE_CHECKING:
    from sijill.rollout.onboarding import Ministry, Onboarded

rollout_app = typer.Typer(
    help="Bring every office of a province, a region or the nation into service.",
    invoke_without_command=True,
)
AsUser = Annotated[
    str | None, typer.Option("--as", help="User name of the ministry official acting.")
]
CentreUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--centre-url",
        envvar="SIJILL_CENTRE_URL",
        help="The centre's address, written in each office's configuration.",
    ),
]
PASSPHRASE_ENV = "SIJILL_ROOT_PASSPHRASE"


def _passphrase() -> bytes:
    value = os.environ.get(PASSPHRASE_ENV)
    if value is None:
        value = typer.prompt("Passphrase of the ministry root key", hide_input=True)
    return value.encode()


def ministry_for(
    ctx: typer.Context, as_user: str | None, centre_url: str | None, scratch: Path
) -> Ministry:
    """The centre here, office files under <data-dir>/offices, the root key opened."""
    from sijill.documents.service import trust_directory
    from sijill.documents.trust import TrustStore
    from sijill.rollout.onboarding import make_template, open_ministry

    st = state(ctx)
    reg = st.registry()
    actor = run(lambda: actor_for(reg, as_user))
    passphrase = _passphrase()
    key = st.settings.key_passphrase
    return run(
        lambda: open_ministry(
            reg,
            actor=actor,
            trust=TrustStore(trust_directory(reg)),
            passphrase=passphrase,
            offices_dir=st.settings.data_dir / "offices",
            key_passphrase=key.encode() if key else None,
            centre_url=centre_url,
            template=make_template(scratch),
        )
    )


def _print_onboarded(done: Onboarded) -> None:
    if not done.changed:
        console.print(
            f"[green]office {done.office} is already onboarded — nothing changed[/green]"
        )
        return
    table = Table("step", "state")
    for step, how in done.steps:
        colour = "green" if how == "done" else "dim"
        table.add_row(step, f"[{colour}]{how}[/{colour}]")
    console.print(table)
    console.print(f"[green]office {done.office} onboarded[/green] in {done.office_dir}")
    if done.enrolment is not None:
        console.print(
            f"officer account {done.enrolment.username}: one-time password "
            f"{done.enrolment.code}, TOTP secret {done.enrolment.totp_secret}"
        )
    console.print("[bold]Left to do by hand:[/bold]")
    for number, item in enumerate(done.checklist(), 1):
        console.print(f"  {number}. {item}", soft_wrap=True)


def onboard(
    ctx: typer.Context,
    commune: CommuneOpt = None,
    consulate: ConsulateOpt = None,
    name_ar: ConsulateNameAr = None,
    name_fr: ConsulateNameFr = None,
    office_database: Annotated[
        str | None,
        typer.Option(
            "--office-database",
            help="The office's database (default: a SQLite file in its directory), "
            "e.g. postgresql://user@host/office.",
        ),
    ] = None,
    officer: Annotated[
        str | None, typer.Option(help="The officer's user name.")
    ] = None,
    officer_name_ar: Annotated[str | None, typer.Option()] = None,
    officer_name_fr: Annotated[str | None, typer.Option()] = None,
    legacy_from: Annotated[
        int, typer.Option(help="First year of the office's paper registers.")
    ] = 1915,
    centre_url: CentreUrlOpt = None,
    as_user: AsUser = None,
) -> None:
    """Bring one office into service: record, key, database, officer, registers, config.

    Running it again changes nothing; an interrupted run is completed by a retry.
    """
    from sijill.rollout import onboarding as ob

    options: dict[str, Any] = {
        "database_url": office_database,
        "officer_username": officer,
        "officer_name_ar": officer_name_ar,
        "officer_name_fr": officer_name_fr,
        "legacy_from": legacy_from,
    }
    request = run(
        lambda: ob.office_request(
            commune=commune,
            consulate=consulate,
            name_ar=name_ar,
            name_fr=name_fr,
            **options,
        )
    )
    with tempfile.TemporaryDirectory() as scratch:
        ministry = ministry_for(ctx, as_user, centre_url, Path(scratch))
        done = run(lambda: ob.onboard_office(ministry, request))
    _print_onboarded(done)


def merge(
    ctx: typer.Context,
    closed: Annotated[str, typer.Option("--from", help="The office that closes.")],
    into: Annotated[
        str, typer.Option("--into", help="The office that takes its registers.")
    ],
    as_user: AsUser = None,
) -> None:
    """Close an office and hand its registers to another (communes merge)."""
    from sijill.rollout.merge import merge_offices

    st = state(ctx)
    reg = st.registry()
    actor = run(lambda: actor_for(reg, as_user))
    done = run(
        lambda: merge_offices(
            reg,
            actor=actor,
            closed=closed,
            into=into,
            offices_dir=st.settings.data_dir / "offices",
        )
    )
    console.print(
        f"office {done.closed} closed: its registers ({done.acts} acts) are held by "
        f"{done.into}; its notices go there ({done.rerouted} re-routed)"
    )


def rotate_key(
    ctx: typer.Context,
    office: Annotated[str, typer.Option("--office", help="The office's code.")],
    as_user: AsUser = None,
) -> None:
    """Give an onboarded office a new key: vouched for in its journal, certified by
    the root key, enrolled at the centre; the old key still verifies what it sealed."""
    from sijill.rollout.keys import rotate_and_certify

    with tempfile.TemporaryDirectory() as scratch:
        ministry = ministry_for(ctx, as_user, None, Path(scratch))
        rotated = run(lambda: rotate_and_certify(ministry, office))
    console.print(
        f"office {rotated.office}: key {rotated.previous_key_id} → {rotated.key_id} "
        "(certified, enrolled at the centre, trust list published); copy the office "
        "directory's keys/ to its server"
    )


def pilot(
    ctx: typer.Context, centre_url: CentreUrlOpt = None, as_user: AsUser = None
) -> None:
    """Onboard the six offices of the pilot and the centre they sync with."""
    from sijill.demo import PILOT_COMMUNES, PILOT_CONSULATE
    from sijill.rollout import onboarding as ob
    from sijill.rollout.generalize import share_trust

    with tempfile.TemporaryDirectory() as scratch:
        ministry = ministry_for(ctx, as_user, centre_url, Path(scratch))
        requests = [ob.commune_request(code) for code in PILOT_COMMUNES]
        requests.append(ob.consulate_request(PILOT_CONSULATE))
        done = [
            run(lambda r=request: ob.onboard_office(ministry, r, publish=False))  # type: ignore[misc]
            for request in requests
        ]
        shared = share_trust(ministry, [d.office for d in done])
    table = Table("office", "name", "onboarded", "config")
    for request, office in zip(requests, done, strict=True):
        table.add_row(
            office.office,
            request.office.name_fr,
            "now" if office.changed or office.office in shared else "already",
            str(office.config_path),
        )
    console.print(table)
    key = ministry.centre.keys.signer("CENTRE").public_key_hex
    console.print(
        f"centre key {key}; serve it with: sijill serve --role central --port 9000, "
        "then each office: sijill serve --config <its office.toml> and its sync agent. "
        "Officers' sheets: officer-credentials.txt in each office directory."
    )


@rollout_app.callback()
def rollout(
    ctx: typer.Context,
    province: Annotated[
        str | None, typer.Option(help="Official code of a province, e.g. 03.231.")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Official code of a region, e.g. 03.")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Every commune and arrondissement.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be done, do nothing.")
    ] = False,
    centre_url: CentreUrlOpt = None,
    as_user: AsUser = None,
) -> None:
    """Onboard every office of a province, a region or the nation (resumable)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from sijill.rollout import generalize as gen

    communes = run(
        lambda: gen.official_offices(
            province=province, region=region, everything=everything
        )
    )
    if dry_run:
        _dry_run(ctx, communes)
        return
    with tempfile.TemporaryDirectory() as scratch:
        ministry = ministry_for(ctx, as_user, centre_url, Path(scratch))
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[office]}"),
        )
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("onboarding", total=len(communes), office="")

            def advance(planned: gen.Planned, _done: object) -> None:
                bar.update(task, advance=1, office=planned.code)

            report = run(lambda: gen.roll_out(ministry, communes, progress=advance))
    console.print(
        f"{len(report.onboarded)} office(s) onboarded, {len(report.resumed)} resumed, "
        f"{len(report.skipped)} already in service; officers' sheets in "
        f"{ministry.offices_dir}/<code>/officer-credentials.txt"
    )


def _dry_run(ctx: typer.Context, communes: list[Any]) -> None:
    from sijill.rollout import generalize as gen

    planned = gen.plan(state(ctx).registry(), communes)
    table = Table("office", "name", "الاسم", "would")
    would = {gen.NEW: "onboard", gen.RESUME: "resume", gen.DONE: "skip (done)"}
    for p in planned:
        table.add_row(p.code, p.name_fr, p.name_ar, would[p.state])
    console.print(table)
    counts = {state: sum(p.state == state for p in planned) for state in would}
    console.print(
        f"dry run: {counts[gen.NEW]} to onboard, {counts[gen.RESUME]} to resume, "
        f"{counts[gen.DONE]} already in service — nothing was done"
    )


@rollout_app.command("status")
def rollout_status(
    ctx: typer.Context,
    province: Annotated[
        str | None, typer.Option(help="Only the offices of this province.")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Where the roll-out stands: offices per province, contact, backlog, digitization."""
    from sijill.rollout.dashboard import rollout_status as status_of

    reg = state(ctx).registry()
    actor = run(lambda: actor_for(reg, as_user))
    status = run(lambda: status_of(reg, actor=actor, province=province))
    provinces = Table("province", "name", "offices", "onboarded", "in progress")
    for p in status["provinces"]:
        if p["onboarded"] or p["in_progress"] or province:
            provinces.add_row(
                p["code"],
                p["name_fr"],
                str(p["offices"]),
                str(p["onboarded"]),
                str(p["in_progress"]),
            )
    console.print(provinces)
    offices = Table(
        "office",
        "state",
        "last contact",
        "backlog",
        "digitized",
        "notices overdue",
        "orders overdue",
    )
    for o in status["offices"]:
        offices.add_row(
            o["office"],
            o["state"],
            o["last_contact"] or "—",
            str(o["backlog"]),
            f"{o['digitized_share']:.0%} ({o['digitized_registers']}/"
            f"{o['legacy_registers']})",
            str(o["notices_overdue"]),
            str(o["orders_overdue"]),
        )
    console.print(offices)
    totals = status["totals"]
    console.print(
        f"{totals['onboarded']} of {totals['official']} offices in service, "
        f"{totals['in_progress']} being onboarded, {totals['closed']} closed"
    )
