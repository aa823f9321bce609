"""Civil status offices, their staff and the roles that act in them."""

from __future__ import annotations

import re
from dataclasses import dataclass

OFFICE_KINDS = ("commune", "arrondissement", "annex", "consulate")
STAFF_ROLES = (
    "officer",
    "delegate",
    "clerk",
    # the digitization of the legacy registers
    "keyer",
    "adjudicator",
    "reviewer",
    "supervisor",
)
# Roles that may sign acts and mentions: the officer and the one delegate he names.
SIGNING_ROLES = frozenset({"officer", "delegate"})
_CONSULATE_CODE = re.compile(r"^C-[A-Z]{2}-[A-Z0-9]{2,12}$")


@dataclass(frozen=True)
class Office:
    """A civil status office: a commune, an arrondissement, an annex or a consulate."""

    code: str
    kind: str
    name_ar: str
    name_fr: str
    region_code: str | None = None
    province_code: str | None = None
    commune_code: str | None = None
    setting: str | None = None
    country: str | None = None
    city: str | None = None
    parent_code: str | None = None


def consulate_code(country: str, city: str) -> str:
    """The office code of a consulate: C-FR-PARIS for the consulate in Paris."""
    slug = re.sub(r"[^A-Z0-9]", "", city.upper().replace("É", "E").replace("È", "E"))[
        :12
    ]
    return f"C-{country.upper()}-{slug}"


def is_consulate_code(code: str) -> bool:
    return bool(_CONSULATE_CODE.match(code))


def annex_code(parent: str, number: int) -> str:
    """The code of annex ``number`` of the office ``parent``: 03.231.01.0-A1."""
    return f"{parent}-A{number}"


@dataclass(frozen=True)
class Actor:
    """Who calls a use case: a user, in a role, for an office (None: national scope)."""

    username: str
    role: str
    office: str | None = None
    # Why this call touches personal data (domain.audit.PURPOSES); None: the default
    # purpose of the use case.
    purpose: str | None = None

    @property
    def label(self) -> str:
        return (
            f"{self.username} ({self.role}{'@' + self.office if self.office else ''})"
        )


SYSTEM = Actor("system", "system", None)
