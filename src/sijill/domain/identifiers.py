"""Identifiers: the newborn's civil identifier and the reference of an act."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import verhoeff

from sijill.domain.errors import InvalidInput, Violation

CIVIL_ID_LENGTH = 10


def new_civil_id(random_below: Callable[[int], int]) -> str:
    """A 10-digit civil identifier: nine random digits (no leading zero), Verhoeff check.

    The Verhoeff check digit catches every single-digit error and every swap of two
    adjacent digits, the two mistakes people make when copying an identifier.
    """
    body = str(100_000_000 + random_below(900_000_000))
    return body + verhoeff.calc_check_digit(body)


def is_valid_civil_id(value: str) -> bool:
    """True when ``value`` is ten digits whose last is the Verhoeff check of the rest."""
    return (
        len(value) == CIVIL_ID_LENGTH
        and value.isascii()
        and value.isdigit()
        and value[0] != "0"
        and verhoeff.is_valid(value)
    )


KIND_LETTERS = {"birth": "N", "death": "D"}
_LETTER_KINDS = {letter: kind for kind, letter in KIND_LETTERS.items()}
_REF = re.compile(
    r"^(?P<office>[A-Z0-9.\-]{2,24})/(?P<year>\d{4})/(?P<kind>[ND])/(?P<number>[1-9]\d*)$"
)


@dataclass(frozen=True, order=True)
class ActRef:
    """An act's identity in the registry: office / year / kind / number."""

    office: str
    year: int
    kind: str
    number: int

    def __str__(self) -> str:
        return f"{self.office}/{self.year}/{KIND_LETTERS[self.kind]}/{self.number}"

    @classmethod
    def parse(cls, text: str, field: str = "ref") -> ActRef:
        """Read ``03.231.01.0/2026/N/12``; a malformed reference names the rule."""
        match = _REF.match(text.strip().upper()) if isinstance(text, str) else None
        if match is None:
            raise InvalidInput([Violation(field, "act.ref_format")])
        return cls(
            office=match["office"],
            year=int(match["year"]),
            kind=_LETTER_KINDS[match["kind"]],
            number=int(match["number"]),
        )
