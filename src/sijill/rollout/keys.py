"""Rotating an office's key: the journal vouches for the new key, the ministry
certifies it and the centre enrolls it; the old key stays certified, so documents it
sealed still verify (revoking it is a separate decision: ``sijill keys revoke``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from sijill.domain import events as ev
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
