"""Digitized acts reach the centre like any other act: pushed, verified, applied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sijill.digitize import reconcile as rec
from sijill.digitize.batches import import_keyed_file
from sijill.digitize.load import load_accepted_batch
from sijill.digitize.tables import legacy_acts
from sijill.domain.journal import canonical_json, entry_digest
from sijill.domain.offices import SYSTEM, Actor
from sijill.search.index import indexed_tokens
from sijill.services import journal, offices
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.sync import centre as central
from sijill.sync import office as remote
from sijill.sync import projector
from sijill.sync.protocol import b64, unb64
from sijill.synthetic.keyed import Keying
from tests.builders import FES, RABAT, accept_batch
from tests.integration import test_network
from tests.integration.test_digitize import BATCH, keyed_files, spec
from tests.integration.test_network import Network, Office, _batch, _wire

network = test_network.network  # the fixture: a centre and its API, offices on SQLite

COUNT = 120


def _appoint(reg: Registry, role: str, username: str) -> Actor:
    offices.appoint_staff(
        reg,
        actor=SYSTEM,
        office=FES,
        username=username,
        role=role,
        full_name_ar="سعيد العمراني",
        full_name_fr="Said El Amrani",
    )
    return Actor(username, role, FES)


def digitized(office: Office, tmp: Path) -> int:
    """A register of Fès keyed twice, decided, reviewed and loaded in chunks of 50."""
    reg = office.reg
    keyer = _appoint(reg, "keyer", "keyer.one")
    _appoint(reg, "keyer", "keyer.two")
    adjudicator = _appoint(reg, "adjudicator", "adjudicator.fes")
    reviewer = _appoint(reg, "reviewer", "reviewer.fes")
    acts = list(Keying(5, office=FES, year=1962, error_rate=0.02).acts(COUNT))
    for path in keyed_files(tmp, acts):
        import_keyed_file(reg, actor=keyer, spec=spec(), path=path)
    rec.reconcile_batch(reg, actor=office.staff.officer, batch_id=BATCH)
    accept_batch(
        reg,
        adjudicator=adjudicator,
        reviewer=reviewer,
        batch_id=BATCH,
        scan={(a.page, a.line): a.truth for a in acts},
    )
    return load_accepted_batch(
        reg, actor=office.staff.officer, batch_id=BATCH, chunk=50
    )


def _held(reg: Registry, table: Any) -> list[tuple[str, ...]]:
    with reg.engine.connect() as conn:
        return sorted(
            tuple(str(v) for v in row)
            for row in conn.execute(select(table).where(table.c.office_code == FES))
        )


def test_digitized_acts_reach_the_centre_with_their_provenance_and_name_index(
    network: Network, tmp_path: Path
) -> None:
    fes = network.office(FES)
    assert digitized(fes, tmp_path) == COUNT
    report = remote.push(fes.reg, fes.client, FES)
    assert report.refused is None
    applied = projector.project(network.centre)
    assert applied.applied[FES] == report.held
    assert not applied.stalled
    acts = _held(network.centre, t.acts)
    assert len(acts) == COUNT
    assert acts == _held(fes.reg, t.acts)
    assert _held(network.centre, legacy_acts) == _held(fes.reg, legacy_acts)
    with network.centre.engine.connect() as centre, fes.reg.engine.connect() as office:
        held = indexed_tokens(centre, FES)
        assert len(held) == COUNT and held == indexed_tokens(office, FES)
    with network.centre.engine.connect() as conn:
        chunks = conn.execute(
            select(t.journal.c.seq).where(
                t.journal.c.office_code == FES,
                t.journal.c.event_type == "LegacyActsLoaded",
            )
        ).all()
    assert len(chunks) == 3  # 120 acts in chunks of 50, each signed by the office
    verified = journal.verify_journal(network.centre, actor=SYSTEM, office=FES)[0]
    assert verified.ok and verified.entries == report.held


def test_a_chunk_naming_an_act_of_another_office_is_refused(
    network: Network, tmp_path: Path
) -> None:
    fes = network.office(FES)
    network.office(RABAT)
    digitized(fes, tmp_path)
    wire = _wire(fes)
    last = wire[-1]
    payload = json.loads(unb64(last["payload"]))
    assert payload["type"] == "LegacyActsLoaded"
    payload["acts"][0]["ref"] = f"{RABAT}/1962/N/{payload['acts'][0]['number']}"
    # Even signed by Fès's own key, a chunk that writes one of Rabat's acts is refused.
    raw = canonical_json(payload)
    last["payload"] = b64(raw)
    last["entry_hash"] = entry_digest(FES, last["seq"], last["prev_hash"], raw)
    last["signature"] = b64(
        fes.reg.keys.signer(FES).sign(bytes.fromhex(last["entry_hash"]))
    )
    result = central.receive_batch(network.centre, body=_batch(fes, wire))
    assert result.refused_seq == last["seq"]
    assert "another office" in (result.reason or "")
    network.settle()
    with network.centre.engine.connect() as conn:
        held = conn.execute(
            select(t.acts.c.ref).where(t.acts.c.office_code == FES)
        ).all()
        loaded = conn.execute(select(legacy_acts.c.act_id)).all()
    assert len(held) == len(loaded) == COUNT - 20  # the chunks before it, applied
