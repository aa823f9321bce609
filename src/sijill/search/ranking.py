"""Ranking candidate acts: how well each asked name matches, and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from sijill.domain.namekeys import (
    MAYBE,
    Comparison,
    arabic_key,
    compare,
    latin_key,
    name_words,
    script,
)
from sijill.search.index import person_in


class Names(NamedTuple):
    """A person's names as ranking weighs them: each name field, and the full names
    (first and family names together), in both scripts."""

    fields: tuple[str, ...]
    full: tuple[str, ...]


def names_of(field: str, kind: str, data: Mapping[str, Any]) -> Names:
    """The names an act gives the person a search ``field`` asks about, in both scripts."""
    if field == "name":
        return _spellings(person_in(kind, data))
    return parent_names(field, data)


def parent_names(field: str, data: Mapping[str, Any]) -> Names:
    """The names of the ``father`` or ``mother`` in a declaration, or in what the
    name index keeps of it (``index.parents_of``)."""
    parent = data.get(field)
    if isinstance(parent, Mapping):
        return _spellings(parent)
    full = data.get(f"{field}_name")
    return Names((), (full,) if isinstance(full, str) and full else ())


def person_names(act: Any) -> Names:
    """The names of the act's own person (child or deceased) as its columns hold them:
    the same as ``names_of("name", …)`` reads from the declaration."""
    return _person_names(
        act.first_name_ar, act.family_name_ar, act.first_name_lat, act.family_name_lat
    )


@lru_cache(maxsize=1 << 14)  # a common name's candidates share their spellings
def _person_names(
    first_ar: str, family_ar: str, first_lat: str, family_lat: str
) -> Names:
    return _spellings(
        {
            "first_name_ar": first_ar,
            "family_name_ar": family_ar,
            "first_name_lat": first_lat,
            "family_name_lat": family_lat,
        }
    )


def _spellings(person: Mapping[str, Any]) -> Names:
    fields: list[str] = []
    full: list[str] = []
    for written in ("ar", "lat"):
        first = str(person.get(f"first_name_{written}") or "")
        family = str(person.get(f"family_name_{written}") or "")
        fields += [n for n in (first, family) if n]
        if first and family:
            full.append(f"{first} {family}")
    return Names(tuple(fields), tuple(full))


def best_match(words: Sequence[str], names: Names) -> tuple[float, str]:
    """How well the asked ``words`` match the best of ``names`` (0–1), and why."""
    # The candidates of a search mostly share their spellings: each is weighed once.
    return _best_match(tuple(words), names)


@lru_cache(maxsize=1 << 14)
def _best_match(words: tuple[str, ...], names: Names) -> tuple[float, str]:
    if not names.fields and not names.full:
        return 0.0, "no name recorded"
    asked = [w.rstrip("*") for w in words]
    score, reason = 0.0, ""
    if names.fields:
        # Each word against its best name field: Mohamed Alaoui finds Alaoui Mohamed.
        parts = [_closest(w, names.fields) for w in asked]
        score = sum(c.similarity for c, _ in parts) / len(parts)
        reason = "; ".join(f"{c.reason} ({n})" for c, n in parts)
    if score < 1.0:
        # The words together against a whole name or field: Abd Allah is Abdellah,
        # Mohamedalaoui is Mohamed Alaoui. Not needed when every word is a field.
        whole = max((compare(" ".join(asked), n), n) for n in names.full + names.fields)
        if whole[0].similarity > score:
            score, reason = whole[0].similarity, f"{whole[0].reason} ({whole[1]})"
    prefixes = [w for w in words if w.endswith("*")]
    missing = [w.rstrip("*") for w in prefixes if not _begins(w.rstrip("*"), names)]
    if missing:
        # The index reads the first letters of a prefix only: Alaou* met Alami there.
        return 0.0, f"no name begins with {', '.join(missing)}"
    if prefixes and score < MAYBE:
        return MAYBE, f"begins with {', '.join(w.rstrip('*') for w in prefixes)}"
    return score, reason


def _closest(word: str, fields: Sequence[str]) -> tuple[Comparison, str]:
    # The field closest to an asked word. One with the word's own key is as close as
    # any can be, so the others are not weighed: most candidates hold the word asked,
    # and weighing a name of the other script costs a transliteration.
    written, key = script(word), _key(word)
    for name in fields:
        if script(name) == written and _key(name) == key:
            return compare(word, name), name
    return max((compare(word, name), name) for name in fields)


def _begins(stem: str, names: Names) -> bool:
    # A word of one of the names, in the prefix's script, whose key begins with its key.
    written = script(stem)
    key = _key(stem)
    return any(
        _key(word).startswith(key)
        for name in names.fields + names.full
        for word in name_words(name)
        if script(word) == written
    )


def _key(word: str) -> str:
    return (arabic_key if script(word) == "ar" else latin_key)(word)
