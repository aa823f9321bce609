"""Keyed legacy registers for tests, demonstrations and benchmarks.

A register page is drawn from the synthetic generator's births, then keyed twice as
two keyers would: mostly the same, sometimes written differently in harmless ways
(tatweel, Arabic-Indic digits, doubled spaces), sometimes with real keying errors
(another spelling of a name, a slipped digit in a date, a skipped field).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sijill.domain.calendars import to_hijri
from sijill.domain.keying import FIELDS, POSITION
from sijill.synthetic import people
from sijill.synthetic.generator import Generator

LINES_PER_PAGE = 20
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True)
class KeyedAct:
    """One act of a legacy register page: what the page says, and its two keyings."""

    page: int
    line: int
    truth: dict[str, str]
    first: dict[str, str]
    second: dict[str, str]


def legacy_fields(
    decl: dict[str, Any], number: int, rng: random.Random
) -> dict[str, str]:
    """What an old birth register holds of a generated birth declaration."""
    child = decl["child"]
    fields = {
        "number": str(number),
        **{
            k: child[k]
            for k in (
                "first_name_ar",
                "family_name_ar",
                "first_name_lat",
                "family_name_lat",
            )
        },
        "sex": decl["sex"],
        "birth_place": decl["birth_place"],
        "mother_name": people.full_name(decl["mother"]),
    }
    born = date.fromisoformat(decl["birth_date"])
    hijri = to_hijri(born)
    if hijri is not None and rng.random() < 0.1:
        fields["birth_date_hijri"] = hijri.isoformat()  # the register gives no other
    else:
        fields["birth_date"] = born.isoformat()
    if rng.random() < 0.7:
        fields["birth_time"] = decl["birth_time"]
    if rng.random() < 0.5:
        fields["birth_commune"] = decl["birth_commune"]
    if decl.get("father"):
        fields["father_name"] = people.full_name(decl["father"])
    return fields


class Keying:
    """Draws legacy acts and keys them twice, with a chosen rate of real errors."""

    def __init__(
        self, seed: int, *, office: str, year: int, error_rate: float = 0.01
    ) -> None:
        self.generator = Generator(seed)
        self.rng = random.Random(seed + 1)
        self.office = office
        self.year = year
        self.error_rate = error_rate
        self._pool: list[dict[str, Any]] = []

    def _declaration(self, index: int) -> dict[str, Any]:
        # A pool of distinct declarations, reused for very large registers.
        while index >= len(self._pool) and len(self._pool) < 20_000:
            self._pool += [
                d
                for _, d in self.generator.births(
                    500,
                    date(self.year, 1, 1),
                    date(self.year, 12, 31),
                    office_commune_code=self.office,
                )
            ]
        return self._pool[index % len(self._pool)]

    def acts(self, count: int, *, first_number: int = 1) -> Iterator[KeyedAct]:
        for index in range(count):
            truth = legacy_fields(
                self._declaration(index), first_number + index, self.rng
            )
            page, line = divmod(index, LINES_PER_PAGE)
            yield KeyedAct(
                page + 1, line + 1, truth, self._key(truth), self._key(truth)
            )

    def _key(self, truth: dict[str, str]) -> dict[str, str]:
        keyed = dict(truth)
        for field, value in truth.items():
            draw = self.rng.random()
            if draw < 0.03:
                keyed[field] = _harmless(value, self.rng)
            elif draw < 0.03 + self.error_rate and field != "number":
                keyed[field] = self._error(field, value, truth)
        return keyed

    def _error(self, field: str, value: str, truth: dict[str, str]) -> str:
        if field.startswith(("first_name", "family_name")):
            variant = self.generator.keying_variant(
                {field: value, **{k: v for k, v in truth.items() if k.endswith("_ar")}}
            )
            if variant[field] != value:
                return variant[field]
        if any(c.isdigit() for c in value):
            digits = [i for i, c in enumerate(value) if c.isdigit()]
            i = self.rng.choice(digits)
            return value[:i] + str((int(value[i]) + 1) % 10) + value[i + 1 :]
        return value[:-1] if len(value) > 1 else ""


def _harmless(value: str, rng: random.Random) -> str:
    """A keying that differs in bytes, never in what it says."""
    choice = rng.randrange(3)
    if choice == 0 and any("\u0621" <= c <= "\u064a" for c in value):
        i = next(i for i, c in enumerate(value) if "\u0628" <= c <= "\u064a")
        return value[: i + 1] + "\u0640" + value[i + 1 :]
    if choice == 1 and any(c.isdigit() for c in value):
        return value.translate(_ARABIC_DIGITS)
    return value.replace(" ", "  ") if " " in value else f" {value} "


def keyed_rows(acts: list[KeyedAct], keyer: str, which: str) -> list[dict[str, str]]:
    """The rows a keyer's file holds: ``which`` keying (first or second) of each act."""
    return [
        {"page": str(a.page), "line": str(a.line), "keyer": keyer, **getattr(a, which)}
        for a in acts
    ]


def as_csv(rows: list[dict[str, str]], kind: str = "birth") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, [*POSITION, "keyer", *FIELDS[kind]], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def as_jsonl(rows: list[dict[str, str]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
