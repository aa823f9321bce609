"""Bulk work runs the cyclic collector less often, and gives the setting back."""

from __future__ import annotations

import gc

import pytest

from sijill.store.bulk import fewer_collections


def test_the_collectors_setting_is_raised_for_the_work_and_given_back() -> None:
    before = gc.get_threshold()

    @fewer_collections(young=50_000)
    def work() -> tuple[int, int, int]:
        return gc.get_threshold()

    assert work() == (50_000, *before[1:])
    assert gc.get_threshold() == before

    @fewer_collections(young=60_000)
    def failing() -> None:
        assert gc.get_threshold()[0] == 60_000
        raise RuntimeError("the work failed")

    with pytest.raises(RuntimeError, match="the work failed"):
        failing()
    assert gc.get_threshold() == before
