"""Who may call which use case, and within which office.

The policy is declared here, once; every use case asks ``authorize`` before it reads
or writes, so the web UI, the API and the CLI cannot diverge.
"""

from __future__ import annotations

from sqlalchemy import select

from sijill.domain.audit import purpose_allowed
from sijill.domain.errors import Forbidden
from sijill.domain.offices import Actor
from sijill.domain.roles import APPOINTED_ROLES, OFFICE, PROVINCE, ROLE_SCOPES
from sijill.store import tables as t
from sijill.store.holders import holds
from sijill.store.uow import UnitOfWork, write_audit

NATIONAL = frozenset({"system", "ministry"})
STAFF = frozenset({"officer", "delegate", "clerk"})
SENDERS = frozenset({"hospital", "local_authority", "citizen"})
# The digitization teams of an office: they key, adjudicate and review legacy acts.
DIGITIZERS = frozenset({"keyer", "adjudicator", "reviewer"})
SIGNERS = frozenset({"officer", "delegate"})
# A notary, consulate or bank authorized by the ministry: its token names it.
INSTITUTION = "institution"
# Courts and prosecutors read acts for their inquiries (a confidential purpose).
JUSTICE = frozenset({"court", "prosecutor"})

POLICY: dict[str, frozenset[str]] = {
    "office.create": NATIONAL,
    "staff.appoint": NATIONAL | {"officer"},
    "staff.relieve": NATIONAL | {"officer"},
    "predeclaration.submit": NATIONAL | STAFF | SENDERS,
    "draft.write": STAFF,
    "act.sign": frozenset({"officer", "delegate"}),
    "mention.add": frozenset({"officer", "delegate"}),
    "register.close": frozenset({"officer", "delegate"}),
    "register.open": NATIONAL | {"officer", "delegate"},
    "act.read": NATIONAL | STAFF | JUSTICE,
    "document.issue": STAFF | NATIONAL,
    "event.record": NATIONAL | frozenset({"officer", "delegate"}),
    # A court's judgment or a prosecutor's authorization, routed to the act's office.
    "judgment.submit": JUSTICE,
    # A declaratory judgment (a late registration) is a court's alone.
    "judgment.declare": frozenset({"court"}),
    "notice.match": NATIONAL | frozenset({"supervisor"}),
    "network.status": NATIONAL | frozenset({"supervisor"}),
    "institution.register": NATIONAL,
    "institution.revoke": NATIONAL,
    "institution.check": frozenset({INSTITUTION}),
    "journal.verify": NATIONAL,
    "journal.rebuild": frozenset({"system"}),
    "digitize.import": NATIONAL | SIGNERS | {"keyer", "supervisor"},
    "digitize.key": frozenset({"keyer"}),
    "digitize.reconcile": NATIONAL | SIGNERS | {"keyer", "supervisor"},
    "digitize.adjudicate": frozenset({"adjudicator"}),
    "digitize.sample": NATIONAL | SIGNERS | {"reviewer", "supervisor"},
    "digitize.review": frozenset({"reviewer"}),
    "digitize.load": NATIONAL | SIGNERS,
    "digitize.report": NATIONAL | SIGNERS | DIGITIZERS | {"supervisor"},
    "digitize.quality": NATIONAL | SIGNERS | {"supervisor"},
    # Vital statistics: the public sees suppressed tables only (stats.service).
    "stats.read": NATIONAL | {"supervisor", "public"},
    "stats.completeness": NATIONAL | {"supervisor"},
    "quality.read": NATIONAL | STAFF | {"supervisor"},
    # The queue of suspected duplicates: read in the office and its province.
    "duplicates.read": NATIONAL | STAFF | {"supervisor"},
    "audit.verify": NATIONAL,
    "audit.query": NATIONAL | {"supervisor"},
    "account.manage": NATIONAL,
    "token.manage": NATIONAL,
    "citizen.trail": frozenset({"citizen"}),
    # The roll-out: the ministry brings offices into service, merges them, follows it.
    "office.onboard": NATIONAL,
    "office.merge": NATIONAL,
    "office.rotate_key": NATIONAL,
    "keys.read": NATIONAL,
    "keys.revoke": NATIONAL,
    "rollout.status": NATIONAL,
    # Orders by post (sijill.orders): placed by anyone identified, produced by the
    # office holding the act, carried by the post.
    "order.place": NATIONAL | STAFF | {"citizen", "public"},
    "order.track": NATIONAL
    | STAFF
    | {"citizen", "public", "supervisor", "post_operator"},
    "order.authorize": NATIONAL | STAFF,
    "order.produce_list": STAFF,
    "order.produce": SIGNERS,
    "order.post": STAFF,
    "order.return": STAFF,
    "order.service_levels": NATIONAL | {"supervisor"},
    "envelope.read": NATIONAL | {"post_operator"},
    "envelope.record": frozenset({"post_operator"}),
    "outbox.dispatch": frozenset({"system"}),
}


def check(uow: UnitOfWork, actor: Actor, action: str, office: str | None) -> None:
    """Raise Forbidden unless ``actor`` may do ``action`` for ``office``.

    The role must be allowed the action (``POLICY``), and the office must lie within
    the role's scope (``ROLE_SCOPES``): its own office, its province, or the nation.
    """
    if actor.role not in POLICY[action]:
        raise Forbidden("forbidden.role", {"role": actor.role, "action": action})
    if actor.role == INSTITUTION:
        active = uow.conn.execute(
            select(t.institutions.c.institution_id).where(
                t.institutions.c.institution_id == actor.username,
                t.institutions.c.revoked_at.is_(None),
            )
        ).first()
        if active is None:
            raise Forbidden(
                "forbidden.unknown_institution", {"username": actor.username}
            )
    if actor.purpose is not None and not purpose_allowed(actor.role, actor.purpose):
        raise Forbidden(
            "forbidden.purpose", {"role": actor.role, "purpose": actor.purpose}
        )
    scope = ROLE_SCOPES.get(actor.role, OFFICE)
    elsewhere = (
        office is not None
        and actor.office is not None
        and actor.office != office
        and not holds(uow.conn, actor.office, office)  # a merged office's registers
    )
    outside = office is not None and (
        (actor.role in STAFF | DIGITIZERS and (actor.office is None or elsewhere))
        or (scope == OFFICE and elsewhere)
        or (scope == PROVINCE and not _same_province(uow, actor.office, office))
    )
    if outside:
        raise Forbidden(
            "forbidden.office",
            {"username": actor.username, "own": actor.office, "office": office},
        )
    if actor.role in APPOINTED_ROLES:
        row = uow.conn.execute(
            select(t.staff.c.role).where(
                t.staff.c.username == actor.username,
                t.staff.c.office_code == actor.office,
                t.staff.c.active.is_(True),
            )
        ).first()
        if row is None or row.role != actor.role:
            raise Forbidden(
                "forbidden.unknown_actor",
                {"username": actor.username, "office": actor.office},
            )


def _same_province(uow: UnitOfWork, own: str | None, office: str) -> bool:
    rows = dict(
        uow.conn.execute(
            select(t.offices.c.code, t.offices.c.province_code).where(
                t.offices.c.code.in_([own or "", office])
            )
        ).all()
    )
    return rows.get(own) is not None and rows.get(own) == rows.get(office)


def authorize(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    office: str | None,
    target: str | None = None,
) -> None:
    """``check``, and on refusal leave a trace in the audit log that outlives the rollback."""
    try:
        check(uow, actor, action, office)
    except Forbidden as refusal:
        rule = refusal.rule
        uow.after_rollback(
            lambda conn: write_audit(
                conn,
                uow.keys,
                uow.now,
                actor,
                action,
                office=office,
                target=target,
                personal=False,
                outcome="denied",
                detail={"rule": rule},
            )
        )
        raise
