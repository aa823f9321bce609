"""Each office's audit chain reaches the centre, verified link by link: the citizen's
trail at the centre names accesses made at any office, and an office that rewrites its
log after sending it is found out."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text

from sijill.auth import accounts
from sijill.domain.errors import InvalidInput
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import audit, queries
from sijill.store import tables as t
from sijill.store.audit import own_chain_after
from sijill.sync.audit import push_audit, receive_audit
from sijill.sync.client import CentreClient, CentreRefused
from sijill.sync.status import note_link
from tests.builders import FES, RABAT, signed_birth
from tests.integration import test_network
from tests.integration.test_network import Network, Office

network = test_network.network  # the centre and its offices, as the network tests use


def _synced(net: Network, office: Office) -> int:
    """One round as the agent does it: journal, then audit chain; how many audit
    entries the centre took."""
    office.sync(net)
    return push_audit(office.reg, office.client, office.staff.code)


def _held(net: Network, origin: str) -> int:
    with net.centre.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(t.office_audit)
                .where(t.office_audit.c.origin == origin)
            ).scalar_one()
        )


def _alarms(net: Network, kind: str) -> int:
    with net.centre.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(t.alarms)
                .where(t.alarms.c.kind == kind)
            ).scalar_one()
        )


def _rewind(office: Office) -> None:
    """The office forgets what the centre holds, as after a lost answer."""
    with office.reg.engine.begin() as conn:
        note_link(conn, office.staff.code, audit_pushed_seq=0)


def _own_entries(office: Office) -> list[dict[str, Any]]:
    with office.reg.engine.connect() as conn:
        return own_chain_after(conn, 0, 10_000)[0]


def test_a_citizens_trail_at_the_centre_names_accesses_made_at_an_office(
    network: Network,
) -> None:
    fes = network.office(FES)
    ref = str(signed_birth(fes.reg, fes.staff))
    civil_id = queries.get_act(fes.reg, actor=fes.staff.clerk, ref=ref).civil_id
    assert civil_id is not None
    taken = _synced(network, fes)
    assert taken == len(_own_entries(fes)) > 0
    accounts.open_account(
        network.centre,
        actor=SYSTEM,
        username="youssef",
        role="citizen",
        civil_id=civil_id,
    )
    trail = audit.citizen_trail(network.centre, actor=Actor("youssef", "citizen"))
    seen = [(a.action, a.username) for a in trail]
    assert ("act.sign", fes.staff.officer.username) in seen
    assert ("act.read", fes.staff.clerk.username) in seen
    # A supervisor or the ministry querying at the centre sees them too.
    found = audit.query_audit(
        network.centre, actor=Actor("ministry.demo", "system"), person=ref
    )
    assert {(r["origin"], r["username"]) for r in found} >= {
        (FES, fes.staff.clerk.username)
    }
    assert audit.verify_audit(network.centre, actor=SYSTEM).ok


def test_sending_again_stores_nothing_twice(network: Network) -> None:
    fes = network.office(FES)
    signed_birth(fes.reg, fes.staff)
    audit.checkpoint_audit(fes.reg, actor=SYSTEM)
    first = _synced(network, fes)
    held = _held(network, FES)
    assert first == held > 0
    assert push_audit(fes.reg, fes.client, FES) == 0
    _rewind(fes)
    assert push_audit(fes.reg, fes.client, FES) == 0
    assert _held(network, FES) == held
    with network.centre.engine.connect() as conn:
        points = conn.execute(select(t.office_audit_checkpoints.c.seq)).scalars().all()
    assert len(points) == 1


def test_an_office_that_rewrites_what_it_sent_is_refused_and_alarmed(
    network: Network,
) -> None:
    fes = network.office(FES)
    ref = str(signed_birth(fes.reg, fes.staff))
    queries.get_act(fes.reg, actor=fes.staff.clerk, ref=ref)
    _synced(network, fes)
    with network.centre.engine.connect() as conn:
        before = conn.execute(select(t.office_audit).order_by("seq")).all()
    # Someone with the office database in hand hides the clerk's reading of the act.
    with fes.reg.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(
            text("UPDATE audit_log SET username = 'nobody' WHERE action = 'act.read'")
        )
    _rewind(fes)
    assert push_audit(fes.reg, fes.client, FES) == 0
    with fes.reg.engine.connect() as conn:
        status = conn.execute(select(t.sync_status.c.last_error)).scalar_one()
    assert "different audit entry" in status
    assert _alarms(network, "audit.rewritten") == 1
    with network.centre.engine.connect() as conn:
        assert conn.execute(select(t.office_audit).order_by("seq")).all() == before


def test_a_gap_or_a_broken_link_stops_the_batch_there(network: Network) -> None:
    fes = network.office(FES)
    signed_birth(fes.reg, fes.staff)
    entries = _own_entries(fes)
    assert len(entries) >= 4
    gap = receive_audit(
        network.centre,
        office=FES,
        body={"office": FES, "entries": entries[:2] + entries[3:], "checkpoints": []},
    )
    assert (gap.held, gap.accepted, gap.refused_seq) == (2, 2, 3)
    assert gap.reason is not None and gap.reason.startswith("gap")
    forged = [dict(e) for e in entries]
    forged[3]["username"] = "nobody"
    broken = receive_audit(
        network.centre,
        office=FES,
        body={"office": FES, "entries": forged, "checkpoints": []},
    )
    assert (broken.held, broken.duplicates, broken.refused_seq) == (3, 2, 4)
    assert broken.reason == "audit entry does not match its hash"
    assert _held(network, FES) == 3


def test_a_checkpoint_not_signed_by_the_office_refuses_the_batch(
    network: Network,
) -> None:
    fes = network.office(FES)
    rabat = network.office(RABAT)
    signed_birth(fes.reg, fes.staff)
    audit.checkpoint_audit(fes.reg, actor=SYSTEM)
    with fes.reg.engine.connect() as conn:
        entries, points = own_chain_after(conn, 0, 10_000)
    assert len(points) == 1
    # The office's checkpoint, re-signed by another office's key.
    signer = rabat.reg.keys.signer(RABAT)
    from sijill.domain.audit import checkpoint_message

    point = points[0]
    forged = {
        **point,
        "key_id": signer.key_id,
        "public_key": signer.public_key_hex,
        "signature": signer.sign(
            checkpoint_message(
                point["seq"], point["entry_hash"], point["at"], signer.key_id
            )
        ).hex(),
    }
    with pytest.raises(InvalidInput):
        receive_audit(
            network.centre,
            office=FES,
            body={"office": FES, "entries": entries, "checkpoints": [forged]},
        )
    assert _held(network, FES) == 0
    assert _alarms(network, "audit.checkpoint") == 1


def test_malformed_batches_are_refused_naming_the_field(network: Network) -> None:
    network.office(FES)
    for body, field in (
        ({"office": RABAT, "entries": []}, "office"),
        ({"office": FES, "entries": "many"}, "entries"),
        ({"office": FES, "entries": [{"seq": 1}]}, "entries[0]"),
        ({"office": FES, "entries": [], "checkpoints": [3]}, "checkpoints[0]"),
    ):
        with pytest.raises(InvalidInput) as refused:
            receive_audit(network.centre, office=FES, body=body)
        assert refused.value.violations[0].field == field


def test_only_the_office_itself_may_send_its_audit_chain(network: Network) -> None:
    fes = network.office(FES)
    rabat = network.office(RABAT)
    signed_birth(fes.reg, fes.staff)
    entries = _own_entries(fes)
    # Rabat's key signs a request that claims to be Fès.
    impostor = CentreClient(network.http, rabat.reg.keys.signer(RABAT), network.clock)
    with pytest.raises(CentreRefused) as refused:
        impostor._call(
            "POST",
            f"/api/sync/audit/{FES}",
            {"office": FES, "entries": entries, "checkpoints": []},
        )
    assert refused.value.status == 403
    assert _held(network, FES) == 0


def test_the_centre_finds_a_replicated_entry_changed_in_its_own_database(
    network: Network,
) -> None:
    fes = network.office(FES)
    signed_birth(fes.reg, fes.staff)
    _synced(network, fes)
    assert audit.verify_audit(network.centre, actor=SYSTEM).ok
    with network.centre.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE office_audit DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER office_audit_no_update"))
        conn.execute(text("UPDATE office_audit SET target = NULL WHERE seq = 2"))
    report = audit.verify_audit(network.centre, actor=SYSTEM)
    assert [(p.chain, p.seq, p.rule) for p in report.problems] == [
        (FES, 2, "audit.changed")
    ]
