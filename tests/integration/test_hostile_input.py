"""Random and hostile input: a clear error naming the field, nothing half-written."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sijill.domain.errors import DomainError, InvalidInput
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import acts, drafts, journal, queries
from sijill.services.context import Registry
from sijill.services.offices import staff_actor
from sijill.store import tables as t
from tests.builders import FES, Staffed, birth, marriage, open_office, signed_birth

hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs"]), max_size=5),
    st.sampled_from(
        [
            "",
            " ",
            "2026-02-30",
            "9999-12-31",
            "0001-01-01",
            "24:00",
            "محمد",
            "Robert'); DROP TABLE acts;--",
            "<script>alert(1)</script>",
            "ـــ",
            "ⴰⵎⴰⵣⵉⵖ",
            "x" * 5000,
            "1e9",
            "\u202eevil",
        ]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=3),
)


def _paths(value: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(value, dict):
        return [prefix]
    found = [prefix] if prefix else []
    for key, item in value.items():
        found += _paths(item, (*prefix, key))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        if not paths:  # every key was removed already: nothing is left to mutate
            break
        path = draw(st.sampled_from(paths))
        node = data
        for key in path[:-1]:
            node = (
                node[key]
                if isinstance(node, dict) and isinstance(node.get(key), dict)
                else {}
            )
        if draw(st.booleans()):
            node.pop(path[-1], None)
        else:
            node[path[-1]] = draw(hostile_values)
    return data


def _acts(reg: Registry) -> list[tuple[Any, ...]]:
    with reg.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(t.acts).order_by(t.acts.c.ref))]


def _journal_size(reg: Registry) -> int:
    with reg.engine.connect() as conn:
        return int(
            conn.execute(select(func.count()).select_from(t.journal)).scalar_one()
        )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_declarations_are_refused_cleanly_and_change_no_act(
    registry: Registry, data: st.DataObject
) -> None:
    if not queries.list_offices(registry):
        signed_birth(registry, open_office(registry))
    office = Staffed(FES, *_actors(registry))
    before, size = _acts(registry), _journal_size(registry)
    declaration = data.draw(mutated(birth(registry.now().date() - timedelta(days=2))))
    try:
        draft = drafts.register_birth(
            registry, actor=office.clerk, office=office.code, data=declaration
        )
    except InvalidInput as refused:
        assert refused.violations and all(
            v.field and v.rule for v in refused.violations
        )
        assert all(v.message("ar") and v.message("fr") for v in refused.violations)
        assert _journal_size(registry) == size
    else:
        acts.sign_act(
            registry, actor=office.officer, office=office.code, draft_id=draft
        )
    after = {row[2]: row for row in _acts(registry)}  # keyed by ref
    assert all(after[row[2]] == row for row in before)
    assert all(r.ok for r in journal.verify_journal(registry, actor=SYSTEM))


def _actors(reg: Registry) -> tuple[Actor, Actor, Actor]:
    officer, delegate, clerk = (
        staff_actor(reg, f"{role}.{FES.replace('.', '')}")
        for role in ("officer", "delegate", "clerk")
    )
    return officer, delegate, clerk


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_mentions_and_references_are_refused_cleanly(
    registry: Registry, data: st.DataObject
) -> None:
    if not queries.list_offices(registry):
        signed_birth(registry, open_office(registry))
    officer = _actors(registry)[0]
    ref = f"{FES}/2026/N/1"
    before, size = _acts(registry), _journal_size(registry)
    mention = data.draw(mutated(marriage(registry.now().date())))
    target = data.draw(st.one_of(st.just(ref), st.text(max_size=40)))
    try:
        acts.add_mention(registry, actor=officer, ref=target, data=mention)
    except DomainError as refused:
        assert refused.message("ar") and refused.message("fr")
        assert _journal_size(registry) == size
    assert _acts(registry) == before
    assert all(r.ok for r in journal.verify_journal(registry, actor=SYSTEM))
