"""Deterministic, realistic synthetic Moroccan civil status data for tests, benchmarks
and the demo: births, deaths, mentions, and the spelling variants clerks really key.
"""

from __future__ import annotations

from sijill.synthetic.generator import Generator, person_of, registration_moment
from sijill.synthetic.names import (
    arabic_variants,
    latin_spelling_variants,
    latin_variants,
    to_tifinagh,
)

__all__ = [
    "Generator",
    "arabic_variants",
    "latin_spelling_variants",
    "latin_variants",
    "person_of",
    "registration_moment",
    "to_tifinagh",
]
