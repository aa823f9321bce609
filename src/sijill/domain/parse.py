"""Reading untrusted input field by field, collecting every broken rule at once."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sijill.domain.errors import InvalidInput, Violation

_ARABIC = r"\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
_LATIN = r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F"
_TIFINAGH = r"\u2D30-\u2D7F"
_SCRIPTS = {
    "arabic": re.compile(rf"^[{_ARABIC}][{_ARABIC}' \-]*$"),
    "latin": re.compile(rf"^[{_LATIN}][{_LATIN}' \-.]*$"),
    "tifinagh": re.compile(rf"^[{_TIFINAGH}][{_TIFINAGH}' \-]*$"),
}
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def clean_text(value: str) -> str:
    """NFC-normalize and collapse runs of spaces: what was typed, tidied, not changed."""
    return " ".join(unicodedata.normalize("NFC", value).split())


# Names, places and words repeat across records read in bulk: each is checked once.
@lru_cache(maxsize=1 << 16)
def checked_text(
    value: str, max_length: int, script: str | None
) -> tuple[str | None, str | None]:
    """A text tidied, or None and the rule it breaks (characters, length, script)."""
    value = clean_text(value)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in value):
        return None, "text.control_chars"
    if len(value) > max_length:
        return None, "text.too_long"
    if script is not None and not _SCRIPTS[script].match(value):
        digits = any(c.isdigit() for c in value)
        return None, "script.digits" if digits else f"script.{script}"
    return value, None


class Reader:
    """Reads one object of input; sub-objects share the same list of violations."""

    def __init__(
        self,
        data: object,
        prefix: str = "",
        violations: list[Violation] | None = None,
    ) -> None:
        self.violations: list[Violation] = [] if violations is None else violations
        self.prefix = prefix
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            self.fail("", "type.object")
            data = {}
        self.data: Mapping[str, Any] = data

    def path(self, name: str) -> str:
        return (
            f"{self.prefix}.{name}" if self.prefix and name else (self.prefix or name)
        )

    def fail(self, name: str, rule: str, **params: object) -> None:
        self.violations.append(Violation(self.path(name), rule, params))

    def _raw(self, name: str, required: bool) -> object:
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(name, "required")
            return None
        return value

    def _text(
        self, name: str, required: bool, max_length: int, script: str | None
    ) -> str | None:
        value = self._raw(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, "type.text")
            return None
        cleaned, rule = checked_text(value, max_length, script)
        if rule == "text.too_long":
            self.fail(name, rule, max=max_length)
        elif rule is not None:
            self.fail(name, rule)
        return cleaned

    def text(
        self, name: str, *, max_length: int = 120, script: str | None = None
    ) -> str:
        """A required text; "" (with a violation recorded) when it is missing or bad."""
        return self._text(name, True, max_length, script) or ""

    def optional_text(
        self, name: str, *, max_length: int = 120, script: str | None = None
    ) -> str | None:
        return self._text(name, False, max_length, script)

    def _date(self, name: str, required: bool) -> dt.date | None:
        value = self._raw(name, required)
        if value is None or isinstance(value, dt.date):
            return value
        if not isinstance(value, str) or not _DATE.match(value.strip()):
            self.fail(name, "date.format")
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            self.fail(name, "date.format")
            return None

    def date(self, name: str) -> dt.date:
        """A required date; date.min (with a violation recorded) when missing or bad."""
        return self._date(name, True) or dt.date.min

    def optional_date(self, name: str) -> dt.date | None:
        return self._date(name, False)

    def time(self, name: str) -> dt.time:
        """A required hour, HH:MM; midnight (with a violation recorded) when bad."""
        value = self._raw(name, True)
        if value is None:
            return dt.time.min
        if isinstance(value, dt.time):
            return value
        match = _TIME.match(value.strip()) if isinstance(value, str) else None
        if match is None:
            self.fail(name, "time.format")
            return dt.time.min
        return dt.time(int(match[1]), int(match[2]))

    def choice(self, name: str, choices: tuple[str, ...]) -> str:
        """One of ``choices``; "" (with a violation recorded) otherwise."""
        value = self._raw(name, True)
        if value is None:
            return ""
        if value not in choices:
            self.fail(name, "choice", choices=", ".join(choices))
            return ""
        return str(value)

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            self.fail(name, "type.bool")
            return False
        return value

    def nationality(self, name: str) -> str:
        """A two-letter ISO country code."""
        value = self.text(name, max_length=2)
        if value and not re.fullmatch(r"[A-Z]{2}", value):
            self.fail(name, "nationality.format")
            return ""
        return value

    def child(self, name: str, *, required: bool = True) -> Reader | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "required")
            return None
        return Reader(value, self.path(name), self.violations)

    def raise_if_invalid(self) -> None:
        if self.violations:
            raise InvalidInput(self.violations)
