"""The errors a user of the registry can meet, with no transport in them."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from sijill.domain.messages import render


@dataclass(frozen=True)
class Violation:
    """One broken rule: the field it concerns, the rule's code and its parameters."""

    field: str
    rule: str
    params: dict[str, object] = dataclass_field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """The violation in English (logs), Arabic or French (users)."""
        return render(self.rule, lang, field=self.field, **self.params)

    def as_dict(self) -> dict[str, object]:
        return {
            "field": self.field,
            "rule": self.rule,
            "message": self.message("en"),
            "message_ar": self.message("ar"),
            "message_fr": self.message("fr"),
        }


class DomainError(Exception):
    """Base of every error the registry reports to its users."""

    code = "error"

    def __init__(self, rule: str, lang_params: dict[str, object] | None = None) -> None:
        self.rule = rule
        self.params = dict(lang_params or {})
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return render(self.rule, lang, **self.params)


class InvalidInput(DomainError):
    """Input that breaks one or more rules; nothing was written."""

    code = "invalid"

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = list(violations)
        super().__init__("input.invalid", {"count": len(self.violations)})

    def message(self, lang: str = "en") -> str:
        lines = [v.message(lang) for v in self.violations]
        return "; ".join(
            f"{v.field}: {m}" for v, m in zip(self.violations, lines, strict=True)
        )


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the actor)."""

    code = "not_found"


class Forbidden(DomainError):
    """The actor's role or office does not allow this."""

    code = "forbidden"


class Conflict(DomainError):
    """The request contradicts the state of the registry (e.g. signing a signed act)."""

    code = "conflict"


class IntegrityAlarm(DomainError):
    """The stored record contradicts itself: a broken chain, a bad signature."""

    code = "integrity"


class Unauthenticated(DomainError):
    """No valid proof of who is asking: wrong credentials, a locked or expired login."""

    code = "unauthenticated"
