"""``sijill keys …``, ``sijill document …`` and ``sijill verify``: documents anyone can trust."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from sijill.cli.common import actor_for, console, err_console, run, state
from sijill.services.context import stamp

if TYPE_CHECKING:  # the PDF stack loads only when a document command runs
    from sijill.documents.trust import TrustList, TrustStore

documents_app = typer.Typer(no_args_is_help=True)
keys_app = typer.Typer(
    help="The ministry's root key, office key certificates, trust and revocation lists.",
    no_args_is_help=True,
)
document_app = typer.Typer(
    help="Extracts and full copies, sealed.", no_args_is_help=True
)
institution_app = typer.Typer(
    help="Notaries, consulates and banks that check data against an act (COMEDEC).",
    no_args_is_help=True,
)
documents_app.add_typer(keys_app, name="keys")
documents_app.add_typer(document_app, name="document")
documents_app.add_typer(institution_app, name="institution")

AsUser = Annotated[
    str | None, typer.Option("--as", help="User name of the member of staff acting.")
]
TrustDir = Annotated[
    Path | None,
    typer.Option(
        "--trust-dir",
        help="Where the root public key, trust list and revocation list are "
        "(default: <data-dir>/keys/trust).",
    ),
]
PASSPHRASE_ENV = "SIJILL_ROOT_PASSPHRASE"


def _trust_dir(ctx: typer.Context, given: Path | None) -> Path:
    return given or state(ctx).settings.resolved_keys_dir() / "trust"


def _passphrase(confirm: bool = False) -> bytes:
    """The root key's passphrase: from SIJILL_ROOT_PASSPHRASE, or asked for."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value is None:
        value = typer.prompt(
            "Passphrase of the ministry root key",
            hide_input=True,
            confirmation_prompt=confirm,
        )
    return value.encode()


@keys_app.command("init")
def keys_init(ctx: typer.Context, trust_dir: TrustDir = None) -> None:
    """Create the ministry root key (encrypted with a passphrase) and its public key."""
    from sijill.documents.trust import TrustStore

    directory = _trust_dir(ctx, trust_dir)
    store = TrustStore(directory)
    passphrase = _passphrase(confirm=True)
    public = run(lambda: store.init_root(passphrase))
    console.print(f"ministry root key created in {directory}")
    console.print(f"public key: {public}")
    _publish(store, stamp(datetime.now(UTC)), passphrase)  # the first trust list
    console.print(
        "publish ministry-root.pub to verifiers; keep the passphrase offline."
    )


def _publish(store: TrustStore, reg_now: str, passphrase: bytes) -> TrustList:
    trust = run(lambda: store.publish(at=reg_now, passphrase=passphrase))
    console.print(
        f"trust list published: {len(trust.keys)} certified key(s), "
        f"{len(trust.revoked)} revoked, in {store.directory}"
    )
    return trust


@keys_app.command("certify")
def keys_certify(
    ctx: typer.Context,
    office: Annotated[
        str | None, typer.Option("--office", help="One office (default: every office).")
    ] = None,
) -> None:
    """Certify office keys with the root key, then publish the trust list."""
    from sijill.documents import service
    from sijill.documents.trust import TrustStore

    reg = state(ctx).registry()
    passphrase = _passphrase()
    certified = run(
        lambda: service.certify_office_keys(reg, passphrase=passphrase, office=office)
    )
    for key in certified:
        console.print(f"certified {key.office}: key {key.key_id}")
    _publish(TrustStore(service.trust_directory(reg)), stamp(reg.now()), passphrase)


@keys_app.command("revoke")
def keys_revoke(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key id (16 hex digits).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is revoked.")],
) -> None:
    """Revoke an office key: no seal made with it verifies any more, and where this
    registry is the centre, it refuses the key's entries from now on."""
    from sijill.documents import service
    from sijill.documents.trust import TrustStore
    from sijill.domain.offices import SYSTEM
    from sijill.rollout.keys import revoke_key

    reg = state(ctx).registry()
    store = TrustStore(service.trust_directory(reg))
    passphrase = _passphrase()
    enrolled = run(
        lambda: revoke_key(
            reg,
            actor=SYSTEM,
            trust=store,
            passphrase=passphrase,
            key_id=key_id,
            reason=reason,
        )
    )
    console.print(f"key {key_id} revoked; the trust lists are published again")
    if enrolled:
        console.print(f"the centre refuses entries signed by {key_id} from now on")


@keys_app.command("publish")
def keys_publish(ctx: typer.Context) -> None:
    """Sign and write the trust list and revocation list again."""
    from sijill.documents import service
    from sijill.documents.trust import TrustStore

    reg = state(ctx).registry()
    _publish(TrustStore(service.trust_directory(reg)), stamp(reg.now()), _passphrase())


@document_app.command("issue")
def document_issue(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The act, e.g. 03.231.01.0/2026/N/1.")],
    kind: Annotated[
        str,
        typer.Option("--kind", help="extract (نسخة موجزة) or full-copy (نسخة كاملة)."),
    ] = "extract",
    lang: Annotated[
        str, typer.Option("--lang", help="ar, fr or bilingual.")
    ] = "bilingual",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The PDF to write.")
    ] = None,
    requested_for: Annotated[
        str | None, typer.Option("--for", help="Who the document is for.")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Issue an extract or a full copy of an act as a sealed PDF."""
    from sijill.documents import service

    reg = state(ctx).registry()
    actor = run(lambda: actor_for(reg, as_user))
    doc = run(
        lambda: service.issue_document(
            reg,
            actor=actor,
            ref=ref,
            kind=kind.replace("-", "_"),
            lang=lang,
            requested_for=requested_for,
        )
    )
    path = output or Path(f"{doc.number.replace(':', '-').replace('/', '-')}.pdf")
    path.write_bytes(doc.pdf)
    console.print(f"issued {doc.number} ({doc.kind}, {doc.lang}) → {path}")


@document_app.command("list")
def document_list(
    ctx: typer.Context,
    office: Annotated[str, typer.Option("--office", help="Office code.")],
    as_user: AsUser = None,
) -> None:
    """The document register of an office, newest first."""
    from sijill.documents import service

    reg = state(ctx).registry()
    actor = run(lambda: actor_for(reg, as_user))
    rows = run(lambda: service.list_documents(reg, actor=actor, office=office))
    table = Table("number", "kind", "lang", "act", "for", "issued at", "by")
    for r in rows:
        table.add_row(
            r["number"],
            r["kind"],
            r["lang"],
            r["act_ref"],
            r["requested_for"] or "",
            r["issued_at"],
            r["issued_by"],
        )
    console.print(table)


def _print_sealed(claims: dict[str, Any] | None) -> None:
    if not claims:
        return
    table = Table("sealed data", "")
    for key, value in claims.items():
        if value is not None:
            table.add_row(key, str(value))
    console.print(table)


def _read_input(source: str) -> str | None:
    from sijill.documents.reader import seal_from_file

    if source == "-":
        return sys.stdin.read().strip()
    path = Path(source)
    if path.is_file():
        return seal_from_file(path)
    return source  # the QR text itself


def _pdf_signature_ok(source: str, directory: Path) -> bool:
    """For a PDF: its PAdES signature, checked against the root certificate."""
    from sijill.documents.pades import check_pdf
    from sijill.documents.trust import ROOT_CERTIFICATE

    path = Path(source)
    if source == "-" or not path.is_file():
        return True
    data = path.read_bytes()
    root = directory / ROOT_CERTIFICATE
    if not data.startswith(b"%PDF") or not root.exists():
        return True
    check = check_pdf(data, root.read_bytes())
    colour = {"intact": "green", "unsigned": "yellow"}.get(check.status, "red")
    console.print(
        f"PDF signature: [{colour}]{check.status}[/{colour}] — {check.reason}"
    )
    return check.status in ("intact", "unsigned")


@documents_app.command("verify")
def verify(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            help="A PDF, a PNG/JPEG photo or scan of the QR code, a text file, the QR "
            "text itself, or - for standard input."
        ),
    ],
    trust_dir: TrustDir = None,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="Also ask this registry what it holds now for the document.",
        ),
    ] = False,
) -> None:
    """Verify a document's seal offline (root public key + trust list), and online."""
    from sijill.documents.seal import NOT_SIJILL, Verdict, verify_seal
    from sijill.documents.trust import TrustError, TrustList
    from sijill.documents.verify import verify_document

    text = _read_input(source)
    directory = _trust_dir(ctx, trust_dir)
    try:
        trust = TrustList.load(directory)
    except TrustError as error:
        err_console.print(f"[red]✗ cannot verify: {error}[/red]")
        raise typer.Exit(6) from None
    verdict = (
        verify_seal(text, trust)
        if text
        else Verdict(NOT_SIJILL, "no Sijill seal found in the file")
    )
    colour = "green" if verdict.valid else "red"
    console.print(f"[{colour}]{verdict.status}[/{colour}] — {verdict.reason}")
    _print_sealed(verdict.claims.as_dict() if verdict.claims else None)
    ok = verdict.valid and _pdf_signature_ok(source, directory)
    if online and text:
        reg = state(ctx).registry()
        answer = verify_document(reg, payload=text)
        colour = {"valid": "green", "superseded": "yellow"}.get(answer.status, "red")
        console.print(f"online: [{colour}]{answer.status}[/{colour}] — {answer.reason}")
        for mention in answer.later_mentions:
            console.print(f"  later mention {mention['seq']}: {mention['text_fr']}")
        ok = ok and answer.status in ("valid", "superseded")
    if not ok:
        raise typer.Exit(6)


@institution_app.command("add")
def institution_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The institution's name.")],
    kind: Annotated[str, typer.Option("--kind", help="notary, consulate or bank.")],
    as_user: AsUser = None,
) -> None:
    """Authorize an institution; its API token is printed this once, never again."""
    from sijill.documents.institutions import register_institution

    reg = state(ctx).registry()
    actor = run(lambda: actor_for(reg, as_user))
    added = run(lambda: register_institution(reg, actor=actor, name=name, kind=kind))
    console.print(
        f"institution {added.name} ({added.kind}) registered: {added.institution_id}"
    )
    console.print("its token (shown once; the registry keeps only its SHA-256):")
    print(added.token)


@institution_app.command("list")
def institution_list(ctx: typer.Context, as_user: AsUser = None) -> None:
    """The institutions registered, revoked ones included."""
    from sijill.documents.institutions import list_institutions

    reg = state(ctx).registry()
    actor = run(lambda: actor_for(reg, as_user))
    table = Table("id", "name", "kind", "registered at", "revoked at")
    for r in run(lambda: list_institutions(reg, actor=actor)):
        table.add_row(
            r["institution_id"],
            r["name"],
            r["kind"],
            r["registered_at"],
            r["revoked_at"] or "",
        )
    console.print(table)


@institution_app.command("revoke")
def institution_revoke(
    ctx: typer.Context,
    institution_id: Annotated[str, typer.Argument(help="The institution's id.")],
    as_user: AsUser = None,
) -> None:
    """Withdraw an institution's authorization: its token is refused from now on."""
    from sijill.documents.institutions import revoke_institution

    reg = state(ctx).registry()
    actor = run(lambda: actor_for(reg, as_user))
    run(lambda: revoke_institution(reg, actor=actor, institution_id=institution_id))
    console.print(f"institution {institution_id} revoked")


def _given(**values: str | None) -> dict[str, str]:
    return {key: value for key, value in values.items() if value is not None}


@institution_app.command("check")
def institution_check(
    ctx: typer.Context,
    purpose: Annotated[
        str, typer.Option("--purpose", help="Why the data are checked.")
    ],
    token: Annotated[
        str,
        typer.Option(
            "--token",
            envvar="SIJILL_INSTITUTION_TOKEN",
            help="The institution's token (or SIJILL_INSTITUTION_TOKEN).",
        ),
    ],
    act: Annotated[
        str | None, typer.Option("--act", help="The act's reference.")
    ] = None,
    civil_id: Annotated[
        str | None, typer.Option("--civil-id", help="The person's civil identifier.")
    ] = None,
    first_name: Annotated[str | None, typer.Option("--first-name")] = None,
    family_name: Annotated[str | None, typer.Option("--family-name")] = None,
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="YYYY-MM-DD.")
    ] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="M or F.")] = None,
    father: Annotated[
        str | None, typer.Option("--father", help="The father's full name.")
    ] = None,
    mother: Annotated[
        str | None, typer.Option("--mother", help="The mother's full name.")
    ] = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="Say which data match and which do not.")
    ] = False,
) -> None:
    """Check the data an institution holds against an act: match or no match."""
    from sijill.documents.institutions import check_act_data, institution_actor

    reg = state(ctx).registry()
    actor = run(lambda: institution_actor(reg, token))
    data = _given(
        first_name=first_name,
        family_name=family_name,
        birth_date=birth_date,
        sex=sex,
        father=father,
        mother=mother,
    )
    answer = run(
        lambda: check_act_data(
            reg,
            actor=actor,
            act=act,
            civil_id=civil_id,
            purpose=purpose,
            data=data,
            detail=detail,
        )
    )
    verdict = "[green]match[/green]" if answer.match else "[red]no match[/red]"
    console.print(f"{verdict} — check {answer.check_id} at {answer.checked_at}")
    for key, outcome in answer.fields.items():
        console.print(f"  {key}: {outcome}")
    if not answer.match:
        raise typer.Exit(1)
