"""Institutions check data against an act, and learn only whether it matches.

France's COMEDEC is the model: a notary, a consulate or a bank is given a person's
civil status data (names, date of birth, parents…) and, instead of asking for a
copy of the act, asks the registry whether that data matches it. The answer is
*match* or *no match* — field by field if asked — and never any registered value;
no document leaves the registry.

The ministry registers each institution (``register_institution``); its API token
is shown once and only its SHA-256 is kept, so a stolen database yields no token.
Every check is authorized (``institution.check``) and audited: which institution,
which act, for what purpose, and the result; so is every refused attempt.

How data are compared:

- names (``first_name``, ``family_name``, ``father``, ``mother``: a parent is his or
  her full name) in Arabic or Latin letters, against what the act holds in both
  scripts, with the registry's name keys (``sijill.domain.namekeys.compare``): a
  name matches when either registered spelling is judged ``same`` (similarity at
  least 0.85: محمد, Mohamed and Mohammed; الإدريسي, El Idrissi and Drissi). A
  ``maybe`` (Youness for Youssef, Ali for Alaoui) is no match: an institution acts
  on the answer, so a doubtful name is not confirmed;
- ``birth_date`` (YYYY-MM-DD), ``sex`` (M or F) and ``civil_id`` exactly.

The act is read as it stands today, its mentions applied: data that a later
correction changed no longer match.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sijill.domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from sijill.domain.identifiers import ActRef, is_valid_civil_id
from sijill.domain.mentions import current_state
from sijill.domain.namekeys import compare
from sijill.domain.offices import Actor
from sijill.domain.parse import Reader
from sijill.services.acts import load_act
from sijill.services.authz import INSTITUTION, authorize
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.projection import mentions_of
from sijill.store.uow import UnitOfWork, write_audit

KINDS = ("notary", "consulate", "bank")
NAME_FIELDS = ("first_name", "family_name", "father", "mother")
# What ``data`` may hold; the civil identifier is given beside the act's reference.
DATA_FIELDS = (*NAME_FIELDS, "birth_date", "sex")
FIELDS = (*DATA_FIELDS, "civil_id")
MATCH, NO_MATCH = "match", "no_match"
TOKEN_PREFIX = "sji_"
_UNKNOWN = Actor("unknown-institution", INSTITUTION, None)


@dataclass(frozen=True)
class Registration:
    """A registered institution and its token, which is shown this once."""

    institution_id: str
    name: str
    kind: str
    token: str


@dataclass(frozen=True)
class CheckAnswer:
    """What an institution learns: whether its data match, and nothing registered."""

    check_id: str
    match: bool
    fields: dict[str, str]
    checked_at: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "match": self.match,
            "fields": self.fields,
            "checked_at": self.checked_at,
        }


def token_hash(token: str) -> str:
    """The SHA-256 of a token: all the registry keeps of it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def register_institution(
    reg: Registry, *, actor: Actor, name: str, kind: str
) -> Registration:
    """The ministry authorizes a notary, consulate or bank; its token is returned once."""
    r = Reader({"name": name, "kind": kind})
    name_, kind_ = r.text("name", max_length=120), r.choice("kind", KINDS)
    r.raise_if_invalid()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 32 random bytes
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "institution.register", None, target=name_[:64])
        taken = uow.conn.execute(
            select(t.institutions.c.name).where(t.institutions.c.name == name_)
        ).first()
        if taken is not None:
            raise Conflict("institution.exists", {"name": name_})
        institution_id = reg.new_id()
        uow.conn.execute(
            insert(t.institutions).values(
                institution_id=institution_id,
                name=name_,
                kind=kind_,
                token_hash=token_hash(token),
                registered_at=uow.now,
                registered_by=actor.username,
            )
        )
        uow.audit(
            actor,
            "institution.register",
            office=None,
            target=institution_id,
            personal=False,
            detail={"name": name_, "kind": kind_},
        )
    return Registration(institution_id, name_, kind_, token)


def revoke_institution(reg: Registry, *, actor: Actor, institution_id: str) -> None:
    """Withdraw an institution's authorization: its token is refused from now on."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "institution.revoke", None, target=institution_id[:64])
        row = _institution(uow.conn, institution_id)
        if row.revoked_at is not None:
            raise Conflict(
                "institution.already_revoked", {"name": row.name, "at": row.revoked_at}
            )
        uow.conn.execute(
            update(t.institutions)
            .where(t.institutions.c.institution_id == institution_id)
            .values(revoked_at=uow.now, revoked_by=actor.username)
        )
        uow.audit(
            actor,
            "institution.revoke",
            office=None,
            target=institution_id,
            personal=False,
            detail={"name": row.name},
        )


def list_institutions(reg: Registry, *, actor: Actor) -> list[dict[str, Any]]:
    """Every institution ever registered, revoked ones included (never their tokens)."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "institution.register", None)
        rows = uow.conn.execute(
            select(
                t.institutions.c.institution_id,
                t.institutions.c.name,
                t.institutions.c.kind,
                t.institutions.c.registered_at,
                t.institutions.c.revoked_at,
            ).order_by(t.institutions.c.registered_at)
        ).all()
        uow.audit(actor, "institution.list", office=None, personal=False)
    return [r._asdict() for r in rows]


def _institution(conn: Connection, institution_id: str) -> Any:
    row = conn.execute(
        select(t.institutions).where(t.institutions.c.institution_id == institution_id)
    ).first()
    if row is None:
        raise NotFound("institution.unknown", {"id": institution_id})
    return row


def institution_actor(reg: Registry, token: str | None) -> Actor:
    """The institution a token names; Unauthenticated (and audited) if it names none."""
    if not token:
        _refused(reg, _UNKNOWN, "institution.no_token")
        raise Unauthenticated("institution.no_token")
    with reg.engine.connect() as conn:
        row = conn.execute(
            select(t.institutions).where(
                t.institutions.c.token_hash == token_hash(token)
            )
        ).first()
    if row is None:
        _refused(reg, _UNKNOWN, "institution.unknown_token")
        raise Unauthenticated("institution.unknown_token")
    actor = Actor(row.institution_id, INSTITUTION, None)
    if row.revoked_at is not None:
        _refused(reg, actor, "institution.revoked")
        raise Unauthenticated(
            "institution.revoked", {"name": row.name, "at": row.revoked_at}
        )
    return actor


def _refused(reg: Registry, actor: Actor, rule: str) -> None:
    uow, _ = reg.unit_of_work()
    with uow:
        uow.audit(
            actor,
            "institution.authenticate",
            office=None,
            personal=False,
            outcome="denied",
            detail={"rule": rule},
        )


# --- the check ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Request:
    ref: ActRef | None
    civil_id: str | None
    purpose: str
    data: dict[str, str]


def _read_request(
    act: object, civil_id: object, purpose: object, data: object
) -> _Request:
    r = Reader({"act": act, "civil_id": civil_id, "purpose": purpose})
    purpose_ = r.text("purpose", max_length=200)
    ref = None
    if r.optional_text("act", max_length=48) is not None:
        try:
            ref = ActRef.parse(str(act), field="act")
        except InvalidInput as bad:
            r.violations.extend(bad.violations)
    civil_id_ = r.optional_text("civil_id", max_length=10)
    if civil_id_ is not None and not is_valid_civil_id(civil_id_):
        r.fail("civil_id", "search.civil_id_format")
    if not _given(act) and not _given(civil_id):
        r.fail("act", "check.act_or_civil_id")
    checked = _read_data(Reader(data, "data", r.violations))
    if ref is not None and civil_id_ is not None:
        checked["civil_id"] = civil_id_  # the act is named by reference: data too
    if not checked and not r.violations:
        r.fail("data", "check.nothing_to_check", fields=", ".join(DATA_FIELDS))
    r.raise_if_invalid()
    return _Request(ref, civil_id_, purpose_, checked)


def _given(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _read_data(given: Reader) -> dict[str, str]:
    """The data to check, each read by its rule; an unknown key is refused, not ignored."""
    for key in given.data:
        if key not in DATA_FIELDS:
            given.fail(
                str(key)[:40], "check.unknown_field", fields=", ".join(DATA_FIELDS)
            )
    checked: dict[str, str] = {}
    for key in NAME_FIELDS:
        value = given.optional_text(key, max_length=120)
        if value is not None:
            checked[key] = value
    born = given.optional_date("birth_date")
    if born is not None:
        checked["birth_date"] = born.isoformat()
    if given.data.get("sex") is not None:
        checked["sex"] = given.choice("sex", ("M", "F"))
    return checked


def _find_act(conn: Connection, request: _Request) -> Any:
    if request.ref is not None:
        return load_act(conn, request.ref)
    row = conn.execute(
        select(t.acts).where(
            t.acts.c.civil_id == request.civil_id, t.acts.c.kind == "birth"
        )
    ).first()
    if row is None:
        raise NotFound("check.unknown_civil_id", {"civil_id": request.civil_id})
    return row


def _registered(conn: Connection, row: Any) -> dict[str, Any]:
    """What the act says today of the person, its parents, dates and identifier."""
    now = current_state(
        row.kind, row.data, mentions_of(conn, row.office_code, row.act_id)
    )
    if (now.get("status") or {}).get("annulled"):
        raise Conflict("check.annulled", {"ref": row.ref})
    person = now["child"] if row.kind == "birth" else now["deceased"]
    father = now.get("father") if row.kind == "birth" else now.get("father_name")
    mother = now.get("mother") if row.kind == "birth" else now.get("mother_name")
    return {
        "first_name": [person.get("first_name_ar"), person.get("first_name_lat")],
        "family_name": [person.get("family_name_ar"), person.get("family_name_lat")],
        "father": _full_names(father),
        "mother": _full_names(mother),
        "birth_date": now.get("birth_date"),
        "sex": now.get("sex"),
        "civil_id": row.civil_id,
    }


def _full_names(parent: object) -> list[str]:
    if isinstance(parent, Mapping):
        return [
            f"{parent.get('first_name_ar') or ''} {parent.get('family_name_ar') or ''}",
            f"{parent.get('first_name_lat') or ''} {parent.get('family_name_lat') or ''}",
        ]
    return [parent] if isinstance(parent, str) else []


def name_matches(given: str, registered: list[str | None]) -> bool:
    """Whether a name given in either script is judged the same as a registered one."""
    return any(
        compare(given, spelling).verdict == "same"
        for spelling in registered
        if spelling and spelling.strip()
    )


def _outcomes(given: dict[str, str], registered: dict[str, Any]) -> dict[str, str]:
    outcomes = {}
    for key, value in given.items():
        if key in NAME_FIELDS:
            same = name_matches(value, registered[key])
        else:
            same = registered[key] is not None and str(registered[key]) == value
        outcomes[key] = MATCH if same else NO_MATCH
    return outcomes


def _audit_refusal(uow: UnitOfWork, actor: Actor, target: str, rule: str) -> None:
    uow.after_rollback(
        lambda conn: write_audit(
            conn,
            uow.keys,
            uow.now,
            actor,
            "institution.check",
            office=None,
            target=target[:64],
            personal=False,
            outcome="refused",
            detail={"rule": rule},
        )
    )


def check_act_data(
    reg: Registry,
    *,
    actor: Actor,
    purpose: object,
    data: object,
    act: object = None,
    civil_id: object = None,
    detail: bool = False,
) -> CheckAnswer:
    """Whether the data an institution holds match an act (named by ``act`` or ``civil_id``).

    The answer holds match or no match (per field if ``detail``), never a registered
    value. Each check, and each refusal, is in the audit log.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        target = str(act or civil_id or "-")[:64]
        authorize(uow, actor, "institution.check", None, target=target)
        institution = _institution(uow.conn, actor.username)
        try:
            request = _read_request(act, civil_id, purpose, data)
            row = _find_act(uow.conn, request)
            outcomes = _outcomes(request.data, _registered(uow.conn, row))
        except (InvalidInput, NotFound, Conflict) as refusal:
            _audit_refusal(uow, actor, target, refusal.rule)
            raise
        match = all(o == MATCH for o in outcomes.values())
        check_id = reg.new_id()
        uow.audit(
            actor,
            "institution.check",
            office=row.office_code,
            target=row.ref,
            detail={
                "check_id": check_id,
                "institution": institution.name,
                "kind": institution.kind,
                "purpose": request.purpose,
                "result": MATCH if match else NO_MATCH,
                "fields": outcomes,
            },
        )
    return CheckAnswer(check_id, match, outcomes if detail else {}, uow.now)
