"""Folding names to a comparison form; what was registered is never replaced by it."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None}
)


@lru_cache(maxsize=1 << 16)  # script(), name_words() and every key fold the same names
def fold(text: str) -> str:
    """A comparison form: no diacritics or tatweel, one alef, lower-case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = unicodedata.normalize("NFC", bare).translate(_ARABIC_FOLD).lower()
    return " ".join(bare.replace("-", " ").split())
