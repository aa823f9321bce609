"""The menu of the page header: which screens each role reaches, in Arabic and French.

One entry per screen; the header shows the entries of the signed-in actor's role. A
screen still checks its own authorization in the services: the menu only leads there.
"""

from __future__ import annotations

from dataclasses import dataclass

from sijill.domain.roles import ROLE_SCOPES

EVERYONE = frozenset(ROLE_SCOPES)
STAFF = frozenset({"clerk", "officer", "delegate"})
OVERSIGHT = frozenset({"supervisor", "ministry"})


@dataclass(frozen=True, slots=True)
class Entry:
    href: str
    ar: str
    fr: str
    roles: frozenset[str]

    def text(self, lang: str) -> str:
        return self.ar if lang == "ar" else self.fr


SIGNERS = frozenset({"officer", "delegate"})

MENU: tuple[Entry, ...] = (
    Entry("/declare/birth", "تصريح بولادة", "Déclarer une naissance", STAFF),
    Entry("/declare/death", "تصريح بوفاة", "Déclarer un décès", STAFF),
    Entry("/predeclarations", "التصاريح المسبقة", "Pré-déclarations", STAFF),
    Entry("/drafts", "المسودات للتوقيع", "Projets à signer", STAFF),
    Entry("/notices", "الإشعارات", "Avis à appliquer", SIGNERS),
    Entry("/documents", "الوثائق المسلمة", "Documents délivrés", STAFF),
    Entry("/search", "البحث", "Recherche", STAFF | {"ministry"}),
    Entry("/audit", "التدقيق", "Audit", OVERSIGHT),
    Entry(
        "/me/trail",
        "من اطلع على رسومي",
        "Qui a consulté mes actes",
        frozenset({"citizen"}),
    ),
)


def menu(role: str | None) -> list[Entry]:
    """The entries a role sees, in the order declared."""
    return [entry for entry in MENU if role in entry.roles]
