"""Drawing realistic names for people of a given sex, generation and region."""

from __future__ import annotations

import itertools
import random
from functools import cache

from sijill.domain.firstnames import (
    AMAZIGH_FEMALE_FIRST_NAMES,
    AMAZIGH_MALE_FIRST_NAMES,
    FEMALE_FIRST_NAMES,
    MALE_FIRST_NAMES,
    AmazighFirstName,
    FirstName,
)
from sijill.domain.folding import fold
from sijill.synthetic.names import (
    AMAZIGH_FAMILY_NAMES,
    CLASSIC_NAMES,
    FAMILY_NAMES,
    FOREIGN_NAMES,
    MODERN_NAMES,
    SHARIFIAN_FAMILIES,
    TITLED_FEMALE,
    TITLED_MALE,
    FamilyName,
    to_tifinagh,
)

NameFields = dict[str, str]
Spelled = tuple[str, str]  # (arabic, latin) as written on one act

# Regions where Amazigh family and first names are most common (Souss, Draa, Atlas, Rif).
AMAZIGH_REGIONS = {"09": 0.45, "08": 0.4, "05": 0.25, "02": 0.2, "01": 0.15}
_LATIN_WEIGHTS = (10, 4, 2, 1, 1, 1, 1, 1)
_HAMZA_FREE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
_SHARIFIAN_FOLDED = frozenset(fold(name) for name in SHARIFIAN_FAMILIES)


def era(born_year: int) -> str:
    """The naming generation of someone born in ``born_year``."""
    if born_year >= 1995:
        return "modern"
    return "middle" if born_year >= 1965 else "old"


_ERA_FACTORS = {"modern": (4.0, 0.15), "middle": (0.5, 1.0), "old": (0.03, 4.0)}


@cache
def _first_name_table(
    sex: str, generation: str
) -> tuple[tuple[FirstName, ...], list[float]]:
    names = MALE_FIRST_NAMES if sex == "M" else FEMALE_FIRST_NAMES
    modern, classic = _ERA_FACTORS[generation]
    weights: list[float] = []
    for rank, (arabic, _) in enumerate(names):
        weight = 1.0 / (rank + 2) ** 0.6
        weight *= (
            modern
            if arabic in MODERN_NAMES
            else classic
            if arabic in CLASSIC_NAMES
            else 1
        )
        weight *= 6 if arabic == "محمد" else 1
        weights.append(weight)
    return names, list(itertools.accumulate(weights))


@cache
def _family_table(amazigh: bool) -> tuple[tuple[FamilyName, ...], list[float]]:
    names = AMAZIGH_FAMILY_NAMES if amazigh else FAMILY_NAMES
    weights = (1.0 / (rank + 4) ** 0.5 for rank in range(len(names)))
    return names, list(itertools.accumulate(weights))


def pick_latin(rng: random.Random, spellings: tuple[str, ...]) -> str:
    """One Latin spelling, the commonest most often."""
    return rng.choices(spellings, weights=_LATIN_WEIGHTS[: len(spellings)])[0]


def pick_arabic(rng: random.Random, arabic: str) -> str:
    """The Arabic as keyed: most clerks write the hamza, some leave it out."""
    return arabic if rng.random() < 0.85 else arabic.translate(_HAMZA_FREE)


def draw_first_name(rng: random.Random, sex: str, born_year: int) -> FirstName:
    """A first name entry (arabic, latin spellings) as popular in that generation."""
    names, cumulative = _first_name_table(sex, era(born_year))
    return rng.choices(names, cum_weights=cumulative)[0]


def first_name(rng: random.Random, sex: str, born_year: int) -> Spelled:
    """A first name for someone of ``sex`` born in ``born_year``."""
    arabic, spellings = draw_first_name(rng, sex, born_year)
    return pick_arabic(rng, arabic), pick_latin(rng, spellings)


def amazigh_first_name(rng: random.Random, sex: str) -> AmazighFirstName:
    """An Amazigh first name entry: (arabic, latin spellings, tifinagh)."""
    names = AMAZIGH_MALE_FIRST_NAMES if sex == "M" else AMAZIGH_FEMALE_FIRST_NAMES
    return rng.choice(names)


def titled(rng: random.Random, sex: str, name: Spelled) -> Spelled:
    """The first name with a sharifian title in front: مولاي أحمد / Moulay Ahmed."""
    title_ar, title_lat = rng.choice(TITLED_MALE if sex == "M" else TITLED_FEMALE)
    return f"{title_ar} {name[0]}", f"{title_lat} {name[1]}"


def family_name(rng: random.Random, region_code: str | None) -> Spelled:
    """A family name, Amazigh ones more often in the regions where they are common."""
    amazigh = rng.random() < AMAZIGH_REGIONS.get(region_code or "", 0.06)
    names, cumulative = _family_table(amazigh)
    arabic, spellings = rng.choices(names, cum_weights=cumulative)[0]
    return pick_arabic(rng, arabic), pick_latin(rng, spellings)


def is_sharifian(family: Spelled) -> bool:
    """Whether the family name is one of the sharifian lineages that use titles."""
    return fold(family[0]) in _SHARIFIAN_FOLDED


def person_names(
    rng: random.Random,
    sex: str,
    born_year: int,
    family: Spelled,
    *,
    titles: bool = False,
) -> NameFields:
    """Names of a person (not a newborn): old sharifian men may carry a title."""
    first = first_name(rng, sex, born_year)
    if titles and is_sharifian(family) and rng.random() < (0.35 if sex == "M" else 0.1):
        first = titled(rng, sex, first)
    return fields(first, family)


def foreign_names(rng: random.Random, nationality: str, sex: str) -> NameFields | None:
    """Names of a foreign national, when the table has some for that country and sex."""
    table = FOREIGN_NAMES.get(nationality, {})
    if sex not in table:
        return None
    arabic, spellings = rng.choice(table[sex])
    family_ar, family_lat = rng.choice(table["family"])
    return fields((arabic, spellings[0]), (family_ar, family_lat[0]))


def fields(first: Spelled, family: Spelled) -> NameFields:
    """The four name fields of an act."""
    return {
        "first_name_ar": first[0],
        "family_name_ar": family[0],
        "first_name_lat": first[1],
        "family_name_lat": family[1],
    }


def with_tifinagh(names: NameFields, first_tfng: str) -> NameFields:
    """The names with their Tifinagh forms added."""
    family_tfng = to_tifinagh(names["family_name_lat"])
    return {**names, "first_name_tfng": first_tfng, "family_name_tfng": family_tfng}


def full_name(names: NameFields) -> str:
    """A person's full name in Arabic, as a declarant is written."""
    return f"{names['first_name_ar']} {names['family_name_ar']}"
