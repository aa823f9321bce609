"""The offices a supervisor's authority reaches: those of their office's province.

The ministry may look at any province, or at the nation; anyone else at their office.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from sijill.domain.errors import Forbidden, NotFound
from sijill.domain.offices import Actor
from sijill.services.authz import NATIONAL, authorize
from sijill.store import tables as t
from sijill.store.uow import UnitOfWork


def province_offices(
    uow: UnitOfWork, actor: Actor, action: str, province: str | None
) -> tuple[str | None, list[str] | None]:
    """The province ``actor`` may look at for ``action`` and its offices.

    A supervisor sees their own province (naming another is refused); the ministry
    any province, or the nation (offices None); anyone else their own office.
    """
    if actor.role in NATIONAL:
        authorize(uow, actor, action, None)
        if province is None:
            return None, None
    elif actor.role == "supervisor":
        authorize(uow, actor, action, actor.office)
        own = _province_of(uow.conn, actor.office or "")
        if province not in (None, own):
            raise Forbidden(
                "forbidden.office",
                {"username": actor.username, "own": actor.office, "office": province},
            )
        province = own
    else:
        authorize(uow, actor, action, actor.office)
        return None, [actor.office or ""]
    codes = list(
        uow.conn.execute(
            select(t.offices.c.code)
            .where(t.offices.c.province_code == province)
            .order_by(t.offices.c.code)
        ).scalars()
    )
    if not codes and actor.role in NATIONAL:
        raise NotFound("office.unknown", {"code": province})
    return province, codes


def _province_of(conn: Connection, office: str) -> str | None:
    found = conn.execute(
        select(t.offices.c.province_code).where(t.offices.c.code == office)
    ).scalar_one_or_none()
    return None if found is None else str(found)
