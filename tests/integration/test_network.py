"""The office network, in one process: offices push journals, the centre routes notices."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from sijill.domain.errors import Forbidden, InvalidInput
from sijill.domain.identifiers import ActRef
from sijill.domain.journal import entry_digest
from sijill.domain.offices import SYSTEM
from sijill.services import acts, drafts, journal, queries
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.sync import centre as central
from sijill.sync import office as remote
from sijill.sync import projector
from sijill.sync.client import CentreClient
from sijill.sync.protocol import CENTRE, b64, batch_digest, unb64
from sijill.web.app import create_app
from tests.builders import FES, RABAT, Staffed, birth, death, open_office, signed_birth
from tests.fakes import FakeClock


@dataclass
class Office:
    reg: Registry
    staff: Staffed
    client: CentreClient

    def sync(self, network: Network) -> remote.SyncReport:
        report = remote.push(self.reg, self.client, self.staff.code)
        network.settle()
        report.notices = remote.pull(
            self.reg, self.client, self.staff.code, network.centre_key
        ).notices
        return report


@dataclass
class Network:
    centre: Registry
    centre_key: str
    http: TestClient
    tmp: Path
    clock: FakeClock
    engines: list[Engine]

    def settle(self) -> None:
        """Apply at once what the centre received (its server does it just behind)."""
        projector.project(self.centre)

    def office(self, code: str) -> Office:
        directory = self.tmp / code
        engine = make_engine(f"sqlite:///{self.tmp / (code + '.sqlite')}")
        upgrade(engine)
        self.engines.append(engine)
        reg = Registry(
            engine=engine, keys=KeyStore(directory / "keys"), clock=self.clock
        )
        staff = open_office(reg, code)
        central.enroll_office(
            self.centre,
            actor=SYSTEM,
            office=code,
            public_key=reg.keys.signer(code).public_key_hex,
        )
        return Office(
            reg, staff, CentreClient(self.http, reg.keys.signer(code), self.clock)
        )


@pytest.fixture
def network(registry: Registry, tmp_path: Path, clock: FakeClock) -> Iterator[Network]:
    """A central registry (on the test's database) and its web API, offices on SQLite."""
    key = central.open_centre(registry)
    with TestClient(create_app(registry, role="central")) as http:
        net = Network(registry, key, http, tmp_path, clock, [])
        yield net
    for engine in net.engines:
        engine.dispose()


def _count(reg: Registry, table: Any, *where: Any) -> int:
    with reg.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(table).where(*where)
            ).scalar_one()
        )


def _rows(reg: Registry, table: Any, office: str) -> list[tuple[Any, ...]]:
    with reg.engine.connect() as conn:
        return sorted(
            tuple(str(v) for v in r)
            for r in conn.execute(select(table).where(table.c.office_code == office))
        )


def test_an_office_journal_reaches_the_centre_exactly_as_signed(
    network: Network,
) -> None:
    fes = network.office(FES)
    for _ in range(5):
        signed_birth(fes.reg, fes.staff)
    report = remote.push(fes.reg, fes.client, FES)
    network.settle()
    assert report.refused is None
    assert report.held == _count(fes.reg, t.journal, t.journal.c.office_code == FES)
    assert _rows(network.centre, t.journal, FES) == _rows(fes.reg, t.journal, FES)
    assert _rows(network.centre, t.acts, FES) == _rows(fes.reg, t.acts, FES)
    centre_view = journal.verify_journal(network.centre, actor=SYSTEM, office=FES)[0]
    assert centre_view.ok and centre_view.entries == report.held


def test_pushing_again_changes_nothing(network: Network) -> None:
    fes = network.office(FES)
    signed_birth(fes.reg, fes.staff)
    first = remote.push(fes.reg, fes.client, FES)
    remote._save_status(
        fes.reg, FES, pushed_seq=0
    )  # as if the centre's answer was lost
    again = remote.push(fes.reg, fes.client, FES)
    assert (again.held, again.pushed) == (first.held, 0)
    assert (
        _count(network.centre, t.journal, t.journal.c.office_code == FES) == first.held
    )


def _batch(
    office: Office, entries: list[dict[str, Any]], head: int = 0
) -> dict[str, Any]:
    sent_at = "2026-11-25T09:00:00.000000Z"
    signer = office.reg.keys.signer(office.staff.code)
    return {
        "office": office.staff.code,
        "entries": entries,
        "head": head,
        "sent_at": sent_at,
        "signature": b64(
            signer.sign(batch_digest(office.staff.code, entries, head, sent_at))
        ),
    }


def _wire(office: Office) -> list[dict[str, Any]]:
    from sijill.store.journal import entries
    from sijill.sync.protocol import WireEntry

    with office.reg.engine.connect() as conn:
        return [
            WireEntry(e, "2026-11-25T09:00:00Z").to_json()
            for e in entries(conn, office.staff.code)
        ]


def test_a_different_entry_under_a_held_sequence_is_refused_and_raises_an_alarm(
    network: Network,
) -> None:
    fes = network.office(FES)
    remote.push(fes.reg, fes.client, FES)
    forged = _wire(fes)
    forged[2]["payload"] = b64(b'{"type":"StaffAppointed"}')
    result = central.receive_batch(network.centre, body=_batch(fes, forged))
    assert result.refused_seq == 3 and "different entry" in (result.reason or "")
    assert _count(network.centre, t.alarms, t.alarms.c.office_code == FES) == 1
    assert _rows(network.centre, t.journal, FES) == _rows(fes.reg, t.journal, FES)
    from sqlalchemy import text

    for statement in ("UPDATE alarms SET detail = 'nothing'", "DELETE FROM alarms"):
        with (
            pytest.raises(Exception, match="append-only"),
            network.centre.engine.begin() as conn,
        ):
            conn.execute(text(statement))


def test_a_gap_a_broken_link_or_an_altered_payload_stops_the_batch_at_that_entry(
    network: Network,
) -> None:
    fes = network.office(FES)
    wire = _wire(fes)
    gap = central.receive_batch(network.centre, body=_batch(fes, wire[1:]))
    assert (gap.held, gap.refused_seq) == (0, 2) and "gap" in (gap.reason or "")
    altered = copy.deepcopy(wire)
    altered[1]["payload"] = b64(b'{"type":"StaffAppointed","x":1}')
    result = central.receive_batch(network.centre, body=_batch(fes, altered))
    assert (result.held, result.refused_seq) == (1, 2)
    assert "hash" in (result.reason or "")


def test_two_entries_under_one_sequence_are_each_checked_on_their_own(
    network: Network,
) -> None:
    fes = network.office(FES)
    wire = _wire(fes)
    # A second entry 2, linked and hashed right but signed by no one, sent before the
    # genuine one: the genuine entry's signature must not vouch for it.
    import json

    payload = json.loads(unb64(wire[1]["payload"]))
    payload["by"] = "someone.else"
    altered = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    twin = {
        **wire[1],
        "payload": b64(altered),
        "entry_hash": entry_digest(FES, 2, wire[1]["prev_hash"], altered),
        "signature": wire[1]["signature"],
    }
    body = _batch(fes, [wire[0], twin, *wire[1:]])
    result = central.receive_batch(network.centre, body=body)
    assert (result.held, result.refused_seq) == (1, 2)
    assert "signature" in (result.reason or "")
    assert _hashes(network.centre) == _hashes(fes.reg)[:1]
    assert remote.push(fes.reg, fes.client, FES).refused is None
    assert _hashes(network.centre) == _hashes(fes.reg)


def _hashes(reg: Registry) -> list[str]:
    with reg.engine.connect() as conn:
        return list(
            conn.execute(
                select(t.journal.c.entry_hash)
                .where(t.journal.c.office_code == FES)
                .order_by(t.journal.c.seq)
            ).scalars()
        )


def test_entries_from_an_unknown_office_or_with_a_forged_batch_signature_are_refused(
    network: Network, tmp_path: Path
) -> None:
    fes = network.office(FES)
    stranger = KeyStore(tmp_path / "stranger").create(RABAT)
    body = _batch(fes, _wire(fes))
    body["office"] = RABAT
    with pytest.raises(Forbidden):
        central.receive_batch(network.centre, body=body)
    body = _batch(fes, _wire(fes))
    body["signature"] = b64(stranger.sign(b"x"))
    with pytest.raises(Forbidden):
        central.receive_batch(network.centre, body=body)
    assert _count(network.centre, t.journal, t.journal.c.office_code == FES) == 0
    assert _count(network.centre, t.alarms, t.alarms.c.kind == "batch.signature") == 1


def test_a_revoked_key_is_refused(network: Network) -> None:
    fes = network.office(FES)
    key_id = fes.reg.keys.signer(FES).key_id
    central.revoke_office_key(network.centre, actor=SYSTEM, office=FES, key_id=key_id)
    with pytest.raises(Forbidden):
        central.receive_batch(network.centre, body=_batch(fes, _wire(fes)))


def test_malformed_and_oversized_batches_get_a_clear_refusal(network: Network) -> None:
    fes = network.office(FES)
    for body in (
        {},
        {"office": FES, "entries": "x"},
        [],
        {
            "office": FES,
            "entries": [{"seq": "a"}],
            "head": 0,
            "sent_at": "x",
            "signature": b64(b"0" * 64),
        },
    ):
        with pytest.raises(InvalidInput):
            central.receive_batch(network.centre, body=body)
    big = _batch(fes, [_wire(fes)[0]] * 1001)
    with pytest.raises(InvalidInput) as refused:
        central.receive_batch(network.centre, body=big)
    assert refused.value.violations[0].field == "entries"
    response = network.http.post("/api/sync/journal", content=b"not json")
    assert response.status_code == 422


def test_an_office_cannot_write_on_another_offices_act(network: Network) -> None:
    fes, rabat = network.office(FES), network.office(RABAT)
    ref = signed_birth(rabat.reg, rabat.staff)
    rabat.sync(network)
    signed_birth(fes.reg, fes.staff)
    wire = _wire(fes)
    import json

    from sijill.sync.protocol import unb64

    payload = json.loads(unb64(wire[-1]["payload"]))
    payload["ref"] = str(ref)
    # Even signed by Fès's own key, an entry about Rabat's act is refused.
    from sijill.domain.journal import canonical_json, entry_digest

    raw = canonical_json(payload)
    wire[-1]["payload"] = b64(raw)
    digest = entry_digest(FES, wire[-1]["seq"], wire[-1]["prev_hash"], raw)
    wire[-1]["entry_hash"] = digest
    wire[-1]["signature"] = b64(fes.reg.keys.signer(FES).sign(bytes.fromhex(digest)))
    result = central.receive_batch(network.centre, body=_batch(fes, wire))
    assert result.refused_seq == wire[-1]["seq"]
    assert "another office" in (result.reason or "")


def test_a_death_elsewhere_travels_to_the_birth_office_and_is_applied_once(
    network: Network, clock: FakeClock
) -> None:
    fes, rabat = network.office(FES), network.office(RABAT)
    born = signed_birth(fes.reg, fes.staff, days_old=20)
    fes.sync(network)
    died = rabat.reg.now().date() - timedelta(days=1)
    data = death(
        died,
        deceased={
            "first_name_ar": "يوسف",
            "family_name_ar": "الإدريسي",
            "first_name_lat": "Youssef",
            "family_name_lat": "El Idrissi",
        },
        sex="M",
        birth_date=(rabat.reg.now().date() - timedelta(days=20)).isoformat(),
        birth_act_ref=str(born),
    )
    draft = drafts.register_death(
        rabat.reg, actor=rabat.staff.clerk, office=RABAT, data=data
    )
    death_ref = acts.sign_act(
        rabat.reg, actor=rabat.staff.officer, office=RABAT, draft_id=draft
    )
    assert rabat.sync(network).notices == 0
    with network.centre.engine.connect() as conn:
        states = central.notice_states(conn)
    assert [(n["target_ref"], n["state"]) for n in states] == [(str(born), "issued")]
    assert fes.sync(network).notices == 1
    assert fes.sync(network).notices == 0  # pulled again: nothing new, nothing twice
    pending = remote.pending_notices(fes.reg, actor=fes.staff.officer, office=FES)
    assert [(n["kind"], n["target_ref"]) for n in pending] == [("death", str(born))]
    remote.apply_notice(
        fes.reg, actor=fes.staff.officer, office=FES, notice_id=pending[0]["notice_id"]
    )
    with pytest.raises(Exception, match="already"):
        remote.apply_notice(
            fes.reg,
            actor=fes.staff.officer,
            office=FES,
            notice_id=pending[0]["notice_id"],
        )
    fes.sync(network)
    view = queries.get_act(network.centre, actor=SYSTEM, ref=str(born))
    assert view.current["status"]["deceased"] == died.isoformat()
    assert view.mentions[0]["data"]["death_act_ref"] == str(death_ref)
    with network.centre.engine.connect() as conn:
        assert [n["state"] for n in central.notice_states(conn)] == ["applied"]


def test_a_death_at_home_is_written_on_the_birth_act_at_once(network: Network) -> None:
    fes = network.office(FES)
    born = signed_birth(fes.reg, fes.staff, days_old=20)
    data = death(fes.reg.now().date(), birth_act_ref=str(born), birth_date=None)
    draft = drafts.register_death(fes.reg, actor=fes.staff.clerk, office=FES, data=data)
    acts.sign_act(fes.reg, actor=fes.staff.officer, office=FES, draft_id=draft)
    view = queries.get_act(fes.reg, actor=fes.staff.officer, ref=str(born))
    assert [m["kind"] for m in view.mentions] == ["death"]
    fes.sync(network)
    assert _count(network.centre, t.notices) == 0


def test_a_marriage_recorded_at_the_centre_reaches_both_birth_offices(
    network: Network,
) -> None:
    fes, rabat = network.office(FES), network.office(RABAT)
    husband = signed_birth(fes.reg, fes.staff, days_old=5)
    wife = signed_birth(
        rabat.reg,
        rabat.staff,
        days_old=5,
        sex="F",
        child__first_name_ar="سلمى",
        child__first_name_lat="Salma",
    )
    fes.sync(network)
    rabat.sync(network)
    today = network.centre.now().date().isoformat()
    names = {
        "first_name_ar": "يوسف",
        "family_name_ar": "الإدريسي",
        "first_name_lat": "Youssef",
        "family_name_lat": "El Idrissi",
    }
    remote.record_event(
        network.centre,
        actor=SYSTEM,
        office=CENTRE,
        kind="marriage",
        parties=[
            {"names": names, "birth_act_ref": str(husband)},
            {
                "names": {**names, "first_name_ar": "سلمى", "first_name_lat": "Salma"},
                "civil_id": queries.get_act(
                    network.centre, actor=SYSTEM, ref=str(wife)
                ).civil_id,
            },
        ],
        mention={
            "source": {
                "authority": "adouls",
                "reference": "عقد 12/2026",
                "date": today,
            },
            "data": {"event_date": today, "place": "فاس"},
        },
    )
    for office, ref in ((fes, husband), (rabat, wife)):
        assert office.sync(network).notices == 1
        notice = remote.pending_notices(
            office.reg, actor=office.staff.officer, office=office.staff.code
        )[0]
        assert notice["target_ref"] == str(ref)
        remote.apply_notice(
            office.reg,
            actor=office.staff.officer,
            office=office.staff.code,
            notice_id=notice["notice_id"],
        )
    spouse = queries.get_act(
        rabat.reg, actor=rabat.staff.officer, ref=str(wife)
    ).current["status"]["spouse"]
    assert spouse["first_name_lat"] == "Youssef"


def test_an_unmatched_death_waits_for_a_supervisor_and_is_never_guessed(
    network: Network,
) -> None:
    fes, rabat = network.office(FES), network.office(RABAT)
    born = signed_birth(fes.reg, fes.staff, days_old=20)
    fes.sync(network)
    data = death(rabat.reg.now().date(), birth_date=None)  # names match no act
    draft = drafts.register_death(
        rabat.reg, actor=rabat.staff.clerk, office=RABAT, data=data
    )
    acts.sign_act(rabat.reg, actor=rabat.staff.officer, office=RABAT, draft_id=draft)
    rabat.sync(network)
    status = central.network_status(network.centre, actor=SYSTEM)
    assert [n["state"] for n in status["matching"]] == ["matching"]
    assert fes.sync(network).notices == 0
    central.match_notice(
        network.centre,
        actor=SYSTEM,
        notice_id=status["matching"][0]["notice_id"],
        target_ref=str(born),
    )
    assert fes.sync(network).notices == 1


def test_a_lost_office_is_restored_from_the_centre_and_continues_its_sequence(
    network: Network, tmp_path: Path
) -> None:
    fes = network.office(FES)
    first = signed_birth(fes.reg, fes.staff)
    fes.sync(network)
    keys = fes.reg.keys.directory
    fes.reg.engine.dispose()
    # The disk is lost; the key comes back from its backup.
    (tmp_path / f"{FES}.sqlite").unlink()
    engine = make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    upgrade(engine)
    network.engines.append(engine)
    reg = Registry(engine=engine, keys=KeyStore(keys), clock=network.clock)
    client = CentreClient(network.http, reg.keys.signer(FES), network.clock)
    head = remote.restore(reg, client, FES)
    assert journal.verify_journal(reg, actor=SYSTEM)[0].ok
    assert queries.get_act(reg, actor=SYSTEM, ref=str(first)).ref == str(first)
    restored = Office(reg, fes.staff, client)
    second = signed_birth(reg, fes.staff)
    assert second.number == ActRef.parse(str(first)).number + 1
    assert restored.sync(network).held == head + 2


def test_reading_notices_requires_the_offices_own_signature(network: Network) -> None:
    network.office(FES)
    response = network.http.get(f"/api/sync/notices/{FES}?after=0")
    assert response.status_code == 403
    other = network.office(RABAT)
    forged = CentreClient(network.http, other.reg.keys.signer(RABAT), network.clock)
    forged.signer = type(forged.signer)(
        FES, forged.signer.key_id, forged.signer.public_key_hex, forged.signer._private
    )
    from sijill.sync.client import CentreRefused

    with pytest.raises(CentreRefused) as refused:
        forged.notices(0)
    assert refused.value.status == 403


def test_the_centre_page_shows_each_office(network: Network) -> None:
    fes = network.office(FES)
    fes.sync(network)
    from sijill.auth.tokens import issue_token

    assert network.http.get("/centre", follow_redirects=False).status_code == 303
    token = issue_token(network.centre, actor=SYSTEM, name="desk", role="ministry")
    page = network.http.get(
        "/centre?lang=fr", headers={"authorization": f"Bearer {token}"}
    )
    assert page.status_code == 200 and FES in page.text
    # The matching queue names people: no one signed in, no status; a hospital, none.
    assert network.http.get("/api/sync/status").status_code == 401
    hospital = issue_token(
        network.centre, actor=SYSTEM, name="chu", role="hospital", office=FES
    )
    refused = network.http.get(
        "/api/sync/status", headers={"authorization": f"Bearer {hospital}"}
    )
    assert refused.status_code == 403
    status = network.http.get(
        "/api/sync/status", headers={"authorization": f"Bearer {token}"}
    )
    assert status.json()["offices"][0]["held"] == 4
    _ = birth


def test_an_entry_the_national_tables_cannot_take_is_kept_and_stalls_its_office(
    network: Network,
) -> None:
    """Signed by the office, so kept as evidence; never applied, never skipped."""
    fes = network.office(FES)
    signed_birth(fes.reg, fes.staff)
    fes.sync(network)
    wire = _wire(fes)
    signed = next(w for w in wire if b'"type":"ActSigned"' in unb64(w["payload"]))
    # The office signs its act a second time, under a new sequence: the act exists.
    raw = unb64(signed["payload"])
    seq, prev = wire[-1]["seq"] + 1, wire[-1]["entry_hash"]
    digest = entry_digest(FES, seq, prev, raw)
    again = dict(
        signed,
        seq=seq,
        prev_hash=prev,
        entry_hash=digest,
        signature=b64(fes.reg.keys.signer(FES).sign(bytes.fromhex(digest))),
    )
    result = central.receive_batch(network.centre, body=_batch(fes, [again]))
    assert (result.accepted, result.held, result.refused_seq) == (1, seq, None)
    acts_before = _count(network.centre, t.acts, t.acts.c.office_code == FES)

    projector.project(network.centre)

    with network.centre.engine.connect() as conn:
        cursor = conn.execute(
            select(t.projection_cursors).where(
                t.projection_cursors.c.office_code == FES
            )
        ).one()
        assert (cursor.applied_seq, cursor.stalled_seq) == (seq - 1, seq)
        assert "inconsistent with the office's registry" in cursor.stalled_reason
        assert projector.backlog(conn) == {FES: 1}
        kinds = conn.execute(
            select(t.alarms.c.kind).where(t.alarms.c.seq == seq)
        ).scalars()
        assert list(kinds) == ["entry.unapplied"]
    assert _count(network.centre, t.acts, t.acts.c.office_code == FES) == acts_before
    # Asking again changes nothing: the office stays stalled on that entry.
    assert projector.project(network.centre).entries == 0
    row = next(
        o
        for o in central.network_status(network.centre, actor=SYSTEM)["offices"]
        if o["office"] == FES
    )
    assert (row["held"], row["unapplied"], row["stalled_at"]) == (seq, 1, seq)
