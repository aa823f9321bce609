"""The ``sijill`` command and its groups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sijill.cli.common import (
    CommuneOpt,
    ConsulateNameAr,
    ConsulateNameFr,
    ConsulateOpt,
    State,
    actor_for,
    console,
    read_json,
    run,
    state,
)
from sijill.cli.render import print_act
from sijill.domain.offices import SYSTEM
from sijill.services import acts, drafts, journal, offices, queries

app = typer.Typer(
    help="Sijill (سجل) — the national civil status registry.", no_args_is_help=True
)
office_app = typer.Typer(help="Offices and their staff.", no_args_is_help=True)
birth_app = typer.Typer(help="Birth declarations.", no_args_is_help=True)
death_app = typer.Typer(help="Death declarations.", no_args_is_help=True)
act_app = typer.Typer(help="Drafts and signed acts.", no_args_is_help=True)
mention_app = typer.Typer(help="Marginal mentions.", no_args_is_help=True)
register_app = typer.Typer(help="Yearly registers.", no_args_is_help=True)
journal_app = typer.Typer(help="The signed journal.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
for sub, name in (
    (office_app, "office"),
    (birth_app, "birth"),
    (death_app, "death"),
    (act_app, "act"),
    (mention_app, "mention"),
    (register_app, "register"),
    (journal_app, "journal"),
    (db_app, "db"),
):
    app.add_typer(sub, name=name)

AsUser = Annotated[
    str | None, typer.Option("--as", help="User name of the member of staff acting.")
]
OfficeOpt = Annotated[
    str, typer.Option("--office", help="Office code, e.g. 03.231.01.0.")
]


@app.callback()
def root(
    ctx: typer.Context,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            envvar="SIJILL_DATABASE_URL",
            help="Database URL: sqlite:///path.db (default: ./sijill-data/sijill.db) or "
            "postgresql://user@host/db.",
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="SIJILL_DATA_DIR",
            help="Where the database and keys live.",
        ),
    ] = None,
) -> None:
    s = State()
    if data_dir is not None:
        s.settings.data_dir = data_dir
    if database is not None:
        s.settings.database_url = database
    ctx.obj = s


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the database schema up to date (also done on every start)."""
    state(ctx).registry()
    console.print("schema up to date")


@office_app.command("create")
def office_create(
    ctx: typer.Context,
    commune: CommuneOpt = None,
    consulate: ConsulateOpt = None,
    name_ar: ConsulateNameAr = None,
    name_fr: ConsulateNameFr = None,
    annex_of: Annotated[
        str | None, typer.Option(help="Open an annex of this office.")
    ] = None,
) -> None:
    """Open a civil status office with its own signing key."""
    reg = state(ctx).registry()
    spec = None
    if consulate is not None:
        country, _, city = consulate.partition(":")
        spec = (country, city, name_ar or "", name_fr or "")
    office = run(
        lambda: offices.create_office(
            reg, actor=SYSTEM, commune_code=commune, consulate=spec, annex_of=annex_of
        )
    )
    console.print(f"office {office.code} opened: {office.name_fr} — {office.name_ar}")


@office_app.command("list")
def office_list(ctx: typer.Context) -> None:
    """List the offices and how many acts each holds."""
    table = Table("code", "kind", "name", "الاسم", "acts")
    for o in queries.list_offices(state(ctx).registry()):
        table.add_row(o["code"], o["kind"], o["name_fr"], o["name_ar"], str(o["acts"]))
    console.print(table)


@office_app.command("appoint")
def office_appoint(
    ctx: typer.Context,
    office: OfficeOpt,
    username: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="officer, delegate or clerk")],
    name_ar: Annotated[str, typer.Option(help="Full name in Arabic.")],
    name_fr: Annotated[str, typer.Option(help="Full name in Latin letters.")],
    as_user: AsUser = None,
) -> None:
    """Appoint the officer, his delegate or a clerk."""
    reg = state(ctx).registry()
    run(
        lambda: offices.appoint_staff(
            reg,
            actor=actor_for(reg, as_user),
            office=office,
            username=username,
            role=role,
            full_name_ar=name_ar,
            full_name_fr=name_fr,
        )
    )
    console.print(f"{username} appointed {role} of {office}")


def _register(
    ctx: typer.Context,
    kind: str,
    office: str,
    file: Path,
    as_user: str | None,
    predeclaration: str | None,
) -> None:
    reg = state(ctx).registry()
    data = read_json(file)
    draft_id = run(
        lambda: drafts.draft_act(
            reg,
            actor=actor_for(reg, as_user),
            office=office,
            kind=kind,
            data=data,
            predeclaration_id=predeclaration,
        )
    )
    console.print(f"draft {draft_id} awaiting the officer's signature")


FileArg = Annotated[
    Path, typer.Option("--file", "-f", help="Declaration as JSON (- for stdin).")
]
PredeclOpt = Annotated[
    str | None, typer.Option(help="The pre-declaration this draft completes.")
]


@birth_app.command("register")
def birth_register(
    ctx: typer.Context,
    office: OfficeOpt,
    file: FileArg,
    as_user: AsUser = None,
    predeclaration: PredeclOpt = None,
) -> None:
    """Register a declared birth as a draft for the officer to sign."""
    _register(ctx, "birth", office, file, as_user, predeclaration)


@death_app.command("register")
def death_register(
    ctx: typer.Context,
    office: OfficeOpt,
    file: FileArg,
    as_user: AsUser = None,
    predeclaration: PredeclOpt = None,
) -> None:
    """Register a declared death as a draft for the officer to sign."""
    _register(ctx, "death", office, file, as_user, predeclaration)


@act_app.command("sign")
def act_sign(
    ctx: typer.Context,
    office: OfficeOpt,
    draft: Annotated[str, typer.Argument()],
    as_user: AsUser = None,
    despite_duplicates: Annotated[
        bool,
        typer.Option(
            "--despite-duplicates", help="Sign although probable duplicates were shown."
        ),
    ] = False,
) -> None:
    """Sign a draft: it becomes the next act of this year's register.

    Acts that are probably the same person are shown first; the officer signs anyway
    only by saying so.
    """
    from sijill.search.service import draft_duplicates

    reg = state(ctx).registry()
    actor = actor_for(reg, as_user)
    found = run(
        lambda: draft_duplicates(reg, actor=actor, office=office, draft_id=draft)
    )
    if found and not despite_duplicates:
        for c in found:
            console.print(
                f"[yellow]⚠ {c.verdict} duplicate: {c.ref} "
                f"({c.probability:.0%}) — {'; '.join(c.reasons)}[/yellow]"
            )
        console.print(
            "not signed: check these acts, then sign with --despite-duplicates"
        )
        raise typer.Exit(5)
    ref = run(lambda: acts.sign_act(reg, actor=actor, office=office, draft_id=draft))
    console.print(f"signed: {ref}")


@act_app.command("cancel")
def act_cancel(
    ctx: typer.Context,
    office: OfficeOpt,
    draft: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option()],
    as_user: AsUser = None,
) -> None:
    """Cancel a draft (it stays on record, cancelled)."""
    reg = state(ctx).registry()
    run(
        lambda: drafts.cancel_draft(
            reg,
            actor=actor_for(reg, as_user),
            office=office,
            draft_id=draft,
            reason=reason,
        )
    )
    console.print(f"draft {draft} cancelled")


@act_app.command("drafts")
def act_drafts(ctx: typer.Context, office: OfficeOpt, as_user: AsUser = None) -> None:
    """List the drafts waiting for signature."""
    reg = state(ctx).registry()
    rows = run(
        lambda: queries.list_drafts(reg, actor=actor_for(reg, as_user), office=office)
    )
    table = Table("draft", "kind", "created", "by")
    for d in rows:
        table.add_row(d["draft_id"], d["kind"], d["created_at"], d["created_by"])
    console.print(table)


@act_app.command("show")
def act_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="e.g. 03.231.01.0/2026/N/12")],
    as_user: AsUser = None,
) -> None:
    """Show an act with its marginal mentions, in Arabic and French."""
    reg = state(ctx).registry()
    view = run(lambda: queries.get_act(reg, actor=actor_for(reg, as_user), ref=ref))
    print_act(console, view)


@mention_app.command("add")
def mention_add(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument()],
    file: FileArg,
    as_user: AsUser = None,
) -> None:
    """Write and sign a marginal mention (JSON: kind, source, data)."""
    reg = state(ctx).registry()
    data = read_json(file)
    mention_id = run(
        lambda: acts.add_mention(reg, actor=actor_for(reg, as_user), ref=ref, data=data)
    )
    console.print(f"mention {mention_id} written on {ref}")


@register_app.command("close")
def register_close(
    ctx: typer.Context,
    office: OfficeOpt,
    year: Annotated[int, typer.Option()],
    kind: Annotated[str, typer.Option(help="birth or death")],
    as_user: AsUser = None,
) -> None:
    """Close a yearly register (on or after 31 December)."""
    reg = state(ctx).registry()
    last = run(
        lambda: acts.close_register(
            reg, actor=actor_for(reg, as_user), office=office, year=year, kind=kind
        )
    )
    console.print(f"register {office}/{year}/{kind} closed after act {last}")


@register_app.command("list")
def register_list(ctx: typer.Context, office: OfficeOpt) -> None:
    """List an office's registers."""
    table = Table("year", "kind", "acts", "closed")
    for r in queries.list_registers(state(ctx).registry(), office=office):
        table.add_row(
            str(r["year"]), r["kind"], str(r["last_number"]), r["closed_at"] or ""
        )
    console.print(table)


@journal_app.command("verify")
def journal_verify(
    ctx: typer.Context, office: Annotated[str | None, typer.Option()] = None
) -> None:
    """Check every chain link, hash and signature; name the first broken entry."""
    reg = state(ctx).registry()
    reports = run(lambda: journal.verify_journal(reg, actor=SYSTEM, office=office))
    broken = [r for r in reports if not r.ok]
    for r in reports:
        mark = "[green]✓[/green]" if r.ok else "[red]✗[/red]"
        line = f"{mark} {r.office}: {r.entries} entries"
        if not r.ok:
            line += f" — BROKEN at entry {r.broken_at}: {r.reason}"
        console.print(line)
    if broken:
        raise typer.Exit(6)
    console.print(
        f"journal intact: {len(reports)} office(s), {sum(r.entries for r in reports)} entries"
    )


@journal_app.command("rebuild")
def journal_rebuild(ctx: typer.Context) -> None:
    """Rebuild the current-state tables from the verified journal."""
    reg = state(ctx).registry()
    report = run(lambda: journal.rebuild_state(reg, actor=SYSTEM))
    total = sum(report.entries.values())
    console.print(
        f"rebuilt from {total} journal entries of {len(report.entries)} office(s)"
    )


@app.command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default 8000).")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(help="office (default), or central for the national registry."),
    ] = None,
    office: Annotated[
        str | None, typer.Option(help="The office this server is (office role).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="An office's configuration file (office.toml, written by "
            "`sijill office onboard`); options given here override it.",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Worker processes (each with its own connections).")
    ] = 1,
) -> None:
    """Serve the web pages and the JSON API: an office server, or the central registry."""
    import uvicorn

    from sijill.web.app import create_app
    from sijill.web.rollout import MinistryPlaces
    from sijill.web.server import settle_memory

    st = state(ctx)
    given: dict[str, Any] = {"host": host, "port": port, "role": role, "office": office}
    if config is not None:
        given = {**read_server_config(st, config), **_set(given)}
    address, number = (
        str(given.get("host") or "127.0.0.1"),
        int(given.get("port") or 8000),
    )
    role, office = str(given.get("role") or "office"), given.get("office")
    reg = st.registry()
    if role not in ("office", "central"):
        raise typer.BadParameter("office or central", param_hint="--role")
    if role == "central":
        from sijill.sync.centre import open_centre

        console.print(f"central registry key: {open_centre(reg)}")
    elif office is not None and not offices.office_exists(reg, office):
        raise typer.BadParameter(
            f"no office {office} in this database", param_hint="--office"
        )
    console.print(
        f"Sijill ({role}) serving on http://{address}:{number}/  (Ctrl-C to stop)"
    )
    from sijill.orders.ports import ports_from_environment

    settings = st.settings
    if workers > 1:
        import os

        from sijill.sync.protocol import CENTRE
        from sijill.web.server import ROLE_VARIABLE, start_order_processors

        os.environ.update(
            {
                "SIJILL_DATABASE_URL": settings.resolved_database_url(),
                "SIJILL_DATA_DIR": str(settings.data_dir.resolve()),
                ROLE_VARIABLE: role,
            }
        )
        # The centre's orders are processed in processes of their own, beside the
        # workers and below them: answering comes first.
        centre = role == "central" or reg.keys.has(CENTRE)
        processors = start_order_processors() if centre else []
        try:
            uvicorn.run(
                "sijill.web.server:app_from_environment",
                factory=True,
                workers=workers,
                host=address,
                port=number,
                log_level="warning",
            )
        finally:
            for processor in processors:
                processor.terminate()
            for processor in processors:
                processor.join(timeout=10)
        return
    ports = ports_from_environment(settings.data_dir)
    places = MinistryPlaces(settings.data_dir / "offices", settings.key_passphrase)
    app = create_app(reg, role=role, order_ports=ports, places=places)
    settle_memory()
    uvicorn.run(
        app,
        host=address,
        port=number,
        log_level="warning",
    )


def _set(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def read_server_config(st: State, path: Path) -> dict[str, Any]:
    """Take storage settings from an office's TOML file; returns its server settings."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise typer.BadParameter(str(error), param_hint="--config") from None
    storage = data.get("storage", {})
    if storage.get("data_dir"):
        st.settings.data_dir = Path(storage["data_dir"])
    if storage.get("database_url"):
        st.settings.database_url = storage["database_url"]
    if storage.get("keys_dir"):
        st.settings.keys_dir = Path(storage["keys_dir"])
    server = data.get("server", {})
    return _set(
        {
            "host": server.get("host"),
            "port": server.get("port"),
            "role": server.get("role"),
            "office": data.get("office", {}).get("code"),
        }
    )


@app.command("demo")
def demo(
    ctx: typer.Context,
    scale: Annotated[
        float, typer.Option(help="Multiplies the number of acts (1.0: ~2,000 births).")
    ] = 1.0,
    first_year: Annotated[
        int, typer.Option(help="First year of the registers.")
    ] = 1996,
) -> None:
    """Build the pilot network once: the centre here, six offices under offices/."""
    from datetime import date

    from rich.progress import Progress

    from sijill.demo import build_demo

    st = state(ctx)
    st.settings.durable = False  # a throw-away build: no fsync per commit
    reg = st.registry()
    existing = queries.list_offices(reg)
    if existing:
        console.print(
            f"demo already built: {len(existing)} offices, "
            f"{sum(o['acts'] for o in existing)} acts at the centre "
            "(delete the data directory to rebuild)"
        )
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("living thirty years of the pilot registers", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = build_demo(
            reg,
            offices_dir=st.settings.data_dir / "offices",
            today=date.today(),
            first_year=first_year,
            scale=scale,
            progress=advance,
        )
    console.print(
        f"pilot network built: the centre and {len(report.offices)} offices "
        f"({st.settings.data_dir / 'offices'}); {report.births} births, {report.deaths} deaths, "
        f"{report.marriages} marriages recorded at the centre, {report.mentions} mentions, "
        f"{report.notices_applied} notices applied, {report.matching} waiting for a match, "
        f"{report.cancelled} cancelled drafts, {report.closed_registers} registers closed"
    )
    from sijill.demo_accounts import (
        DEMO_PASSWORD,
        DEMO_ROOT_PASSPHRASE,
        open_demo_accounts,
        open_demo_root,
    )

    where = st.settings.data_dir / "demo-accounts.txt"
    opened = open_demo_accounts(reg, where)
    console.print(
        f"{len(opened)} demo accounts (password {DEMO_PASSWORD}, TOTP secrets "
        f"in {where}): " + ", ".join(u for u, _, _ in opened[:3]) + ", …"
    )
    if open_demo_root(reg):
        console.print(
            f"the ministry's root key of the demo (passphrase {DEMO_ROOT_PASSPHRASE}) "
            "certifies the pilot offices' keys"
        )


network_app = typer.Typer(
    help="The office network: centre, sync agent, notices.", no_args_is_help=True
)
notice_app = typer.Typer(
    help="Notices from the centre, applied as mentions.", no_args_is_help=True
)
app.add_typer(network_app, name="centre")
app.add_typer(notice_app, name="notice")
CentreUrl = Annotated[
    str,
    typer.Option(
        "--centre", envvar="SIJILL_CENTRE_URL", help="URL of the central registry."
    ),
]
CentreKey = Annotated[
    str,
    typer.Option(
        "--centre-key",
        envvar="SIJILL_CENTRE_KEY",
        help="The centre's public key (hex).",
    ),
]


@network_app.command("init")
def centre_init(ctx: typer.Context) -> None:
    """Give this database the centre's key and journal; prints the centre public key."""
    from sijill.sync.centre import open_centre

    console.print(open_centre(state(ctx).registry()))


@network_app.command("enroll")
def centre_enroll(
    ctx: typer.Context,
    office: OfficeOpt,
    public_key: Annotated[str, typer.Option(help="The office's public key (hex).")],
) -> None:
    """Accept an office's journal signed with this key."""
    from sijill.sync.centre import enroll_office

    reg = state(ctx).registry()
    key_id = run(
        lambda: enroll_office(reg, actor=SYSTEM, office=office, public_key=public_key)
    )
    console.print(f"office {office} enrolled with key {key_id}")


@network_app.command("status")
def centre_status(ctx: typer.Context) -> None:
    """Each office's last contact, backlogs, pending notices and alarms."""
    from sijill.sync.centre import network_status

    status = network_status(state(ctx).registry(), actor=SYSTEM)
    table = Table(
        "office",
        "last contact",
        "held",
        "backlog",
        "unapplied",
        "notices",
        "overdue",
        "alarms",
    )
    for o in status["offices"]:
        table.add_row(
            o["office"],
            o["last_contact"] or "—",
            str(o["held"]),
            str(o["backlog"]),
            str(o["unapplied"])
            + (f" (stalled at {o['stalled_at']})" if o["stalled_at"] else ""),
            str(o["notices_pending"]),
            str(o["notices_overdue"]),
            str(o["alarms"]),
        )
    console.print(table)
    console.print(status["notices"])


@office_app.command("key")
def office_key(ctx: typer.Context, office: OfficeOpt) -> None:
    """Print the office's public key, for the centre to enroll."""
    reg = state(ctx).registry()
    console.print(run(lambda: reg.keys.signer(office)).public_key_hex)


@office_app.command("restore")
def office_restore(
    ctx: typer.Context, office: Annotated[str, typer.Argument()], centre: CentreUrl
) -> None:
    """Rebuild a lost office from the centre's copy of its journal (its key restored first)."""
    import httpx

    from sijill.sync.client import CentreClient
    from sijill.sync.office import restore

    reg = state(ctx).registry()
    with httpx.Client(timeout=httpx.Timeout(30, connect=10)) as http:
        client = CentreClient(
            http, run(lambda: reg.keys.signer(office)), reg.clock, centre
        )
        head = run(lambda: restore(reg, client, office))
    console.print(f"office {office} restored: journal verified up to entry {head}")


@app.command("sync")
def sync(
    ctx: typer.Context,
    office: OfficeOpt,
    centre: CentreUrl,
    centre_key: CentreKey,
    once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between rounds.")] = 5.0,
) -> None:
    """Run the sync agent: push the journal to the centre, pull the notices."""
    from sijill.sync.agent import Round
    from sijill.sync.agent import run as run_agent

    def say(r: Round) -> None:
        if r.error:
            console.print(f"[yellow]link: {r.error}[/yellow]")
        elif r.report and (
            r.report.pushed or r.report.notices or r.report.refused or once
        ):
            line = f"pushed {r.report.pushed}, centre holds {r.report.held}, notices {r.report.notices}"
            console.print(
                line + (f" — refused {r.report.refused}" if r.report.refused else "")
            )

    reg = state(ctx).registry()
    run_agent(
        reg,
        centre_url=centre,
        office=office,
        centre_key=centre_key,
        interval=interval,
        rounds=1 if once else None,
        say=say,
    )


@notice_app.command("list")
def notice_list(ctx: typer.Context, office: OfficeOpt, as_user: AsUser = None) -> None:
    """The notices waiting to be applied at this office."""
    from sijill.sync.office import pending_notices

    reg = state(ctx).registry()
    rows = run(
        lambda: pending_notices(reg, actor=actor_for(reg, as_user), office=office)
    )
    table = Table("notice", "kind", "act", "from")
    for n in rows:
        table.add_row(
            n["notice_id"],
            n["kind"],
            n["target_ref"] or "—",
            str(n["source"].get("ref") or n["source"].get("office")),
        )
    console.print(table)


@notice_app.command("apply")
def notice_apply(
    ctx: typer.Context,
    office: OfficeOpt,
    notice: Annotated[str, typer.Argument()],
    as_user: AsUser = None,
) -> None:
    """Apply a notice: its mention, signed, on the act it names."""
    from sijill.sync.office import apply_notice

    reg = state(ctx).registry()
    mention_id = run(
        lambda: apply_notice(
            reg, actor=actor_for(reg, as_user), office=office, notice_id=notice
        )
    )
    console.print(f"notice {notice} applied as mention {mention_id}")


@notice_app.command("return")
def notice_return(
    ctx: typer.Context,
    office: OfficeOpt,
    notice: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option()],
    as_user: AsUser = None,
) -> None:
    """Send a notice back to the centre: it does not concern the act it names."""
    from sijill.sync.office import return_notice

    reg = state(ctx).registry()
    run(
        lambda: return_notice(
            reg,
            actor=actor_for(reg, as_user),
            office=office,
            notice_id=notice,
            reason=reason,
        )
    )
    console.print(f"notice {notice} returned")


@notice_app.command("match")
def notice_match(
    ctx: typer.Context,
    notice: Annotated[str, typer.Argument()],
    ref: Annotated[str, typer.Argument(help="The birth act it concerns.")],
) -> None:
    """At the centre: resolve a notice of the matching queue to its birth act."""
    from sijill.sync.centre import match_notice

    reg = state(ctx).registry()
    run(lambda: match_notice(reg, actor=SYSTEM, notice_id=notice, target_ref=ref))
    console.print(f"notice {notice} routed to {ref}")


@app.command("record")
def record(
    ctx: typer.Context,
    file: FileArg,
    office: Annotated[
        str, typer.Option(help="Where it is entered (CENTRE at the centre).")
    ] = "CENTRE",
    as_user: AsUser = None,
) -> None:
    """Enter a marriage, divorce or judgment (JSON: kind, parties, mention) to be routed."""
    from sijill.sync.office import record_event

    reg = state(ctx).registry()
    data = read_json(file)
    record_id = run(
        lambda: record_event(
            reg,
            actor=actor_for(reg, as_user),
            office=office,
            kind=str(data.get("kind", "")),
            parties=data.get("parties"),
            mention=data.get("mention"),
        )
    )
    console.print(f"recorded {record_id}")


from sijill.cli.names import names_app  # noqa: E402
from sijill.cli.search import search_app  # noqa: E402

app.add_typer(names_app, name="names")
app.add_typer(search_app, name="search")

from sijill.cli.quality import quality_app  # noqa: E402

app.add_typer(quality_app, name="quality")


from sijill.cli.documents import documents_app  # noqa: E402

app.add_typer(documents_app)


from sijill.cli.digitize import digitize_app  # noqa: E402

app.add_typer(digitize_app, name="digitize")


from sijill.cli.stats import stats_app  # noqa: E402

app.add_typer(stats_app, name="stats")

from sijill.cli.audit import audit_app  # noqa: E402

app.add_typer(audit_app, name="audit")

from sijill.cli.accounts import account_app, token_app  # noqa: E402
from sijill.cli.justice import declaratory, ruling  # noqa: E402

app.command("ruling")(ruling)
app.command("declaratory")(declaratory)

app.add_typer(account_app, name="account")
app.add_typer(token_app, name="token")

from sijill.cli.rollout import (  # noqa: E402
    merge,
    onboard,
    pilot,
    rollout_app,
    rotate_key,
)

office_app.command("onboard")(onboard)
office_app.command("merge")(merge)
office_app.command("rotate-key")(rotate_key)
app.command("pilot")(pilot)
app.add_typer(rollout_app, name="rollout")

from sijill.cli.orders import order_app, post_app  # noqa: E402

app.add_typer(order_app, name="order")
app.add_typer(post_app, name="post")
