"""The SQL of a search: candidate acts through their name keys, then the filters.

Keys hold only letters (``sijill.domain.namekeys``) and every value is a bound
parameter, so no text of a query ever reaches the SQL itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, intersect, or_, select

from sijill.domain.namekeys import arabic_key, latin_key, script, skeletons
from sijill.search.criteria import CANDIDATES, Criteria
from sijill.search.tables import name_keys
from sijill.store import tables as t

ROLES = {"name": "person", "father": "father", "mother": "mother"}


def word_condition(word: str) -> Any:
    """Rows of ``name_keys`` a query word meets: its own key, a skeleton, or a prefix."""
    written = script(word)
    own_key = arabic_key if written == "ar" else latin_key
    if word.endswith("*"):
        prefix = own_key(word.rstrip("*"))
        return and_(
            name_keys.c.kind == written,
            name_keys.c.key.like(_escaped(prefix) + "%", escape="\\"),
        )
    return or_(
        and_(name_keys.c.kind == written, name_keys.c.key == own_key(word)),
        and_(name_keys.c.kind == "sk", name_keys.c.key.in_(sorted(skeletons(word)))),
    )


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching_acts(criteria: Criteria) -> Any:
    """(office_code, act_id) of the acts every query word meets, in the right role."""
    selects = [
        select(name_keys.c.office_code, name_keys.c.act_id).where(
            name_keys.c.role == ROLES[field], word_condition(word)
        )
        for field, words in criteria.names.items()
        for word in words
    ]
    if len(selects) == 1:
        return selects[0].distinct().subquery()
    return intersect(*selects).subquery()


def candidates(criteria: Criteria, scope: str | None) -> Select[Any]:
    """The acts that meet every criterion, newest first, at most CANDIDATES + 1."""
    query = select(t.acts)
    if criteria.names:
        keyed = matching_acts(criteria)
        query = query.join(
            keyed,
            and_(
                keyed.c.office_code == t.acts.c.office_code,
                keyed.c.act_id == t.acts.c.act_id,
            ),
        )
    for condition in filters(criteria, scope):
        query = query.where(condition)
    return query.order_by(t.acts.c.event_date.desc(), t.acts.c.ref).limit(
        CANDIDATES + 1
    )


def filters(criteria: Criteria, scope: str | None) -> list[Any]:
    """The conditions on ``acts`` besides names."""
    found: list[Any] = []
    if scope is not None:
        found.append(t.acts.c.office_code == scope)
    if criteria.ref is not None:
        found.append(t.acts.c.ref == str(criteria.ref))
    if criteria.civil_id is not None:
        found.append(t.acts.c.civil_id == criteria.civil_id)
    if criteria.sex is not None:
        found.append(t.acts.c.sex == criteria.sex)
    if criteria.kind is not None:
        found.append(t.acts.c.kind == criteria.kind)
    if criteria.date_from is not None:
        found.append(t.acts.c.event_date >= criteria.date_from)
    if criteria.date_to is not None:
        found.append(t.acts.c.event_date <= criteria.date_to)
    if criteria.place is not None:
        found.append(t.acts.c.office_code.in_(_offices_at(criteria.place)))
    return found


def _offices_at(place: str) -> Select[Any]:
    # An office, or every office of a commune, a province or a region.
    o = t.offices.c
    return select(o.code).where(
        or_(
            o.code == place,
            o.commune_code == place,
            o.province_code == place,
            o.region_code == place,
        )
    )
