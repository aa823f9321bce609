"""The public, online check of a document: what its seal says against the registry now.

Anyone holding a document may ask, by its number or with its seal's text; every check
is written to the audit log under the name ``public-verifier``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from sijill.documents import cose
from sijill.documents.content import Issue, claims_of, describe_mention
from sijill.documents.seal import PREFIX, read_seal
from sijill.documents.service import trust_directory
from sijill.documents.tables import documents
from sijill.documents.trust import TrustStore
from sijill.domain.mentions import MENTION_KINDS
from sijill.domain.offices import Actor
from sijill.services import queries
from sijill.services.context import Registry
from sijill.store import tables as t

PUBLIC = Actor("public-verifier", "public", None)
# The online check reads the act to compare it with the seal, under a national role
# of its own, so the audit log shows every such read.
PUBLIC_READER = Actor("public-verifier", "ministry", None)

VALID = "valid"
SUPERSEDED = "superseded"
REVOKED = "revoked"
UNKNOWN = "unknown"
FORGED = "forged"

# The claims that follow the act: if the registry now says otherwise, the document is
# out of date (a correction, a recognition, a death was written after it).
_FOLLOWED = ("names", "event_date", "sex", "father", "mother", "deceased_on")


@dataclass(frozen=True)
class OnlineVerdict:
    """The registry's answer about a document: its status, why, and what changed."""

    status: str
    reason: str
    number: str | None = None
    sealed: dict[str, Any] | None = None
    later_mentions: list[dict[str, Any]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "number": self.number,
            "sealed": self.sealed,
            "later_mentions": self.later_mentions,
            "changed": self.changed,
        }


def _payload_problem(text: str, row: Any, public_key_hex: str | None) -> str | None:
    """Why a presented seal is not the one the registry issued, or None if it is."""
    if text.strip() == row.seal:
        return None
    try:
        message, claims = read_seal(text)
    except cose.EnvelopeError as error:
        return f"the seal is truncated or altered ({error})"
    if public_key_hex is None or not message.verify(bytes.fromhex(public_key_hex)):
        return "the seal's signature is not the issuing office's"
    if claims.as_dict() != row.claims:
        return "the sealed data differ from the document issued under this number"
    return None


def _later_mentions(conn: Connection, row: Any) -> list[dict[str, Any]]:
    found = conn.execute(
        select(t.mentions)
        .where(
            t.mentions.c.office_code == row.office_code,
            t.mentions.c.act_id == row.act_id,
            t.mentions.c.seq > row.mentions,
        )
        .order_by(t.mentions.c.seq)
    ).all()
    later = []
    for m in found:
        text_ar, text_fr = describe_mention(m._asdict())
        kind = MENTION_KINDS[m.kind]
        later.append(
            {
                "seq": m.seq,
                "kind": m.kind,
                "label_ar": kind.label_ar,
                "label_fr": kind.label_fr,
                "text_ar": text_ar,
                "text_fr": text_fr,
                "signed_at": m.signed_at,
            }
        )
    return later


def _changed_claims(reg: Registry, row: Any) -> list[str]:
    view = queries.get_act(reg, actor=PUBLIC_READER, ref=row.act_ref)
    issue = Issue(row.number, reg.now().date(), row.office_code, "", "", "", "")
    now = claims_of(view, kind=row.kind, issue=issue).as_dict()
    sealed: dict[str, Any] = row.claims
    changed = []
    for key in _FOLLOWED:
        keys = (
            ["first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat"]
            if key == "names"
            else [key]
        )
        changed += [k for k in keys if now.get(k) != sealed.get(k)]
    return changed


def verify_document(
    reg: Registry, *, number: str | None = None, payload: str | None = None
) -> OnlineVerdict:
    """What the registry says of a document, by its number or by its seal's text."""
    if number is None and payload is not None:
        if not payload.strip().startswith(PREFIX):
            return OnlineVerdict(FORGED, "not a Sijill seal")
        try:
            number = read_seal(payload)[1].number
        except cose.EnvelopeError as error:
            return OnlineVerdict(FORGED, f"the seal is truncated or altered ({error})")
    if not number:
        return OnlineVerdict(UNKNOWN, "no document number given")
    uow, _ = reg.unit_of_work()
    with uow:
        row = uow.conn.execute(
            select(documents).where(documents.c.number == number)
        ).first()
        uow.audit(
            PUBLIC,
            "document.verify",
            office=row.office_code if row else None,
            target=number[:64],
            personal=row is not None,
            outcome="ok" if row else "unknown",
        )
        if row is None:
            return OnlineVerdict(
                UNKNOWN, "no document was issued under this number", number
            )
        public_key = uow.conn.execute(
            select(t.office_keys.c.public_key).where(
                t.office_keys.c.key_id == row.key_id
            )
        ).scalar()
        later = _later_mentions(uow.conn, row)
    problem = _payload_problem(payload, row, public_key) if payload else None
    if problem is not None:
        return OnlineVerdict(FORGED, problem, number)
    revoked = {r["k"]: r for r in TrustStore(trust_directory(reg)).revocations()}.get(
        row.key_id
    )
    if revoked is not None:
        return OnlineVerdict(
            REVOKED,
            f"the office key {row.key_id} was revoked on {revoked['t']} ({revoked['w']})",
            number,
            row.claims,
        )
    changed = _changed_claims(reg, row)
    if later or changed:
        kinds = ", ".join(m["label_fr"] for m in later) or "a correction"
        return OnlineVerdict(
            SUPERSEDED,
            f"valid when issued, but the act has changed since: {kinds}",
            number,
            row.claims,
            later,
            changed,
        )
    return OnlineVerdict(
        VALID,
        "issued by the registry and still matching the act",
        number,
        row.claims,
    )
