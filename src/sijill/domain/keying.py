"""Keyed legacy acts: the fields a keyer types, harmless normalization, reconciliation.

Every legacy act is keyed twice, by two keyers who do not see each other's work.
Two keyings agree on a field when they are equal after a normalization that changes
nothing a reader of the register would call a difference: runs of spaces, the tatweel
that stretches Arabic letters, Arabic-Indic digits against Latin ones, Unicode forms.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# The fields of a keyed act, as they appear on the legacy register page.
NAME_FIELDS = ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat")
FIELDS: dict[str, tuple[str, ...]] = {
    "birth": (
        "number",
        *NAME_FIELDS,
        "sex",
        "birth_date",
        "birth_date_hijri",
        "birth_time",
        "birth_place",
        "birth_commune",
        "father_name",
        "mother_name",
    ),
    "death": (
        "number",
        *NAME_FIELDS,
        "sex",
        "death_date",
        "death_date_hijri",
        "death_time",
        "death_place",
        "birth_date",
        "father_name",
        "mother_name",
    ),
}
# Where the act sits in the batch: page of the register and line on the page.
POSITION = ("page", "line")
KEYER = "keyer"
MAX_FIELD_LENGTH = 160

TATWEEL = "\u0640"
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    "01234567890123456789",
)
# Zero-width marks keying tools leave behind: they change bytes, never the reading.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\ufeff"), None)


def normalize(value: str) -> str:
    """The form two keyings are compared in: NFC, no tatweel, Latin digits, single spaces."""
    if value.isascii():  # numbers, dates, codes: nothing but the spaces can change
        return " ".join(value.split())
    return _normalize_text(value)


# Names and places repeat a lot across a register: each is normalized once.
@lru_cache(maxsize=1 << 16)
def _normalize_text(value: str) -> str:
    text = unicodedata.normalize("NFC", value).replace(TATWEEL, "")
    text = text.translate(_DIGITS).translate(_INVISIBLE)
    return " ".join(text.split())


@dataclass(frozen=True)
class Disagreement:
    """A field two keyings wrote differently, with both values as typed."""

    field: str
    first: str
    second: str


@dataclass(frozen=True)
class Reconciled:
    """Two keyings of one act: the fields they agree on, and those they do not."""

    accepted: dict[str, str]
    disagreements: tuple[Disagreement, ...]


def reconcile(
    kind: str, first: Mapping[str, str], second: Mapping[str, str]
) -> Reconciled:
    """Compare two keyings field by field; agreeing fields are accepted, normalized."""
    accepted: dict[str, str] = {}
    disagreements: list[Disagreement] = []
    for field in FIELDS[kind]:
        a, b = first.get(field, ""), second.get(field, "")
        na = normalize(a)
        nb = na if a == b else normalize(b)
        if na == nb:
            if na:
                accepted[field] = na
        else:
            disagreements.append(Disagreement(field, a, b))
    return Reconciled(accepted, tuple(disagreements))
