"""Many batches at once: reconciled and loaded side by side in worker processes
(PostgreSQL), one after the other on SQLite; the same acts either way."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from sqlalchemy import func, select

from sijill.config import Settings
from sijill.digitize.batches import BatchSpec, import_keyed_file
from sijill.digitize.load import act_id_of
from sijill.digitize.parallel import in_turns, registry_of, run_batches
from sijill.digitize.tables import batches
from sijill.domain.identifiers import ActRef
from sijill.domain.offices import SYSTEM, Actor
from sijill.search.index import indexed, indexed_tokens
from sijill.services import journal, offices
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.synthetic.keyed import KeyedAct, Keying, as_csv, as_jsonl, keyed_rows
from tests.builders import FES, accept_batch

OTHER = "03.231.01.01"  # an arrondissement of Fès, an office of its own
ACTS = 45


def team(reg: Registry, office: str) -> dict[str, Actor]:
    offices.create_office(reg, actor=SYSTEM, commune_code=office)
    people = {}
    for role, username in (
        ("keyer", f"keyer.{office}"),
        ("keyer2", f"keyer2.{office}"),
        ("adjudicator", f"adjudicator.{office}"),
        ("reviewer", f"reviewer.{office}"),
    ):
        offices.appoint_staff(
            reg,
            actor=SYSTEM,
            office=office,
            username=username,
            role=role.rstrip("2"),
            full_name_ar="سعيد العمراني",
            full_name_fr="Said El Amrani",
        )
        people[role] = Actor(username, role.rstrip("2"), office)
    return people


def keyed_batch(
    reg: Registry, tmp: Path, people: dict[str, Actor], batch_id: str, year: int
) -> list[KeyedAct]:
    office = people["keyer"].office
    assert office is not None
    acts = list(Keying(year, office=office, year=year, error_rate=0.05).acts(ACTS))
    spec = BatchSpec(batch_id, office, "birth", year, 1, 10, "scan/{page}.tif")
    files = (("keyer", "first", as_csv, "csv"), ("keyer2", "second", as_jsonl, "jsonl"))
    for keyer, which, written, extension in files:
        path = tmp / f"{batch_id}-{which}.{extension}"
        rows = keyed_rows(acts, people[keyer].username, which)
        path.write_text(written(rows), encoding="utf-8")
        import_keyed_file(reg, actor=people[keyer], spec=spec, path=path)
    return acts


def test_batches_of_two_offices_reconcile_and_load_side_by_side(
    registry: Registry, database_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    opener = partial(registry_of, settings)
    fes, other = team(registry, FES), team(registry, OTHER)
    keyed = {
        "FES-1962": (fes, keyed_batch(registry, tmp_path, fes, "FES-1962", 1962)),
        "FES-1963": (fes, keyed_batch(registry, tmp_path, fes, "FES-1963", 1963)),
        "ARR-1962": (other, keyed_batch(registry, tmp_path, other, "ARR-1962", 1962)),
    }
    order = ["FES-1962", "FES-1963", "ARR-1962"]
    # Office after office in turn, each office's batches in the order given.
    assert in_turns(registry, [*order, "NO-SUCH"]) == [
        "FES-1962",
        "ARR-1962",
        "FES-1963",
        "NO-SUCH",
    ]

    seen: list[tuple[str, int, int]] = []
    outcomes = run_batches(
        registry,
        "reconcile",
        order,
        actor=SYSTEM,
        open_registry=opener,
        workers=2,
        progress=lambda step, done, total: seen.append((step, done, total)),
    )
    assert [(o.batch_id, o.acts, o.error) for o in outcomes] == [
        (b, ACTS, None) for b in order
    ]
    assert seen[-1] == ("reconcile", 3 * ACTS, 3 * ACTS)
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)

    for batch_id, (people, acts) in keyed.items():
        accept_batch(
            registry,
            adjudicator=people["adjudicator"],
            reviewer=people["reviewer"],
            batch_id=batch_id,
            scan={(a.page, a.line): a.truth for a in acts},
        )
    outcomes = run_batches(
        registry, "load", order, actor=SYSTEM, open_registry=opener, workers=2
    )
    assert [(o.batch_id, o.acts, o.error) for o in outcomes] == [
        (b, ACTS, None) for b in order
    ]

    with registry.engine.connect() as conn:
        status = dict(conn.execute(select(batches.c.batch_id, batches.c.status)).all())
        assert status == dict.fromkeys(order, "loaded")
        loaded = {
            (r.office_code, r.ref): r.data
            for r in conn.execute(
                select(t.acts.c.office_code, t.acts.c.ref, t.acts.c.data)
            )
        }
        tokens = indexed_tokens(conn)
    # Every act once, under its reference, with the data the scan gives.
    expected = {
        (
            people["keyer"].office,
            str(ActRef(people["keyer"].office or "", year, "birth", n)),
        )
        for batch_id, (people, acts) in keyed.items()
        for year in [int(batch_id[-4:])]
        for n in range(1, ACTS + 1)
    }
    assert set(loaded) == expected
    for (_, ref), data in loaded.items():
        assert tokens[act_id_of(ref)] == set(
            indexed(act_id_of(ref), "birth", data).tokens
        )
    assert all(r.ok for r in journal.verify_journal(registry, actor=SYSTEM))

    # Run again: nothing changes.
    again = run_batches(
        registry, "load", order, actor=SYSTEM, open_registry=opener, workers=2
    )
    assert [(o.acts, o.error) for o in again] == [(ACTS, None)] * 3
    with registry.engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(t.acts)).scalar() == 3 * ACTS
        )


def test_a_batch_that_fails_is_reported_and_the_others_go_on(
    registry: Registry, database_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    fes, other = team(registry, FES), team(registry, OTHER)
    keyed_batch(registry, tmp_path, fes, "FES-1962", 1962)
    keyed_batch(registry, tmp_path, other, "ARR-1962", 1962)
    outcomes = run_batches(
        registry,
        "reconcile",
        ["FES-1962", "NO-SUCH", "ARR-1962"],
        actor=SYSTEM,
        open_registry=partial(registry_of, settings),
        workers=2,
    )
    assert [(o.batch_id, o.acts) for o in outcomes] == [
        ("FES-1962", ACTS),
        ("NO-SUCH", 0),
        ("ARR-1962", ACTS),
    ]
    assert [o.error is None for o in outcomes] == [True, False, True]
    error = outcomes[1].error
    assert error is not None and error["code"] == "not_found"
    assert error["message_ar"] and error["message_fr"]
    # Loading a batch not yet accepted is refused by name; nothing is loaded.
    refused = run_batches(
        registry,
        "load",
        ["FES-1962", "ARR-1962"],
        actor=SYSTEM,
        open_registry=partial(registry_of, settings),
        workers=2,
    )
    assert [o.error and o.error["code"] for o in refused] == ["conflict", "conflict"]
    with registry.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.acts)).scalar() == 0
