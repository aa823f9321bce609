"""The vital statistics use cases: who may see which figures, suppressed or not.

The ministry (and the system operator) sees every figure as counted; a supervisor the
figures of the province of their office; the public — and anyone asking for a table to
publish — sees tables whose small cells are suppressed. Every call is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, func, select

from sijill.domain.errors import Forbidden, NotFound
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.stats import completeness as comp
from sijill.stats import registration, tabulations
from sijill.stats.model import Tabulation
from sijill.stats.privacy import DEFAULT_THRESHOLD, check_threshold, suppress
from sijill.stats.scope import Place, Scope, read_place, read_years
from sijill.store import tables as t
from sijill.store.uow import UnitOfWork, write_audit

Builder = Callable[[Connection, Scope], Tabulation]

TABLES: dict[str, Builder] = {
    "births.month": tabulations.births_by_month,
    "births.occurrence": tabulations.births_by_occurrence,
    "births.registration": tabulations.births_by_registration,
    "births.setting": tabulations.births_by_setting,
    "births.mother_age": tabulations.births_by_mother_age,
    "deaths.month": tabulations.deaths_by_month,
    "deaths.age": tabulations.deaths_by_age,
    "deaths.place": tabulations.deaths_by_place,
    "late.births": lambda c, s: registration.late_registrations(c, s, "birth"),
    "late.deaths": lambda c, s: registration.late_registrations(c, s, "death"),
    "timeliness.office": lambda c, s: registration.timeliness(c, s, by="office"),
    "timeliness.region": lambda c, s: registration.timeliness(c, s, by="region"),
    "trends": registration.trends,
}
# What ``sijill stats births`` and ``/api/stats/births`` return.
GROUPS: dict[str, tuple[str, ...]] = {
    group: tuple(n for n in TABLES if n.split(".")[0] == group)
    for group in ("births", "deaths", "late", "timeliness", "trends")
}
PUBLIC = "public"


def tables_of(names: Sequence[str]) -> list[str]:
    """Table names from table or group names, refused if one is unknown."""
    found: list[str] = []
    for name in names:
        if name in GROUPS:
            found += GROUPS[name]
        elif name in TABLES:
            found.append(name)
        else:
            known = ", ".join([*GROUPS, *TABLES, "completeness"])
            raise NotFound("stats.unknown_table", {"table": name, "known": known})
    return found


def tabulate(
    reg: Registry,
    *,
    actor: Actor,
    tables: Sequence[str],
    year: int | None = None,
    first: int | None = None,
    last: int | None = None,
    region: str | None = None,
    province: str | None = None,
    commune: str | None = None,
    public: bool = False,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[Tabulation]:
    """The tables asked for, over a period and a place; small cells suppressed when
    the actor is the public or asks for a table to publish."""
    names = tables_of(tables)
    public = public or actor.role == PUBLIC
    check_threshold(threshold, public=public)
    place = read_place(region=region, province=province, commune=commune)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "stats.read", None, target=",".join(tables))
        place = _within_reach(uow, actor, place)
        scope = _scope(uow.conn, year, first, last, place, tables)
        built = [TABLES[name](uow.conn, scope) for name in names]
        if not any(b.total for b in built):
            raise NotFound(
                "stats.no_data", {"period": scope.label, "table": ", ".join(tables)}
            )
        if public:
            built = [suppress(b, threshold) for b in built]
        _audit(uow, actor, names, scope, public=public, threshold=threshold)
    return built


def completeness(
    reg: Registry,
    *,
    actor: Actor,
    year: int | None = None,
    first: int | None = None,
    last: int | None = None,
    region: str | None = None,
    province: str | None = None,
    commune: str | None = None,
    birth_rates: Sequence[str] = (),
    flag_below: float = comp.DEFAULT_FLAG_BELOW,
) -> Tabulation:
    """Registered against expected births per commune, low ones flagged (ministry and
    supervisors only)."""
    rates = comp.read_birth_rates(list(birth_rates))
    place = read_place(region=region, province=province, commune=commune)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "stats.completeness", None, target="completeness")
        place = _within_reach(uow, actor, place)
        scope = _scope(uow.conn, year, first, last, place, ["completeness"])
        table = comp.completeness(uow.conn, scope, rates=rates, flag_below=flag_below)
        if not table.total:
            raise NotFound(
                "stats.no_data", {"period": scope.label, "table": "completeness"}
            )
        _audit(uow, actor, ["completeness"], scope, public=False, threshold=0)
    return table


def _scope(
    conn: Connection,
    year: int | None,
    first: int | None,
    last: int | None,
    place: Place,
    tables: Sequence[str],
) -> Scope:
    """The period asked for; by default the latest year with an event in the registry."""
    latest = conn.execute(select(func.max(t.acts.c.event_date))).scalar()
    default = latest.year if latest is not None else 0
    if default == 0 and year is None and first is None and last is None:
        raise NotFound("stats.no_data", {"period": "—", "table": ", ".join(tables)})
    first, last = read_years(year=year, first=first, last=last, default=default or 2000)
    return Scope(first, last, place)


def _within_reach(uow: UnitOfWork, actor: Actor, place: Place) -> Place:
    """A supervisor sees the province of their office only: by default that province."""
    if actor.role != "supervisor":
        return place
    own = uow.conn.execute(
        select(t.offices.c.province_code)
        .join(t.staff, t.staff.c.office_code == t.offices.c.code)
        .where(
            t.staff.c.username == actor.username,
            t.staff.c.office_code == actor.office,
            t.staff.c.role == "supervisor",
            t.staff.c.active.is_(True),
        )
    ).scalar()
    if own is None:
        _deny(
            uow,
            actor,
            "forbidden.unknown_actor",
            {"username": actor.username, "office": actor.office},
        )
    if place.code is None or place.level == "region":
        if place.code is not None and not str(own).startswith(place.code):
            _deny(
                uow,
                actor,
                "stats.outside_province",
                {"username": actor.username, "own": own, "place": place.code},
            )
        return Place("province", str(own))
    if not place.code.startswith(str(own)):
        _deny(
            uow,
            actor,
            "stats.outside_province",
            {"username": actor.username, "own": own, "place": place.code},
        )
    return place


def _deny(uow: UnitOfWork, actor: Actor, rule: str, params: dict[str, object]) -> None:
    uow.after_rollback(
        lambda conn: write_audit(
            conn,
            uow.keys,
            uow.now,
            actor,
            "stats.read",
            office=actor.office,
            target=None,
            personal=False,
            outcome="denied",
            detail={"rule": rule},
        )
    )
    raise Forbidden(rule, params)


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    names: Sequence[str],
    scope: Scope,
    *,
    public: bool,
    threshold: int,
) -> None:
    uow.audit(
        actor,
        "stats.read",
        office=None,
        target=",".join(names)[:64],
        personal=False,
        detail={
            "tables": list(names),
            "scope": scope.as_dict(),
            "suppressed": public,
            "threshold": threshold if public else None,
        },
    )
