"""What a tabulation covers: a period of years and, optionally, one place.

HCP codes nest as prefixes: region ``03``, province ``03.231``, commune
``03.231.01.0``; an arrondissement (``01.511.01.05``) and an annex office
(``03.231.01.0-A1``) begin with the code of their commune. So a place is a prefix,
and the level below it is a longer prefix of the same codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sijill.domain.errors import InvalidInput, NotFound, Violation
from sijill.store import geography

# The length of the code prefix that names a region, a province, a commune.
PREFIX = {"region": 2, "province": 6, "commune": 11}
BELOW = {"country": "region", "region": "province", "province": "commune"}
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


@dataclass(frozen=True)
class Place:
    """The whole country, or one region, province or commune by its HCP code."""

    level: str = "country"  # country | region | province | commune
    code: str | None = None

    @property
    def below(self) -> str:
        """The level a table of this place breaks down by."""
        return BELOW.get(self.level, "commune")

    def as_dict(self) -> dict[str, str | None]:
        return {"level": self.level, "code": self.code}


@dataclass(frozen=True)
class Scope:
    """Years ``first``..``last`` (inclusive) and a place."""

    first: int
    last: int
    place: Place = Place()

    @property
    def label(self) -> str:
        years = (
            str(self.first) if self.first == self.last else f"{self.first}–{self.last}"
        )
        return years if self.place.code is None else f"{years} {self.place.code}"

    def as_dict(self) -> dict[str, object]:
        return {"from": self.first, "to": self.last, "place": self.place.as_dict()}


def read_place(
    *, region: str | None, province: str | None, commune: str | None
) -> Place:
    """The one place given, checked against the HCP geography."""
    given = [
        (level, code.strip())
        for level, code in (
            ("region", region),
            ("province", province),
            ("commune", commune),
        )
        if code and code.strip()
    ]
    if not given:
        return Place()
    if len(given) > 1:
        raise InvalidInput([Violation(given[1][0], "stats.one_place")])
    level, code = given[0]
    known = {
        "region": code in geography.regions(),
        "province": code in geography.provinces(),
        "commune": (c := geography.lookup(code)) is not None and c.kind == "commune",
    }[level]
    if not known:
        raise NotFound("stats.unknown_place", {"level": level, "code": code})
    return Place(level, code)


def read_years(
    *, year: int | None, first: int | None, last: int | None, default: int
) -> tuple[int, int]:
    """``--year``, or ``--from``/``--to`` (either may be left open), or ``default``."""
    if year is not None and (first is not None or last is not None):
        raise InvalidInput([Violation("year", "stats.year_or_range")])
    if year is not None:
        first = last = year
    first = first if first is not None else (last if last is not None else default)
    last = last if last is not None else max(first, default)
    found = [
        Violation(name, "stats.year_range", {"min": EARLIEST_YEAR, "max": LATEST_YEAR})
        for name, value in (("from", first), ("to", last))
        if not EARLIEST_YEAR <= value <= LATEST_YEAR
    ]
    if not found and first > last:
        found.append(Violation("to", "stats.year_order"))
    if found:
        raise InvalidInput(found)
    return first, last
