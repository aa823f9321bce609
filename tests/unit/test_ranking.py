"""Ranking a candidate: the field closest to each asked word."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sijill.domain.namekeys import compare
from sijill.search.ranking import _closest, _spellings
from sijill.synthetic import Generator, latin_spelling_variants

words = st.sampled_from(
    ["Mohamed", "محمد", "Alami", "العلمي", "Elalami", "Fatima", "Zahra", "ben", "Ali"]
)


@given(seed=st.integers(0, 10_000), pick=st.integers(0, 100), other=words)
def test_the_closest_field_is_as_close_as_the_best_of_all_fields(
    seed: int, pick: int, other: str
) -> None:
    # A field with the asked word's own key ends the search for the closest: none
    # can be closer, so the score is that of weighing every field.
    gen = Generator(seed)
    child = gen.birth(date(2020, 6, 1), office_commune_code=gen.office().code)["child"]
    fields = _spellings(child).fields
    own = [w for f in fields for w in f.split()]
    asked = [*own, *(v for w in own for v in latin_spelling_variants(w)), other]
    word = asked[pick % len(asked)]
    best = max(compare(word, name).similarity for name in fields)
    comparison, name = _closest(word, fields)
    assert comparison.similarity == best
    assert comparison == compare(word, name) and name in fields
