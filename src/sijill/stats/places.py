"""Names of the places and groups a table breaks down by, in Arabic and French."""

from __future__ import annotations

from sijill.domain.messages import render
from sijill.stats.scope import PREFIX
from sijill.store import geography

ABROAD = "abroad"
UNKNOWN = "unknown"
# UN age groups: deaths (under 1, 1-4, then five-year groups to 85 and over) and
# mothers at the birth (under 15, five-year groups, 50 and over).
DEATH_AGES = ((0, 0), (1, 4), *((a, a + 4) for a in range(5, 85, 5)), (85, None))
MOTHER_AGES = ((None, 14), *((a, a + 4) for a in range(15, 50, 5)), (50, None))


def place_key(code: str | None, level: str) -> str:
    """The region, province or commune of a place code, or abroad (consulates)."""
    if not code:
        return UNKNOWN
    if code.startswith("C-"):
        return ABROAD
    if level != "commune":
        return code[: PREFIX[level]]
    found = geography.lookup(code.split("-")[0])
    return found.commune_code if found is not None else code


def place_names(key: str, level: str) -> tuple[str, str]:
    """The Arabic and French names of a region, province or commune code."""
    if key in (ABROAD, UNKNOWN):
        return render(f"stats.row.{key}", "ar"), render(f"stats.row.{key}", "fr")
    area = (
        geography.regions().get(key)
        if level == "region"
        else geography.provinces().get(key)
        if level == "province"
        else geography.lookup(key)
    )
    if area is None:
        return key, key
    return area.name_ar, area.name_fr


def setting_of(commune_key: str) -> str:
    """urban, rural, abroad or unknown: the setting of a commune as the HCP lists it."""
    if commune_key in (ABROAD, UNKNOWN):
        return commune_key
    commune = geography.lookup(commune_key)
    return commune.setting if commune is not None else UNKNOWN


def age_group(
    age: int | None, groups: tuple[tuple[int | None, int | None], ...]
) -> str:
    """The key of the group ``age`` falls in (e.g. ``15-19``, ``85+``, ``unknown``)."""
    if age is None or age < 0:
        return UNKNOWN
    for low, high in groups:
        if (low is None or age >= low) and (high is None or age <= high):
            return group_key(low, high)
    return UNKNOWN  # pragma: no cover (the groups cover every age)


def group_key(low: int | None, high: int | None) -> str:
    if low is None:
        return f"<{(high or 0) + 1}"
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}-{high}"


def group_keys(groups: tuple[tuple[int | None, int | None], ...]) -> list[str]:
    return [group_key(low, high) for low, high in groups] + [UNKNOWN]


def group_names(key: str) -> tuple[str, str]:
    """An age group as it reads: ``<15`` is ``moins de 15 ans``."""
    if key == UNKNOWN:
        return render("stats.row.unknown", "ar"), render("stats.row.unknown", "fr")
    if key.startswith("<"):
        return (
            render("stats.row.age_under", "ar", age=key[1:]),
            render("stats.row.age_under", "fr", age=key[1:]),
        )
    if key.endswith("+"):
        return (
            render("stats.row.age_over", "ar", age=key[:-1]),
            render("stats.row.age_over", "fr", age=key[:-1]),
        )
    if key == "0":
        return render("stats.row.age_infant", "ar"), render(
            "stats.row.age_infant", "fr"
        )
    return (
        render("stats.row.age_range", "ar", age=key),
        render("stats.row.age_range", "fr", age=key),
    )
