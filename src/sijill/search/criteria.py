"""What a search asks for, read and checked before any database is touched.

Every refusal names its field: an empty or absurd query, a name of only particles
(ال, El, Ben), an over-long or control-character text, a malformed date, reference,
civil identifier or place code, a page beyond what a search returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.identifiers import ActRef, is_valid_civil_id
from sijill.domain.namekeys import (
    arabic_key,
    has_letters,
    latin_key,
    name_words,
    only_particles,
    script,
)

MAX_TEXT = 100
MAX_WORDS = 6
MAX_PAGE_SIZE = 100
MIN_PREFIX = 3  # letters of a prefix, articles aside: "El A*" is too short
# A search ranks at most this many candidates; more are reported as truncated.
CANDIDATES = 500
NAME_FIELDS = ("name", "father", "mother")
_PLACE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,23}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Criteria:
    """A checked search: names split into words (a trailing * asks for a prefix)."""

    names: dict[str, list[str]]
    sex: str | None
    kind: str | None
    date_from: date | None
    date_to: date | None
    place: str | None
    ref: ActRef | None
    civil_id: str | None
    office: str | None
    page: int
    page_size: int

    def summary(self) -> dict[str, Any]:
        """The criteria as the audit log records them."""
        given = {
            "names": {k: " ".join(v) for k, v in self.names.items()},
            "sex": self.sex,
            "kind": self.kind,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "place": self.place,
            "ref": str(self.ref) if self.ref else None,
            "civil_id": self.civil_id,
            "office": self.office,
            "page": self.page,
        }
        return {k: v for k, v in given.items() if v}


def read_criteria(raw: dict[str, Any]) -> Criteria:
    """Check every criterion of ``raw``; raise InvalidInput naming each bad field."""
    found: list[Violation] = []
    names = {f: _name(f, raw.get(f), found) for f in NAME_FIELDS}
    criteria = Criteria(
        names={f: words for f, words in names.items() if words},
        sex=_choice("sex", raw.get("sex"), ("M", "F"), found),
        kind=_choice("kind", raw.get("kind"), ("birth", "death"), found),
        date_from=_date("date_from", raw.get("date_from"), found),
        date_to=_date("date_to", raw.get("date_to"), found),
        place=_code("place", raw.get("place"), found),
        ref=_ref(raw.get("ref"), found),
        civil_id=_civil_id(raw.get("civil_id"), found),
        office=_code("office", raw.get("office"), found),
        page=_int("page", raw.get("page", 1), 1, CANDIDATES, found),
        page_size=_int("page_size", raw.get("page_size", 20), 1, MAX_PAGE_SIZE, found),
    )
    if (
        criteria.date_from
        and criteria.date_to
        and criteria.date_from > criteria.date_to
    ):
        found.append(Violation("date_to", "search.date_range"))
    if (criteria.page - 1) * criteria.page_size >= CANDIDATES:
        found.append(Violation("page", "search.page_beyond", {"max": CANDIDATES}))
    if not found and not _selective(criteria):
        found.append(Violation("query", "search.too_broad"))
    if found:
        raise InvalidInput(found)
    return criteria


def _selective(c: Criteria) -> bool:
    # Sex, kind or a place alone would list a whole register or the whole country.
    return bool(c.names or c.ref or c.civil_id or c.date_from or c.date_to)


def _text(field: str, value: object, found: list[Violation]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        found.append(Violation(field, "type.text"))
        return None
    if len(value) > MAX_TEXT:
        found.append(Violation(field, "text.too_long", {"max": MAX_TEXT}))
        return None
    if _CONTROL.search(value):
        found.append(Violation(field, "text.control_chars"))
        return None
    if not value.strip():
        found.append(Violation(field, "required"))
        return None
    return value.strip()


def _name(field: str, value: object, found: list[Violation]) -> list[str]:
    text = _text(field, value, found)
    if text is None:
        return []
    if not has_letters(text):
        found.append(Violation(field, "search.no_letters"))
        return []
    if only_particles(text.replace("*", "")):
        found.append(Violation(field, "search.only_particles", {"name": text}))
        return []
    words = name_words(text)
    if len(words) > MAX_WORDS:
        found.append(Violation(field, "search.too_many_words", {"max": MAX_WORDS}))
        return []
    for word in words:
        stem = word.rstrip("*")
        own_key = arabic_key if script(stem) == "ar" else latin_key
        if word.endswith("*") and len(own_key(stem)) < MIN_PREFIX:
            found.append(
                Violation(field, "search.prefix_too_short", {"min": MIN_PREFIX})
            )
            return []
        if "*" in word.rstrip("*"):
            found.append(Violation(field, "search.wildcard"))
            return []
    return words


def _choice(
    field: str, value: object, choices: tuple[str, ...], found: list[Violation]
) -> str | None:
    if value is None or value == "":
        return None
    if value not in choices:
        found.append(Violation(field, "choice", {"choices": ", ".join(choices)}))
        return None
    return str(value)


def _date(field: str, value: object, found: list[Violation]) -> date | None:
    if isinstance(value, date):
        return value
    if value is None or value == "":
        return None
    text = str(value)
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    found.append(Violation(field, "date.format"))
    return None


def _code(field: str, value: object, found: list[Violation]) -> str | None:
    text = _text(field, value, found)
    if text is None:
        return None
    if not _PLACE.match(text.upper()):
        found.append(Violation(field, "search.code_format"))
        return None
    return text.upper()


def _ref(value: object, found: list[Violation]) -> ActRef | None:
    text = _text("ref", value, found)
    if text is None:
        return None
    try:
        return ActRef.parse(text, field="ref")
    except InvalidInput as error:
        found.extend(error.violations)
        return None


def _civil_id(value: object, found: list[Violation]) -> str | None:
    text = _text("civil_id", value, found)
    if text is None:
        return None
    if not is_valid_civil_id(text):
        found.append(Violation("civil_id", "search.civil_id_format"))
        return None
    return text


def _int(field: str, value: object, low: int, high: int, found: list[Violation]) -> int:
    try:
        number = int(str(value)) if not isinstance(value, bool) else _refuse()
    except (TypeError, ValueError):
        found.append(Violation(field, "search.number_range", {"min": low, "max": high}))
        return low
    if not low <= number <= high:
        found.append(Violation(field, "search.number_range", {"min": low, "max": high}))
        return low
    return number


def _refuse() -> int:
    raise ValueError("a boolean is not a number")
