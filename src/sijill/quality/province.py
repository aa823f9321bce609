"""The quality figures of a province's offices, as its supervisor sees them."""

from __future__ import annotations

from typing import Any

from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.offices import Actor
from sijill.quality.figures import GROUPS, Tally
from sijill.services.context import Registry
from sijill.services.provinces import province_offices


def province_quality(
    reg: Registry, *, actor: Actor, by: str = "office", province: str | None = None
) -> dict[str, Any]:
    """Quality figures of a province's offices, grouped by office, batch or keyer."""
    if by not in GROUPS:
        raise InvalidInput([Violation("by", "choice", {"choices": ", ".join(GROUPS)})])
    uow, _ = reg.unit_of_work()
    with uow:
        province, codes = province_offices(uow, actor, "quality.read", province)
        figures = Tally(uow.conn, by, None, within=codes).figures()
        uow.audit(
            actor,
            "quality.read",
            office=actor.office,
            personal=False,
            detail={"by": by, "province": province},
        )
    return {
        "province": province,
        "offices": codes or [],
        "figures": [f.as_dict() for _, f in sorted(figures.items())],
    }
