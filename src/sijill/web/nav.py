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
SIGNERS = frozenset({"officer", "delegate"})
DIGITIZERS = frozenset({"keyer", "adjudicator", "reviewer", "officer", "delegate"})


@dataclass(frozen=True, slots=True)
class Entry:
    href: str
    ar: str
    fr: str
    roles: frozenset[str]
    # A screen only the central registry serves (an office server has no such page).
    centre_only: bool = False

    def text(self, lang: str) -> str:
        return self.ar if lang == "ar" else self.fr


MENU: tuple[Entry, ...] = (
    Entry("/declare/birth", "تصريح بولادة", "Déclarer une naissance", STAFF),
    Entry("/declare/death", "تصريح بوفاة", "Déclarer un décès", STAFF),
    Entry("/predeclarations", "التصاريح المسبقة", "Pré-déclarations", STAFF),
    Entry("/drafts", "المسودات للتوقيع", "Projets à signer", STAFF),
    Entry("/notices", "الإشعارات", "Avis à appliquer", SIGNERS),
    Entry("/documents", "الوثائق المسلمة", "Documents délivrés", STAFF),
    Entry("/search", "البحث", "Recherche", STAFF | {"ministry"}),
    Entry("/digitize", "الرقمنة", "Numérisation", DIGITIZERS),
    Entry("/supervise", "الإشراف", "Supervision", OVERSIGHT),
    Entry(
        "/rulings",
        "إرسال حكم أو إذن",
        "Transmettre un jugement",
        frozenset({"court", "prosecutor"}),
        centre_only=True,
    ),
    Entry(
        "/duplicates",
        "المكررات المشتبه بها",
        "Doublons suspects",
        OVERSIGHT | frozenset({"officer", "delegate"}),
    ),
    Entry("/audit", "التدقيق", "Audit", OVERSIGHT),
    Entry(
        "/rollout",
        "تعميم المكاتب",
        "Déploiement",
        frozenset({"ministry"}),
        centre_only=True,
    ),
    Entry(
        "/rollout/onboard",
        "إدماج مكتب",
        "Mettre un bureau en service",
        frozenset({"ministry"}),
        centre_only=True,
    ),
    Entry(
        "/rollout/keys",
        "مفاتيح المكاتب",
        "Clés des bureaux",
        frozenset({"ministry"}),
        centre_only=True,
    ),
    Entry(
        "/orders/new",
        "طلب وثيقة",
        "Commander un document",
        frozenset({"citizen"}) | STAFF,
        centre_only=True,
    ),
    Entry(
        "/orders/mine",
        "طلباتي",
        "Mes commandes",
        frozenset({"citizen"}),
        centre_only=True,
    ),
    Entry(
        "/orders/track",
        "تتبع طلب",
        "Suivre une commande",
        frozenset({"citizen"}) | STAFF,
        centre_only=True,
    ),
    Entry("/orders/to-produce", "الطلبات", "Commandes à établir", STAFF),
    Entry(
        "/envelopes",
        "الأظرفة",
        "Enveloppes",
        frozenset({"post_operator"}),
        centre_only=True,
    ),
    Entry(
        "/me/trail",
        "من اطلع على رسومي",
        "Qui a consulté mes actes",
        frozenset({"citizen"}),
    ),
)


def menu(role: str | None, server: str = "office") -> list[Entry]:
    """The entries a role sees on a ``server`` ("office" or "central"), in order."""
    return [
        entry
        for entry in MENU
        if role in entry.roles and (server == "central" or not entry.centre_only)
    ]
