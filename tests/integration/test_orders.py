"""Orders by post: placed, matched to exactly one act, routed, produced, posted,
tracked to delivery or return; and every refusal the issue names, on both databases."""

from __future__ import annotations

import copy
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from sijill.domain.errors import Conflict, Forbidden, InvalidInput
from sijill.domain.offices import SYSTEM, Actor
from sijill.orders import levels, office, post
from sijill.orders import ports as order_ports
from sijill.orders.authorizations import record_authorization
from sijill.orders.ports import LogSender, OrderPorts
from sijill.orders.processing import process_orders
from sijill.orders.service import PUBLIC, my_orders, place_order, track_order
from sijill.orders.tables import order_events, orders, outbox
from sijill.services import acts
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.sync import centre as central
from sijill.sync import office as remote
from tests.builders import FES, RABAT, Staffed, marriage, open_office, signed_birth
from tests.fakes import FakeClock
from tests.integration.test_network import Network, network  # noqa: F401

POST = Actor("laposte", "post_operator", None)
PORTS = OrderPorts()


def order_body(key: str = "order-key-0001", **changes: Any) -> dict[str, Any]:
    """A remote order of an extract of Youssef El Idrissi's birth act, by his father."""
    body: dict[str, Any] = {
        "idempotency_key": key,
        "kind": "extract",
        "lang": "bilingual",
        "copies": 1,
        "subject": {
            "first_name": "Youssef",
            "family_name": "El Idrissi",
            "birth_date": "2026-11-22",
            "father": "Ahmed El Idrissi",
            "mother": "Khadija Tazi",
        },
        "requester": {
            "first_name": "Ahmed",
            "family_name": "El Idrissi",
            "id_number": "C123456",
            "relationship": "parent",
            "email": "ahmed@example.ma",
        },
        "delivery": {
            "addressee": "Ahmed El Idrissi",
            "line1": "12 rue des Orangers, Hay Narjiss",
            "city": "Fès",
            "postal_code": "30000",
            "country": "MA",
        },
        "payment": {"method": "online", "token": "tok_ok_visa"},
    }
    for path, value in changes.items():
        node = body
        keys = path.split("__")
        for k in keys[:-1]:
            node = node[k]
        if value is None:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    return copy.deepcopy(body)


@pytest.fixture
def fes(registry: Registry) -> Staffed:
    """One registry that is both the centre and the office of Fès, with one birth."""
    central.open_centre(registry)
    staffed = open_office(registry)
    signed_birth(registry, staffed)  # born 2026-11-22
    return staffed


def place(
    reg: Registry, *, actor: Actor, body: Any, ports: OrderPorts = PORTS
) -> dict[str, Any]:
    """Place an order as the API does, then let the centre's processor take it."""
    accepted = place_order(reg, actor=actor, body=body, ports=ports)
    process_orders(reg, ports)
    return track_order(reg, actor=actor, number=accepted["number"])


def _violations(error: InvalidInput) -> set[tuple[str, str]]:
    return {(v.field, v.rule) for v in error.violations}


def _denied(reg: Registry, rule: str) -> int:
    """Refusals of that rule in the audit log."""
    with reg.engine.connect() as conn:
        rows = conn.execute(
            select(t.audit_log.c.detail).where(t.audit_log.c.outcome == "denied")
        ).all()
    return sum(1 for (detail,) in rows if (detail or {}).get("rule") == rule)


def _count(reg: Registry, table: Any) -> int:
    with reg.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_an_order_matching_one_act_is_routed_to_the_office_holding_it(
    registry: Registry, fes: Staffed
) -> None:
    placed = place(registry, actor=PUBLIC, body=order_body(), ports=PORTS)
    assert placed["status"] == "routed"
    assert placed["office"] == FES
    assert placed["tracking_number"].startswith("RR")
    tracked = track_order(registry, actor=PUBLIC, number=placed["number"])
    assert [s["status"] for s in tracked["steps"]] == ["received", "matched", "routed"]
    assert "Youssef" not in str(tracked)


def test_the_same_order_sent_twice_is_one_order(
    registry: Registry, fes: Staffed
) -> None:
    first = place(registry, actor=PUBLIC, body=order_body(), ports=PORTS)
    again = place(registry, actor=PUBLIC, body=order_body(), ports=PORTS)
    assert again["number"] == first["number"]
    assert _count(registry, orders) == 1
    with pytest.raises(Conflict):
        place(registry, actor=PUBLIC, body=order_body(copies=2), ports=PORTS)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"subject__first_name": "Karim"}, "order.no_match"),
        ({"subject__birth_date": "2026-11-21"}, "order.no_match"),
        ({"subject__mother": "Salma Berrada"}, "order.no_match"),
    ],
)
def test_wrong_details_reject_the_order_with_the_reason(
    registry: Registry, fes: Staffed, changes: dict[str, Any], reason: str
) -> None:
    placed = place(registry, actor=PUBLIC, body=order_body(**changes), ports=PORTS)
    assert placed["status"] == "rejected"
    assert placed["reason"] == reason
    assert placed["reason_messages"]["ar"]
    assert placed["office"] is None


def test_partial_details_are_refused_naming_the_field(
    registry: Registry, fes: Staffed
) -> None:
    with pytest.raises(InvalidInput) as refused:
        place(
            registry,
            actor=PUBLIC,
            body=order_body(subject__father=None, subject__mother=None),
            ports=PORTS,
        )
    assert ("subject.father", "order.parent_required") in _violations(refused.value)
    with pytest.raises(InvalidInput) as refused:
        place(
            registry,
            actor=PUBLIC,
            body=order_body(subject__birth_date=None),
            ports=PORTS,
        )
    assert ("subject.birth_date", "required") in _violations(refused.value)
    assert _count(registry, orders) == 0


def test_details_matching_several_acts_reject_the_order(
    registry: Registry, fes: Staffed
) -> None:
    signed_birth(registry, fes)  # a twin with the very same names, same day
    placed = place(registry, actor=PUBLIC, body=order_body(), ports=PORTS)
    assert placed["status"] == "rejected"
    assert placed["reason"] == "order.several_matches"
    assert "2" in placed["reason_messages"]["en"]


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "full_copy", "requester__relationship": "other"},
        {"kind": "full_copy", "requester__first_name": "Hassan"},  # not the father
        {"requester__relationship": "self"},  # a minor's order is placed by a parent
        {"kind": "full_copy", "requester__relationship": "spouse"},  # never married
    ],
)
def test_an_unentitled_requester_is_refused(
    registry: Registry, fes: Staffed, changes: dict[str, Any]
) -> None:
    placed = place(registry, actor=PUBLIC, body=order_body(**changes), ports=PORTS)
    assert placed["status"] == "rejected"
    assert placed["reason"] in ("order.not_entitled", "order.minor_by_parent")


def test_a_spouse_named_in_a_marriage_mention_may_order_a_full_copy(
    registry: Registry, fes: Staffed, clock: FakeClock
) -> None:
    clock.advance(days=25 * 366)  # Youssef is grown up, and marries
    acts.add_mention(
        registry,
        actor=fes.officer,
        ref=f"{FES}/2026/N/1",
        data=marriage(registry.now().date() - timedelta(days=10)),
    )
    body = order_body(
        kind="full_copy",
        requester__first_name="Salma",
        requester__family_name="Berrada",
        requester__relationship="spouse",
    )
    assert place(registry, actor=PUBLIC, body=body, ports=PORTS)["status"] == "routed"
    himself = order_body(
        "order-key-0002",
        kind="full_copy",
        requester__first_name="Youssef",
        requester__relationship="self",
    )
    assert (
        place(registry, actor=PUBLIC, body=himself, ports=PORTS)["status"] == "routed"
    )


def test_a_forged_authorization_is_refused_and_a_recorded_one_accepted(
    registry: Registry, fes: Staffed
) -> None:
    forged = order_body(
        kind="full_copy",
        requester__first_name="Omar",
        requester__relationship="guardian",
        requester__authorization="AUT-FORGED000000",
    )
    refused = place(registry, actor=PUBLIC, body=forged, ports=PORTS)
    assert refused["status"] == "rejected"
    assert refused["reason"] == "order.authorization_unknown"
    assert refused["payment"] is None and refused["office"] is None
    assert _denied(registry, "order.authorization_unknown") == 1
    code = record_authorization(
        registry,
        actor=fes.clerk,
        act_ref=f"{FES}/2026/N/1",
        kind="guardianship",
        holder_id_number="C123456",
        holder_name="Omar El Idrissi",
        granted_by="jugement 12/2026, tribunal de Fès",
    )
    with pytest.raises(InvalidInput) as malformed:  # every field named at once
        record_authorization(
            registry,
            actor=fes.clerk,
            act_ref="not a reference",
            kind="power",
            holder_id_number="123",
            holder_name="",
            granted_by="jugement 12/2026",
        )
    assert _violations(malformed.value) == {
        ("act_ref", "act.ref_format"),
        ("kind", "choice"),
        ("holder_id_number", "order.id_number"),
        ("holder_name", "required"),
    }
    forged["requester"]["authorization"] = code
    forged["idempotency_key"] = "order-key-0002"
    assert place(registry, actor=PUBLIC, body=forged, ports=PORTS)["status"] == "routed"
    someone_else = copy.deepcopy(forged)
    someone_else["idempotency_key"] = "order-key-0003"
    someone_else["requester"]["id_number"] = "AB999999"
    refused = place(registry, actor=PUBLIC, body=someone_else, ports=PORTS)
    assert refused["reason"] == "order.authorization_unknown"
    assert _denied(registry, "order.authorization_unknown") == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"delivery__postal_code": "3000"}, "delivery.postal_code"),
        ({"delivery__country": "Maroc"}, "delivery.country"),
        ({"delivery__line1": ""}, "delivery.line1"),
        ({"delivery__city": "F3s"}, "delivery.city"),
        ({"delivery__addressee": "<script>"}, "delivery.addressee"),
        ({"delivery": "Fès"}, "delivery"),
        ({"requester__id_number": "123"}, "requester.id_number"),
        ({"copies": 9}, "copies"),
        ({"idempotency_key": "x"}, "idempotency_key"),
    ],
)
def test_a_malformed_order_is_refused_naming_the_field(
    registry: Registry, fes: Staffed, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        place(registry, actor=PUBLIC, body=order_body(**changes), ports=PORTS)
    assert field in {f for f, _ in _violations(refused.value)}
    assert _count(registry, orders) == 0


def test_an_address_abroad_is_accepted(registry: Registry, fes: Staffed) -> None:
    body = order_body(
        delivery__postal_code="75011", delivery__city="Paris", delivery__country="FR"
    )
    assert place(registry, actor=PUBLIC, body=body, ports=PORTS)["status"] == "routed"


def test_a_declined_payment_rejects_the_order_and_the_counter_is_for_clerks(
    registry: Registry, fes: Staffed
) -> None:
    payments = order_ports.TestPaymentProvider()
    ports = OrderPorts(payments=payments)
    declined = place(
        registry,
        actor=PUBLIC,
        body=order_body(payment__token="tok_declined"),
        ports=ports,
    )
    assert declined["status"] == "rejected"
    assert declined["reason"] == "order.payment_refused"
    assert declined["payment"] is None and declined["tracking_number"] is None
    assert payments.charged == {}
    # The key is now that rejected order's: trying again is another order.
    counter = order_body("order-key-0002", payment={"method": "counter"})
    with pytest.raises(InvalidInput):
        place(registry, actor=PUBLIC, body=counter, ports=PORTS)
    placed = place(registry, actor=fes.clerk, body=counter, ports=PORTS)
    assert placed["payment"] == "counter"
    assert placed["fee_centimes"] == PORTS.fee_centimes


def _produced_and_posted(registry: Registry, fes: Staffed, body: dict[str, Any]) -> str:
    placed = place(registry, actor=PUBLIC, body=body, ports=PORTS)
    central_notice = track_order(registry, actor=PUBLIC, number=placed["number"])
    assert central_notice["status"] == "routed"
    with registry.engine.connect() as conn:
        order_id = conn.execute(
            select(orders.c.order_id).where(orders.c.number == placed["number"])
        ).scalar_one()
    return order_id


def test_a_post_status_that_goes_backwards_is_refused(
    network: Network,  # noqa: F811
) -> None:
    _, number, tracking = _through_the_network(network)
    centre = network.centre
    post.record_post_status(
        centre, actor=POST, tracking_number=tracking, status="in_transit"
    )
    with pytest.raises(Conflict):
        post.record_post_status(
            centre, actor=POST, tracking_number=tracking, status="picked_up"
        )
    post.record_post_status(
        centre, actor=POST, tracking_number=tracking, status="at_post_office"
    )
    with pytest.raises(InvalidInput) as refused:
        post.record_post_status(
            centre,
            actor=POST,
            tracking_number=tracking,
            status="delivered",
            id_number="ZZ000000",
        )
    assert ("id_number", "order.id_mismatch") in _violations(refused.value)
    post.record_post_status(
        centre,
        actor=POST,
        tracking_number=tracking,
        status="delivered",
        id_number="C123456",
    )
    with pytest.raises(Conflict):
        post.record_post_status(
            centre, actor=POST, tracking_number=tracking, status="returned_to_sender"
        )
    assert track_order(centre, actor=PUBLIC, number=number)["status"] == "delivered"
    with pytest.raises(Forbidden):
        post.record_post_status(
            centre, actor=PUBLIC, tracking_number=tracking, status="in_transit"
        )


def _through_the_network(net: Network) -> tuple[Any, str, str]:
    """An order placed at the centre for an act of Fès: produced and posted by Fès."""
    rabat = net.office(RABAT)
    fes = net.office(FES)
    signed_birth(fes.reg, fes.staff)
    rabat.sync(net)
    fes.sync(net)
    placed = place(net.centre, actor=PUBLIC, body=order_body(), ports=PORTS)
    assert placed["status"] == "routed" and placed["office"] == FES
    assert fes.sync(net).notices == 1
    assert rabat.sync(net).notices == 0
    waiting = office.orders_to_produce(fes.reg, actor=fes.staff.clerk, office=FES)
    assert remote.pending_notices(fes.reg, actor=fes.staff.officer, office=FES) == []
    order_id = waiting["to_produce"][0]["order_id"]
    with pytest.raises(Forbidden):
        office.produce_order(
            fes.reg, actor=fes.staff.clerk, office=FES, order_id=order_id
        )
    made = office.produce_order(
        fes.reg, actor=fes.staff.officer, office=FES, order_id=order_id
    )
    assert len(made["documents"]) == 1
    assert made["tracking_number"] == placed["tracking_number"]
    office.post_order(fes.reg, actor=fes.staff.clerk, office=FES, order_id=order_id)
    fes.sync(net)
    assert (
        track_order(net.centre, actor=PUBLIC, number=placed["number"])["status"]
        == "posted"
    )
    return fes, placed["number"], placed["tracking_number"]


def test_an_order_goes_from_the_centre_to_the_office_and_back_by_the_journal(
    network: Network,  # noqa: F811
    tmp_path: Any,
) -> None:
    fes, number, tracking = _through_the_network(network)
    centre = network.centre
    envelopes = post.envelopes_for_post(centre, actor=POST)
    assert [e["tracking_number"] for e in envelopes] == [tracking]
    assert "Youssef" not in str(envelopes) and "2026-11-22" not in str(envelopes)
    for status in ("picked_up", "in_transit", "at_post_office", "failed_attempt"):
        post.record_post_status(
            centre, actor=POST, tracking_number=tracking, status=status
        )
    post.record_post_status(
        centre, actor=POST, tracking_number=tracking, status="returned_to_sender"
    )
    with registry_conn(centre) as conn:
        order_id = conn.execute(
            select(orders.c.order_id).where(orders.c.number == number)
        ).scalar_one()
    office.record_return(fes.reg, actor=fes.staff.clerk, office=FES, order_id=order_id)
    fes.sync(network)
    tracked = track_order(centre, actor=PUBLIC, number=number)
    assert tracked["status"] == "returned"
    assert [s["status"] for s in tracked["steps"]] == [
        "received",
        "matched",
        "routed",
        "produced",
        "posted",
        "picked_up",
        "in_transit",
        "at_post_office",
        "failed_attempt",
        "returned_to_sender",
        "returned",
    ]
    sender = LogSender(tmp_path / "outbox.log")
    sent = levels.dispatch_outbox(centre, actor=SYSTEM, sender=sender)
    assert sent == _count(centre, outbox) > 0
    assert number in (tmp_path / "outbox.log").read_text()
    assert levels.dispatch_outbox(centre, actor=SYSTEM, sender=sender) == 0


def registry_conn(reg: Registry) -> Any:
    return reg.engine.connect()


def test_orders_older_than_a_week_are_listed_and_delivery_times_measured(
    registry: Registry, fes: Staffed, clock: FakeClock
) -> None:
    ministry = Actor("ministry.demo", "ministry", None)
    place(registry, actor=PUBLIC, body=order_body(), ports=PORTS)
    clock.advance(days=8)
    late = levels.overdue_orders(registry, actor=ministry)
    assert late["nation"] == 1 and late["offices"] == {FES: 1}
    assert list(late["provinces"].values()) == [1]
    times = levels.delivery_times(registry, actor=ministry)
    assert times["delivered"] == 0
    with pytest.raises(Forbidden):
        levels.overdue_orders(registry, actor=fes.clerk)
    with registry.engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(order_events)).scalar_one()
            == 3
        )


def test_the_api_places_resends_tracks_and_refuses_with_the_field(
    registry: Registry, fes: Staffed
) -> None:
    from fastapi.testclient import TestClient

    from sijill.auth import tokens
    from sijill.web.app import create_app

    with TestClient(create_app(registry, role="office")) as http:
        first = http.post("/api/orders", json=order_body())
        again = http.post("/api/orders", json=order_body())
        assert first.status_code == again.status_code == 201
        assert first.json()["number"] == again.json()["number"]
        bad = http.post("/api/orders", json=order_body(delivery__postal_code="ABC"))
        assert bad.status_code == 422
        assert [v["field"] for v in bad.json()["violations"]] == [
            "delivery.postal_code"
        ]
        assert first.json()["status"] == "received"
        process_orders(registry, PORTS)
        tracked = http.get(f"/api/orders/{first.json()['number']}").json()
        assert tracked["status"] == "routed"
        assert http.get("/api/envelopes").status_code == 401
        token = tokens.issue_token(
            registry, actor=SYSTEM, name="Barid Al-Maghrib", role="post_operator"
        )
        listed = http.get(
            "/api/envelopes", headers={"authorization": f"Bearer {token}"}
        )
        assert listed.status_code == 200 and listed.json() == []
        page = http.get(f"/orders/track?number={first.json()['number']}&lang=fr")
        assert page.status_code == 200 and "Transmise" in page.text
        form = http.get("/orders/new")
        assert form.status_code == 200 and "order-form" in form.text


def test_an_order_is_answered_received_and_then_processed(
    registry: Registry, fes: Staffed
) -> None:
    payments = order_ports.TestPaymentProvider()
    ports = OrderPorts(payments=payments)
    accepted = place_order(registry, actor=PUBLIC, body=order_body(), ports=ports)
    assert accepted["status"] == "received"
    assert accepted["office"] is None and accepted["tracking_number"] is None
    tracked = track_order(registry, actor=PUBLIC, number=accepted["number"])
    assert [s["status"] for s in tracked["steps"]] == ["received"]
    again = place_order(registry, actor=PUBLIC, body=order_body(), ports=ports)
    assert again["number"] == accepted["number"]
    assert process_orders(registry, ports) == 1
    assert process_orders(registry, ports) == 0  # nothing is processed twice
    tracked = track_order(registry, actor=PUBLIC, number=accepted["number"])
    assert [s["status"] for s in tracked["steps"]] == ["received", "matched", "routed"]
    assert list(payments.charged) == [accepted["number"]]  # charged once, by number
    resent = place_order(registry, actor=PUBLIC, body=order_body(), ports=ports)
    assert resent["number"] == accepted["number"] and resent["status"] == "routed"
    with registry.engine.connect() as conn:
        row = conn.execute(select(orders)).one()
    assert row.payment == {"method": "online"}  # the token is not kept once spent


def test_orders_processed_in_batches_each_routed_once(
    registry: Registry, fes: Staffed
) -> None:
    numbers = [
        place_order(
            registry, actor=PUBLIC, body=order_body(f"order-key-{i:04d}"), ports=PORTS
        )["number"]
        for i in range(7)
    ]
    wrong = place_order(
        registry,
        actor=PUBLIC,
        body=order_body("order-key-wrong", subject__first_name="Karim"),
        ports=PORTS,
    )
    assert process_orders(registry, PORTS, batch=3) == 8
    for number in numbers:
        assert track_order(registry, actor=PUBLIC, number=number)["status"] == "routed"
    rejected = track_order(registry, actor=PUBLIC, number=wrong["number"])
    assert rejected["reason"] == "order.no_match"
    assert [s["status"] for s in rejected["steps"]] == ["received", "rejected"]
    with registry.engine.connect() as conn:
        notices = conn.execute(
            select(func.count())
            .select_from(t.notices)
            .where(t.notices.c.kind == "order")
        ).scalar_one()
    assert notices == 7


def test_processors_running_at_once_never_take_the_same_order(
    registry: Registry, fes: Staffed
) -> None:
    if registry.engine.dialect.name != "postgresql":
        pytest.skip("several processors at once: PostgreSQL's row locks")
    pg_registry = registry
    for i in range(40):
        body = order_body(f"order-key-{i:04d}")
        place_order(pg_registry, actor=PUBLIC, body=body, ports=PORTS)
    done: list[int] = []

    def processor() -> None:
        done.append(process_orders(pg_registry, PORTS, batch=4))

    threads = [threading.Thread(target=processor) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(done) == 40
    with pg_registry.engine.connect() as conn:
        routed = conn.execute(
            select(func.count()).select_from(orders).where(orders.c.status == "routed")
        ).scalar_one()
        events = conn.execute(
            select(func.count()).select_from(order_events)
        ).scalar_one()
    assert routed == 40 and events == 40 * 3


def test_a_citizen_sees_the_orders_of_his_account_and_no_one_elses(
    registry: Registry, fes: Staffed
) -> None:
    from fastapi.testclient import TestClient

    from sijill.auth import accounts
    from sijill.web.app import create_app
    from tests.web_forms import PASSWORD, sign_in

    ahmed = Actor("ahmed.idrissi", "citizen", None)
    other = Actor("salma.berrada", "citizen", None)
    first = place(registry, actor=ahmed, body=order_body("ahmed-order-1"))
    registry.clock.advance(minutes=5)  # type: ignore[attr-defined]
    second = place(
        registry,
        actor=ahmed,
        body=order_body("ahmed-order-2", kind="full_copy", copies=2),
    )
    place(registry, actor=other, body=order_body("salma-order-1"))
    place(registry, actor=PUBLIC, body=order_body("one-off-order-1"))
    mine = my_orders(registry, actor=ahmed)
    assert [o["number"] for o in mine] == [second["number"], first["number"]]
    assert all("subject" not in o and "delivery" not in o for o in mine)
    assert [o["status"] for o in mine] == ["routed", "routed"]
    with pytest.raises(Forbidden):
        my_orders(registry, actor=fes.clerk)  # a counter's orders are not "mine"
    with pytest.raises(Forbidden):
        my_orders(registry, actor=PUBLIC)  # one-off orders go by their number

    enrolment = accounts.open_account(
        registry,
        actor=SYSTEM,
        username="ahmed.idrissi",
        role="citizen",
        civil_id="1234567890",
    )
    accounts.choose_password(
        registry, username="ahmed.idrissi", code=enrolment.code, password=PASSWORD
    )
    with TestClient(
        create_app(registry, role="central"), base_url="https://testserver"
    ) as http:
        sign_in(http, "ahmed.idrissi")
        page = http.get("/orders/mine", params={"lang": "fr"})
        assert page.status_code == 200 and 'href="/orders/mine"' in page.text
        assert first["number"] in page.text and second["number"] in page.text
        assert "Copie intégrale × 2" in page.text
        assert http.get("/api/orders/mine").json()["orders"] == mine
