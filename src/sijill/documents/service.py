"""Issuing documents: extracts and full copies, numbered, journaled, sealed.

``issue_document`` is one use case: authorized, journaled (``DocumentIssued``),
audited, numbered under the office lock so a number is never given twice nor
reused. The public, online check is in ``sijill.documents.verify``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from sijill.documents.content import (
    DOCUMENT_KINDS,
    LANGS,
    DocumentContent,
    Issue,
    build_content,
    claims_of,
)
from sijill.documents.errors import DocumentConflict, DocumentInvalid
from sijill.documents.pades import sign_pdf
from sijill.documents.render import render_pdf
from sijill.documents.seal import seal
from sijill.documents.tables import documents
from sijill.documents.trust import CertifiedKey, TrustStore
from sijill.domain import events as ev
from sijill.domain.identifiers import ActRef
from sijill.domain.offices import Actor
from sijill.services import queries
from sijill.services.authz import authorize
from sijill.services.context import Registry, stamp
from sijill.services.queries import ActView
from sijill.store import tables as t

_SUFFIX_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U


@dataclass(frozen=True)
class IssuedDocument:
    """A document as issued: its number, its seal, its content and its PDF."""

    number: str
    kind: str
    lang: str
    ref: str
    seal: str
    content: DocumentContent
    pdf: bytes


def trust_directory(reg: Registry) -> Path:
    """Where this registry keeps the ministry's published keys (beside the office keys)."""
    return reg.keys.directory / "trust"


def certify_office_keys(
    reg: Registry, *, passphrase: bytes, office: str | None = None
) -> list[CertifiedKey]:
    """The ministry certifies the keys the registry knows (of one office, or all)."""
    query = select(t.office_keys)
    if office is not None:
        query = query.where(t.office_keys.c.office_code == office)
    with reg.engine.connect() as conn:
        rows = conn.execute(query.order_by(t.office_keys.c.office_code)).all()
    store = TrustStore(trust_directory(reg))
    at = stamp(reg.now())
    return [
        store.certify(
            office=r.office_code,
            public_key_hex=r.public_key,
            at=at,
            passphrase=passphrase,
        )
        for r in rows
    ]


def _check_request(kind: str, lang: str, requested_for: str | None) -> None:
    if requested_for is not None and (
        len(requested_for) > 160 or not requested_for.isprintable()
    ):
        raise DocumentInvalid("document.requested_for", {})
    if kind not in DOCUMENT_KINDS:
        raise DocumentInvalid("document.kind", {"kind": kind})
    if lang not in LANGS:
        raise DocumentInvalid("document.lang", {"lang": lang})


def _next_number(
    reg: Registry, conn: Connection, office: str, year: int
) -> tuple[int, str]:
    last = conn.execute(
        select(func.max(documents.c.seq)).where(
            documents.c.office_code == office, documents.c.year == year
        )
    ).scalar_one()
    seq = int(last or 0) + 1
    # The random tail makes numbers impossible to guess: the public check by number
    # shows the sealed data only to whoever holds the document.
    suffix = "".join(_SUFFIX_ALPHABET[reg.random_below(32)] for _ in range(6))
    return seq, f"{office}:{year}:{seq:06d}:{suffix}"


def _staff_names(
    conn: Connection, office: str
) -> tuple[dict[str, tuple[str, str]], Any]:
    rows = conn.execute(select(t.staff).where(t.staff.c.office_code == office)).all()
    names = {r.username: (r.full_name_ar, r.full_name_fr) for r in rows}
    officer = next((r for r in rows if r.role == "officer" and r.active), None)
    return names, officer


def _unchanged_act(conn: Connection, view: ActView) -> tuple[str, int]:
    """The act's id and mention count, if it is still what ``view`` was read as."""
    act_id = conn.execute(
        select(t.acts.c.act_id).where(t.acts.c.ref == view.ref)
    ).scalar_one()
    mentions = int(
        conn.execute(
            select(func.count())
            .select_from(t.mentions)
            .where(
                t.mentions.c.office_code == view.office["code"],
                t.mentions.c.act_id == act_id,
            )
        ).scalar_one()
    )
    if mentions != len(view.mentions):
        raise DocumentConflict("document.act_changed", {"ref": view.ref})
    if view.current["status"]["annulled"]:
        raise DocumentConflict("document.annulled", {"ref": view.ref})
    return str(act_id), mentions


def issue_document(
    reg: Registry,
    *,
    actor: Actor,
    ref: str,
    kind: str,
    lang: str = "bilingual",
    requested_for: str | None = None,
) -> IssuedDocument:
    """Issue an extract or a full copy of act ``ref``, sealed by the act's office."""
    _check_request(kind, lang, requested_for)
    act_ref = ActRef.parse(ref)
    office = act_ref.office
    view = queries.get_act(reg, actor=actor, ref=str(act_ref))
    uow, now = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "document.issue", office, target=str(act_ref))
        act_id, mentions = _unchanged_act(uow.conn, view)
        names, officer = _staff_names(uow.conn, office)
        seq, number = _next_number(reg, uow.conn, office, now.year)
        issue = Issue(
            number=number,
            issued_on=now.date(),
            office_code=office,
            office_ar=view.office["name_ar"],
            office_fr=view.office["name_fr"],
            officer_ar=officer.full_name_ar if officer else "",
            officer_fr=officer.full_name_fr if officer else "",
        )
        content = build_content(view, kind=kind, issue=issue, signers=names)
        claims = claims_of(view, kind=kind, issue=issue)
        signer = reg.keys.signer(office)
        seal_text = seal(claims, signer)
        uow.record(
            office,
            ev.DocumentIssued(
                number=number,
                year=now.year,
                seq=seq,
                kind=kind,
                lang=lang,
                act_id=act_id,
                ref=str(act_ref),
                mentions=mentions,
                key_id=signer.key_id,
                claims=claims.as_dict(),
                seal=seal_text,
                requested_for=requested_for,
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(
            actor,
            "document.issue",
            office=office,
            target=number,
            detail={"ref": str(act_ref), "kind": kind, "for": requested_for},
        )
    pdf = render_pdf(content, seal=seal_text, lang=lang)
    certificate = TrustStore(trust_directory(reg)).office_certificate_pem(signer.key_id)
    if certificate is not None:  # the PDF is signed once the ministry certified the key
        pdf = sign_pdf(pdf, signer, certificate)
    return IssuedDocument(number, kind, lang, str(act_ref), seal_text, content, pdf)


def list_documents(
    reg: Registry, *, actor: Actor, office: str, limit: int = 100
) -> list[dict[str, Any]]:
    """The document register of an office, newest first; the read is audited."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", office)
        rows = uow.conn.execute(
            select(
                documents.c.number,
                documents.c.kind,
                documents.c.lang,
                documents.c.act_ref,
                documents.c.requested_for,
                documents.c.issued_at,
                documents.c.issued_by,
            )
            .where(documents.c.office_code == office)
            .order_by(documents.c.year.desc(), documents.c.seq.desc())
            .limit(limit)
        ).all()
        uow.audit(actor, "document.list", office=office, detail={"count": len(rows)})
    return [r._asdict() for r in rows]
