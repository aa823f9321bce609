"""The rules of decree 2.22.04 on first names.

A first name may not be a family name, count more than two names, be a place or
tribe name, be or contain a title (Moulay, Sidi, Lalla), contain digits, or offend.
The checks compare *folded* forms (no diacritics, hamza or case differences) so that
a rule is not dodged by a spelling variant; what was typed is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sijill.domain.errors import Violation
from sijill.domain.firstnames import ESTABLISHED_FIRST_NAMES
from sijill.domain.folding import fold

TITLES = {
    "مولاي": "Moulay",
    "مولاى": "Moulay",
    "سيدي": "Sidi",
    "سيدى": "Sidi",
    "لالة": "Lalla",
    "لالا": "Lalla",
    "للا": "Lalla",
    "moulay": "Moulay",
    "mulay": "Moulay",
    "mly": "Moulay",
    "sidi": "Sidi",
    "sidy": "Sidi",
    "lalla": "Lalla",
    "lala": "Lalla",
}
# Compound first names count as one name: عبد الله, أبو بكر, Abdel Kader, Abou Bakr.
_COMPOUND_PREFIXES = {
    "عبد",
    "ابو",
    "abd",
    "abdel",
    "abdal",
    "abdul",
    "abou",
    "abu",
    "bou",
}
TRIBES = {
    "زيان",
    "zayane",
    "زمور",
    "zemmour",
    "غياثة",
    "ghiata",
    "حاحا",
    "haha",
    "دكالة",
    "doukkala",
    "عبدة",
    "abda",
    "الشاوية",
    "chaouia",
    "تكنة",
    "tekna",
    "الركيبات",
    "reguibat",
    "بني يزناسن",
    "beni snassen",
    "مصمودة",
    "masmouda",
}
OFFENSIVE = {"ابليس", "iblis", "شيطان", "chitane", "chaytane", "shaytan"}
COMMON_FAMILY_NAMES = {
    "الادريسي",
    "el idrissi",
    "idrissi",
    "العلوي",
    "alaoui",
    "el alaoui",
    "بناني",
    "bennani",
    "التازي",
    "tazi",
    "الفاسي",
    "el fassi",
    "fassi",
    "بنجلون",
    "benjelloun",
    "الصقلي",
    "sqalli",
    "berrada",
    "برادة",
    "العمراني",
    "el amrani",
    "amrani",
    "الوزاني",
    "ouazzani",
    "el ouazzani",
    "بنكيران",
    "benkirane",
    "الشرقاوي",
    "cherkaoui",
    "el cherkaoui",
    "lahlou",
    "لحلو",
    "benani",
}

_DIGITS = re.compile(r"\d")
_ARTICLES = {"el", "al", "ed", "ad", "er", "es", "ez", "ech", "et"}


# The lists above are written as people spell them; rules compare folded forms.
TITLES = {fold(k): v for k, v in TITLES.items()}
TRIBES = {fold(n) for n in TRIBES}
OFFENSIVE = {fold(n) for n in OFFENSIVE}
COMMON_FAMILY_NAMES = {fold(n) for n in COMMON_FAMILY_NAMES}
_COMPOUND_PREFIXES = {fold(n) for n in _COMPOUND_PREFIXES}


def count_names(first_name: str) -> int:
    """How many names a first name holds, a compound such as عبد الله counting once."""
    count, joined = 0, False
    # A standalone Latin article belongs to the name it precedes: Nour El Houda.
    for token in (t for t in fold(first_name).split() if t not in _ARTICLES):
        if joined:
            joined = False
            continue
        count += 1
        joined = token in _COMPOUND_PREFIXES
    return count


def first_name_violations(
    field: str,
    first_name: str,
    *,
    family_names: Iterable[str] = (),
    place_names: frozenset[str] = frozenset(),
) -> list[Violation]:
    """Every rule of decree 2.22.04 that ``first_name`` breaks (empty when it is valid)."""
    found: list[Violation] = []
    folded = fold(first_name)
    tokens = folded.split()
    if _DIGITS.search(first_name):
        found.append(Violation(field, "name.digits"))
    titles = [TITLES[t] for t in tokens if t in TITLES]
    if titles:
        found.append(Violation(field, "name.title", {"title": titles[0]}))
    if count_names(first_name) > 2:
        found.append(
            Violation(field, "name.too_many", {"count": count_names(first_name)})
        )
    families = {fold(n) for n in family_names if n} | COMMON_FAMILY_NAMES
    if folded in families:
        found.append(Violation(field, "name.family_name"))
    if folded in TRIBES or (
        folded in place_names and folded not in ESTABLISHED_FIRST_NAMES
    ):
        found.append(Violation(field, "name.place", {"place": first_name}))
    if any(t in OFFENSIVE for t in tokens) or folded in OFFENSIVE:
        found.append(Violation(field, "name.offensive"))
    return found
