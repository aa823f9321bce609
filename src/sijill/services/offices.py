"""Offices and their staff: opening an office with its key, appointing its people."""

from __future__ import annotations

import dataclasses
import re

from sqlalchemy import func, select

from sijill.domain import events as ev
from sijill.domain.errors import Conflict, InvalidInput, NotFound, Violation
from sijill.domain.offices import STAFF_ROLES, Actor, Office, annex_code, consulate_code
from sijill.domain.parse import Reader
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import geography
from sijill.store import tables as t

_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,39}$")


def _office_from_commune(code: str) -> Office:
    commune = geography.lookup(code)
    if commune is None:
        raise InvalidInput(
            [Violation("commune_code", "office.unknown_commune", {"code": code})]
        )
    return Office(
        code=commune.code,
        kind=commune.kind,
        name_ar=commune.name_ar,
        name_fr=commune.name_fr,
        region_code=commune.region_code,
        province_code=commune.province_code,
        commune_code=commune.commune_code,
        setting=commune.setting,
    )


def _office_for_consulate(
    country: str, city: str, name_ar: str, name_fr: str
) -> Office:
    r = Reader(
        {"country": country, "city": city, "name_ar": name_ar, "name_fr": name_fr}
    )
    country_ = r.nationality("country")
    city_ = r.text("city", script="latin", max_length=60)
    name_ar_ = r.text("name_ar", max_length=120)
    name_fr_ = r.text("name_fr", max_length=120)
    r.raise_if_invalid()
    return Office(
        code=consulate_code(country_, city_),
        kind="consulate",
        name_ar=name_ar_,
        name_fr=name_fr_,
        country=country_,
        city=city_,
    )


def consulate_office(country: str, city: str, name_ar: str, name_fr: str) -> Office:
    """The office a consulate would be, its input checked (nothing written)."""
    return _office_for_consulate(country, city, name_ar, name_fr)


def office_exists(reg: Registry, code: str) -> bool:
    with reg.engine.connect() as conn:
        return (
            conn.execute(
                select(t.offices.c.code).where(t.offices.c.code == code)
            ).first()
            is not None
        )


def create_office(
    reg: Registry,
    *,
    actor: Actor,
    commune_code: str | None = None,
    consulate: tuple[str, str, str, str] | None = None,
    annex_of: str | None = None,
) -> Office:
    """Open an office (commune, arrondissement, annex or consulate) with its own key pair.

    ``consulate`` is (country ISO code, city, name in Arabic, name in French).
    """
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "office.create", None)
        if consulate is not None:
            office = _office_for_consulate(*consulate)
        elif annex_of is not None:
            parent = _load_office(uow.conn, annex_of, field="annex_of")
            if parent.kind not in ("commune", "arrondissement"):
                raise InvalidInput([Violation("annex_of", "office.annex_parent")])
            count = uow.conn.execute(
                select(func.count())
                .select_from(t.offices)
                .where(t.offices.c.parent_code == annex_of)
            ).scalar_one()
            office = dataclasses.replace(
                parent,
                code=annex_code(annex_of, count + 1),
                kind="annex",
                name_ar=f"{parent.name_ar} - ملحق {count + 1}",
                name_fr=f"{parent.name_fr} - annexe {count + 1}",
                parent_code=annex_of,
            )
        else:
            office = _office_from_commune((commune_code or "").strip())
        uow.lock(office.code)
        if uow.conn.execute(
            select(t.offices.c.code).where(t.offices.c.code == office.code)
        ).first():
            raise Conflict("office.exists", {"code": office.code})
        signer = reg.keys.create(office.code)
        data = {k: v for k, v in dataclasses.asdict(office).items() if v is not None}
        uow.record(
            office.code,
            ev.OfficeOpened(
                office=data,
                key_id=signer.key_id,
                public_key=signer.public_key_hex,
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(
            actor,
            "office.create",
            office=office.code,
            target=office.code,
            personal=False,
        )
    return office


def _load_office(conn: object, code: str, field: str = "office") -> Office:
    from sqlalchemy import Connection

    assert isinstance(conn, Connection)
    row = conn.execute(select(t.offices).where(t.offices.c.code == code)).first()
    if row is None:
        raise NotFound("office.unknown", {"code": code})
    values = row._asdict()
    values.pop("opened_at")
    return Office(**values)


def appoint_staff(
    reg: Registry,
    *,
    actor: Actor,
    office: str,
    username: str,
    role: str,
    full_name_ar: str,
    full_name_fr: str,
) -> str:
    """Appoint the officer, his one delegate, or a clerk; returns the new user id."""
    r = Reader(
        {
            "username": username,
            "role": role,
            "full_name_ar": full_name_ar,
            "full_name_fr": full_name_fr,
        }
    )
    username_ = r.text("username", max_length=40)
    if username_ is not None and not _USERNAME.match(username_):
        r.fail("username", "choice", choices="a-z 0-9 . _ -")
    role_ = r.choice("role", STAFF_ROLES)
    name_ar = r.text("full_name_ar", script="arabic", max_length=120)
    name_fr = r.text("full_name_fr", script="latin", max_length=120)
    r.raise_if_invalid()
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "staff.appoint", office)
        _load_office(uow.conn, office)
        if actor.role == "officer" and role_ == "officer":
            raise InvalidInput(
                [Violation("role", "choice", {"choices": "delegate, clerk"})]
            )
        taken = uow.conn.execute(
            select(t.staff.c.username).where(t.staff.c.username == username_)
        ).first()
        if taken is not None:
            raise Conflict("staff.username_taken", {"username": username_})
        if role_ in ("officer", "delegate"):
            holder = uow.conn.execute(
                select(t.staff.c.username).where(
                    t.staff.c.office_code == office,
                    t.staff.c.role == role_,
                    t.staff.c.active.is_(True),
                )
            ).first()
            if holder is not None:
                raise Conflict(
                    f"staff.{role_}_taken",
                    {"office": office, "username": holder.username},
                )
        user_id = reg.new_id()
        uow.record(
            office,
            ev.StaffAppointed(
                user_id=user_id,
                username=username_,
                role=role_,
                full_name_ar=name_ar,
                full_name_fr=name_fr,
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(
            actor, "staff.appoint", office=office, target=username_, personal=False
        )
    return user_id


def relieve_staff(reg: Registry, *, actor: Actor, office: str, username: str) -> None:
    """End someone's role at the office (the officer is replaced, a clerk leaves)."""
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "staff.relieve", office)
        row = uow.conn.execute(
            select(t.staff.c.user_id).where(
                t.staff.c.office_code == office,
                t.staff.c.username == username,
                t.staff.c.active.is_(True),
            )
        ).first()
        if row is None:
            raise NotFound(
                "forbidden.unknown_actor", {"username": username, "office": office}
            )
        uow.record(
            office, ev.StaffRelieved(user_id=row.user_id, at=uow.now, by=actor.username)
        )
        uow.audit(
            actor, "staff.relieve", office=office, target=username, personal=False
        )


def staff_actor(reg: Registry, username: str) -> Actor:
    """The actor of an active member of staff, from their user name."""
    with reg.engine.connect() as conn:
        row = conn.execute(
            select(t.staff.c.role, t.staff.c.office_code).where(
                t.staff.c.username == username, t.staff.c.active.is_(True)
            )
        ).first()
    if row is None:
        raise NotFound("forbidden.unknown_actor", {"username": username, "office": "-"})
    return Actor(username, row.role, row.office_code)
