"""Rotating an office's key: the journal vouches for the new key, the ministry
certifies it and the centre enrolls it; the old key stays certified, so documents it
sealed still verify (revoking it is a separate decision: ``sijill keys revoke``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from sijill.documents.trust import TrustStore
from sijill.domain import events as ev
from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.offices import Actor
from sijill.rollout.onboarding import (
    Ministry,
    copy_trust,
    office_registry,
    publish_trust,
)
from sijill.services.authz import authorize
from sijill.services.context import Registry, stamp
from sijill.store import tables as t
from sijill.sync import centre as central
from sijill.sync import office as remote


@dataclass(frozen=True)
class RotatedKey:
    """An office's key before and after a rotation."""

    office: str
    previous_key_id: str
    key_id: str


def rotate_office_key(reg: Registry, *, actor: Actor, office: str) -> RotatedKey:
    """Give ``office`` a new key pair, vouched for in its journal by the old key.

    Interrupted after the journal entry and before the key files changed places, it
    is completed by running it again: the entry is not written twice.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "office.rotate_key", office)
        current = reg.keys.signer(office)
        upcoming = reg.keys.next_signer(office)
        declared = uow.conn.execute(
            select(t.office_keys.c.key_id).where(
                t.office_keys.c.office_code == office,
                t.office_keys.c.key_id == upcoming.key_id,
            )
        ).first()
        if declared is None:
            uow.record(
                office,
                ev.OfficeKeyRotated(
                    key_id=upcoming.key_id,
                    public_key=upcoming.public_key_hex,
                    previous_key_id=current.key_id,
                    at=uow.now,
                    by=actor.username,
                ),
            )
            uow.audit(
                actor,
                "office.rotate_key",
                office=office,
                target=upcoming.key_id,
                personal=False,
                detail={"previous": current.key_id},
            )
    reg.keys.complete_rotation(office)
    return RotatedKey(office, current.key_id, upcoming.key_id)


def rotate_and_certify(ministry: Ministry, office: str) -> RotatedKey:
    """On the ministry's machine: rotate an onboarded office's key, certify and enroll
    the new one, send the rotation to the centre, publish and copy the trust list."""
    office = (office or "").strip()
    with ministry.centre.engine.connect() as conn:
        onboarded = conn.execute(
            select(t.onboardings.c.office_code).where(
                t.onboardings.c.office_code == office,
                t.onboardings.c.completed_at.is_not(None),
            )
        ).first()
    if onboarded is None or not (ministry.offices_dir / office).is_dir():
        raise InvalidInput(
            [Violation("office", "office.not_onboarded", {"code": office})]
        )
    reg = office_registry(ministry.offices_dir / office, ministry.centre.clock)
    try:
        rotated = rotate_office_key(reg, actor=ministry.actor, office=office)
        signer = reg.keys.signer(office)
        if not ministry.trust.is_certified(signer.key_id):
            ministry.trust.certify(
                office=office,
                public_key_hex=signer.public_key_hex,
                at=stamp(ministry.centre.now()),
                passphrase=ministry.passphrase,
            )
        central.enroll_office(
            ministry.centre,
            actor=ministry.actor,
            office=office,
            public_key=signer.public_key_hex,
        )
        remote.push(reg, central.LocalCentre(ministry.centre, office), office)
        publish_trust(ministry, {signer.key_id})
        copy_trust(ministry, reg.keys.directory, signer.key_id)
    finally:
        reg.engine.dispose()
    return rotated


KEY_ID = re.compile(r"[0-9a-f]{16}")


def key_register(
    reg: Registry, *, actor: Actor, trust: TrustStore
) -> list[dict[str, Any]]:
    """Every office key the centre has enrolled, newest first: whether the root key
    certified it, whether the centre still takes its entries, and its revocation."""
    revoked = {r["k"]: r for r in trust.revocations()}
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "keys.read", None)
        rows = uow.conn.execute(
            select(t.enrolled_keys, t.offices.c.name_ar, t.offices.c.name_fr)
            .join_from(
                t.enrolled_keys,
                t.offices,
                t.offices.c.code == t.enrolled_keys.c.office_code,
                isouter=True,
            )
            .order_by(t.enrolled_keys.c.enrolled_at.desc(), t.enrolled_keys.c.key_id)
        ).all()
        uow.audit(
            actor,
            "keys.read",
            office=None,
            personal=False,
            detail={"count": len(rows)},
        )
    return [
        {
            "office": row.office_code,
            "name_ar": row.name_ar,
            "name_fr": row.name_fr,
            "key_id": row.key_id,
            "enrolled_at": row.enrolled_at,
            "certified": trust.is_certified(row.key_id),
            "refused_since": row.revoked_at,
            "revocation": revoked.get(row.key_id),
        }
        for row in rows
    ]


def revoke_key(
    reg: Registry,
    *,
    actor: Actor,
    trust: TrustStore,
    passphrase: bytes,
    key_id: str,
    reason: str,
) -> bool:
    """Revoke an office key: the signed revocation list names it (no seal it made
    verifies from now on) and the centre refuses its entries. Returns whether the
    centre had it enrolled. Revoking it again changes nothing but the reason."""
    problems = []
    key_id = (key_id or "").strip().lower()
    if not KEY_ID.fullmatch(key_id):
        problems.append(Violation("key_id", "choice", {"choices": "16 hex digits"}))
    reason = (reason or "").strip()
    if not reason:
        problems.append(Violation("reason", "required"))
    elif len(reason) > 400:
        problems.append(Violation("reason", "text.too_long", {"max": 400}))
    if problems:
        raise InvalidInput(problems)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "keys.revoke", None)
        enrolled = uow.conn.execute(
            select(t.enrolled_keys.c.office_code, t.enrolled_keys.c.revoked_at).where(
                t.enrolled_keys.c.key_id == key_id
            )
        ).first()
    trust.check_passphrase(passphrase)  # nothing is written with a wrong passphrase
    at = stamp(reg.now())
    trust.revoke(key_id=key_id, at=at, reason=reason, passphrase=passphrase)
    trust.publish(at=at, passphrase=passphrase)
    if enrolled is not None and enrolled.revoked_at is None:
        central.revoke_office_key(
            reg, actor=actor, office=enrolled.office_code, key_id=key_id
        )
    return enrolled is not None
