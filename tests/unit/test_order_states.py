"""The order and envelope state machine: never a step back, an end stays an end."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from sijill.domain.errors import Conflict, InvalidInput
from sijill.domain.orders import (
    RANK,
    STATUSES,
    TERMINAL,
    TRANSITIONS,
    advance,
    is_tracking_number,
    tracking_number,
)


@given(st.lists(st.sampled_from(STATUSES), max_size=40))
def test_an_order_never_moves_back_and_an_end_is_final(asked: list[str]) -> None:
    status, seen = "received", ["received"]
    for new in asked:
        try:
            status = advance(status, new)
        except (Conflict, InvalidInput):
            continue
        assert RANK[status] >= RANK[seen[-1]]
        assert seen[-1] not in TERMINAL
        seen.append(status)
    for done, after in itertools.pairwise(seen):
        assert done not in TERMINAL or after == done


def test_every_declared_move_goes_forward_and_ends_have_none() -> None:
    for current, moves in TRANSITIONS.items():
        assert all(RANK[new] >= RANK[current] for new in moves)
    assert all(not TRANSITIONS[end] for end in TERMINAL)


@given(st.integers(min_value=0, max_value=10**9))
def test_every_tracking_number_carries_a_valid_check_digit(serial: int) -> None:
    number = tracking_number(serial)
    assert is_tracking_number(number)
    wrong = number[:10] + str((int(number[10]) + 1) % 10) + number[11:]
    assert not is_tracking_number(wrong)


def test_the_check_digit_is_the_upu_s10_one() -> None:
    assert tracking_number(47312482) == "RR473124829MA"  # the UPU S10 worked example
