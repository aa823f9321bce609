"""Folding names to a comparison form; what was registered is never replaced by it."""

from __future__ import annotations

import unicodedata

_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None}
)


def fold(text: str) -> str:
    """A comparison form: no diacritics or tatweel, one alef, lower-case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = unicodedata.normalize("NFC", bare).translate(_ARABIC_FOLD).lower()
    return " ".join(bare.replace("-", " ").split())
