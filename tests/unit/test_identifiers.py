"""The civil identifier and the act reference."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijill.domain.errors import InvalidInput
from sijill.domain.identifiers import ActRef, is_valid_civil_id, new_civil_id

civil_ids = st.integers(min_value=0, max_value=899_999_999).map(
    lambda n: new_civil_id(lambda _bound: n)
)


@given(civil_ids)
def test_a_civil_identifier_has_ten_digits_and_a_valid_check_digit(
    civil_id: str,
) -> None:
    assert len(civil_id) == 10 and civil_id.isdigit() and civil_id[0] != "0"
    assert is_valid_civil_id(civil_id)


@given(civil_ids, st.integers(0, 9), st.integers(1, 9))
def test_any_single_mistyped_digit_is_caught(
    civil_id: str, position: int, shift: int
) -> None:
    typo = (
        civil_id[:position]
        + str((int(civil_id[position]) + shift) % 10)
        + civil_id[position + 1 :]
    )
    assert not is_valid_civil_id(typo)


@given(civil_ids, st.integers(0, 8))
def test_any_swap_of_two_neighbouring_digits_is_caught(
    civil_id: str, position: int
) -> None:
    a, b = civil_id[position], civil_id[position + 1]
    if a == b:
        return
    swapped = civil_id[:position] + b + a + civil_id[position + 2 :]
    assert not is_valid_civil_id(swapped)


def test_civil_identifiers_are_random() -> None:
    rng = random.Random(7)
    ids = {new_civil_id(rng.randrange) for _ in range(1000)}
    assert len(ids) == 1000


@given(
    st.sampled_from(["03.231.01.0", "C-FR-PARIS", "03.231.01.0-A1"]),
    st.integers(1900, 2100),
    st.sampled_from(["birth", "death"]),
    st.integers(1, 10**6),
)
def test_an_act_reference_reads_back_as_written(
    office: str, year: int, kind: str, number: int
) -> None:
    ref = ActRef(office, year, kind, number)
    assert ActRef.parse(str(ref)) == ref


@pytest.mark.parametrize(
    "text",
    [
        "",
        "03.231.01.0/2026/X/1",
        "03.231.01.0/2026/N/0",
        "03.231.01.0/26/N/1",
        "a/b/c/d",
        "03.231.01.0/2026/N/-1",
    ],
)
def test_a_malformed_reference_is_refused_with_the_rule(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ActRef.parse(text)
    assert refused.value.violations[0].rule == "act.ref_format"
