"""Ranking candidate acts: how well each asked name matches, and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sijill.domain.namekeys import (
    MAYBE,
    arabic_key,
    compare,
    latin_key,
    name_words,
    script,
)


def names_of(field: str, kind: str, data: Mapping[str, Any]) -> list[str]:
    """The names an act gives the person a search ``field`` asks about, in both scripts."""
    if field == "name":
        person = data.get("child" if kind == "birth" else "deceased") or {}
        return _spellings(person)
    parent = data.get(field)
    if isinstance(parent, Mapping):
        return _spellings(parent)
    full = data.get(f"{field}_name")
    return [full] if isinstance(full, str) and full else []


def person_names(act: Any) -> list[str]:
    """The names of the act's own person (child or deceased) as its columns hold them:
    the same as ``names_of("name", …)`` reads from the declaration."""
    return _spellings(
        {
            "first_name_ar": act.first_name_ar,
            "family_name_ar": act.family_name_ar,
            "first_name_lat": act.first_name_lat,
            "family_name_lat": act.family_name_lat,
        }
    )


def _spellings(person: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for written in ("ar", "lat"):
        first = str(person.get(f"first_name_{written}") or "")
        family = str(person.get(f"family_name_{written}") or "")
        out += [f"{first} {family}".strip(), first, family]
    return [n for n in out if n]


def best_match(words: Sequence[str], names: Sequence[str]) -> tuple[float, str]:
    """How well the asked ``words`` match the best of ``names`` (0–1), and why."""
    # The candidates of a search mostly share their spellings: each is weighed once.
    return _best_match(tuple(words), tuple(names))


@lru_cache(maxsize=1 << 14)
def _best_match(words: tuple[str, ...], names: tuple[str, ...]) -> tuple[float, str]:
    if not names:
        return 0.0, "no name recorded"
    asked = [w.rstrip("*") for w in words]
    whole = max((compare(" ".join(asked), n), n) for n in names)
    score, reason = whole[0].similarity, f"{whole[0].reason} ({whole[1]})"
    if len(asked) > 1:
        # Each word against its best name part: Mohamed Alaoui finds Alaoui Mohamed.
        parts = [max((compare(w, n), n) for n in names) for w in asked]
        mean = sum(c.similarity for c, _ in parts) / len(parts)
        if mean > score:
            score = mean
            reason = "; ".join(f"{c.reason} ({n})" for c, n in parts)
    prefixes = [w for w in words if w.endswith("*")]
    missing = [w.rstrip("*") for w in prefixes if not _begins(w.rstrip("*"), names)]
    if missing:
        # The index reads the first letters of a prefix only: Alaou* met Alami there.
        return 0.0, f"no name begins with {', '.join(missing)}"
    if prefixes and score < MAYBE:
        return MAYBE, f"begins with {', '.join(w.rstrip('*') for w in prefixes)}"
    return score, reason


def _begins(stem: str, names: Sequence[str]) -> bool:
    # A word of one of the names, in the prefix's script, whose key begins with its key.
    written = script(stem)
    key = _key(stem)
    return any(
        _key(word).startswith(key)
        for name in names
        for word in name_words(name)
        if script(word) == written
    )


def _key(word: str) -> str:
    return (arabic_key if script(word) == "ar" else latin_key)(word)
