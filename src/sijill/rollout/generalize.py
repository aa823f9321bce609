"""Generalization: every office of a province, a region or the nation, from the
official list, resumable after an interruption.

An office whose onboarding the centre records as complete is passed over; one
started and interrupted is resumed step by step; the trust list is published once
for the whole run, then copied beside each office's key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from sijill.domain.errors import InvalidInput, Violation
from sijill.rollout.onboarding import (
    Ministry,
    Onboarded,
    commune_request,
    copy_trust,
    publish_trust,
)
from sijill.services.context import Registry
from sijill.store import geography
from sijill.store import tables as t

NEW, RESUME, DONE = "new", "resume", "done"


@dataclass(frozen=True)
class Planned:
    """An office of the official list, and where its onboarding stands."""

    code: str
    name_ar: str
    name_fr: str
    province_code: str
    state: str  # new | resume | done


@dataclass
class RolloutReport:
    """What a run of the roll-out did."""

    onboarded: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def official_offices(
    *, province: str | None = None, region: str | None = None, everything: bool = False
) -> list[geography.Commune]:
    """The communes and arrondissements of the scope, from the official HCP list."""
    chosen = [province is not None, region is not None, everything]
    if sum(chosen) != 1:
        raise InvalidInput([Violation("province", "rollout.one_scope")])
    if province is not None and province not in geography.provinces():
        raise InvalidInput(
            [Violation("province", "rollout.unknown_province", {"code": province})]
        )
    if region is not None and region not in geography.regions():
        raise InvalidInput(
            [Violation("region", "rollout.unknown_region", {"code": region})]
        )
    return [
        c
        for c in geography.communes()
        if everything or c.province_code == province or c.region_code == region
    ]


def plan(centre: Registry, communes: list[geography.Commune]) -> list[Planned]:
    """Where each office of the list stands: never started, to resume, or done."""
    with centre.engine.connect() as conn:
        known = dict(
            conn.execute(
                select(t.onboardings.c.office_code, t.onboardings.c.completed_at)
            ).all()
        )
    return [
        Planned(
            c.code,
            c.name_ar,
            c.name_fr,
            c.province_code,
            NEW if c.code not in known else DONE if known[c.code] else RESUME,
        )
        for c in communes
    ]


def roll_out(
    ministry: Ministry,
    communes: list[geography.Commune],
    *,
    progress: Callable[[Planned, Onboarded | None], None] | None = None,
) -> RolloutReport:
    """Onboard every office of ``communes`` not yet onboarded, then publish the trust
    list once and copy it beside every office key of the scope."""
    report = RolloutReport()
    for planned in plan(ministry.centre, communes):
        done: Onboarded | None = None
        if planned.state == DONE:
            report.skipped.append(planned.code)
        else:
            done = _onboard(ministry, planned.code)
            (report.onboarded if planned.state == NEW else report.resumed).append(
                planned.code
            )
        if progress is not None:
            progress(planned, done)
    share_trust(ministry, [c.code for c in communes])
    return report


def share_trust(ministry: Ministry, codes: list[str]) -> set[str]:
    """Publish the trust list once for ``codes``, then copy it beside each office key;
    returns the offices whose copy changed."""
    keys = _keys_of(ministry, codes)
    publish_trust(ministry, set(keys.values()))
    return {
        code
        for code, key_id in keys.items()
        if copy_trust(ministry, _keys_dir(ministry, code), key_id)
    }


def _onboard(ministry: Ministry, code: str) -> Onboarded:
    from sijill.rollout.onboarding import onboard_office

    return onboard_office(ministry, commune_request(code), publish=False)


def _keys_dir(ministry: Ministry, code: str) -> Path:
    return ministry.offices_dir / code / "keys"


def _keys_of(ministry: Ministry, codes: list[str]) -> dict[str, str]:
    """The enrolled key of each office of ``codes`` onboarded here."""
    wanted = set(codes)
    with ministry.centre.engine.connect() as conn:
        rows = conn.execute(
            select(t.enrolled_keys.c.office_code, t.enrolled_keys.c.key_id).where(
                t.enrolled_keys.c.revoked_at.is_(None)
            )
        ).all()
    return {r.office_code: r.key_id for r in rows if r.office_code in wanted}
