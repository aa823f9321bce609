"""Courts and prosecutors send their rulings to the registry.

A judgment (a correction, an annulment, a recognition) or a prosecutor's
authorization of a clerical correction is entered at the centre as a recorded event,
like a marriage the adouls drew up: it is routed at once as a notice to the office
that holds the act, whose officer writes it as a marginal mention.

A declaratory judgment orders a birth or a death registered late: there is no act
yet. It is routed to the office that must register it, where it waits among the
pre-declarations; the clerk drafts the act from it and the officer signs it, which
closes the notice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sijill.domain.acts import read_judgment, required_part
from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.identifiers import ActRef
from sijill.domain.offices import Actor
from sijill.domain.parse import Reader
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.services.drafts import validated
from sijill.store import tables as t
from sijill.sync.office import check_event, enter_event
from sijill.sync.protocol import CENTRE

# What each authority rules on (the mention kinds whose source it may be).
RULINGS: dict[str, tuple[str, ...]] = {
    "court": ("correction_judgment", "annulment", "recognition"),
    "prosecutor": ("correction_prosecutor",),
}
# The notice kinds of a declaratory judgment, by the kind of act it orders.
DECLARATORY = {"birth": "declaratory_birth", "death": "declaratory_death"}


def _party(act: str, names: object) -> tuple[dict[str, Any], str, list[Violation]]:
    """The person or act ruled on, and the kind of act the mention will be written on:
    a birth act (by its reference or the person's civil identifier) or a death act."""
    party: dict[str, Any] = {"names": names if isinstance(names, dict) else {}}
    act = act.strip()
    if "/" in act and len(act) <= 48:
        try:
            ref = ActRef.parse(act, "act")
        except InvalidInput as refusal:  # which act, and so which fields, is unknown
            return party, "", refusal.violations
        if ref.kind == "death":
            party["act_ref"] = str(ref)
            return party, "death", []
        party["birth_act_ref"] = str(ref)
    elif act.isascii() and act.isdigit() and len(act) == 10:
        party["civil_id"] = act
    else:
        return party, "birth", [Violation("act", "required")]
    return party, "birth", []


def submit_ruling(
    reg: Registry,
    *,
    actor: Actor,
    kind: str,
    act: str,
    source: object,
    data: object,
    names: object = None,
) -> str:
    """Enter a court's judgment or a prosecutor's authorization about an act (a birth
    act's reference or the person's civil identifier, or a death act's reference);
    returns the record's id.

    The authority is the actor's own: a court cannot sign for a prosecutor, nor the
    reverse. Each problem names its field (``kind``, ``act``, ``source.reference``,
    ``source.date``, ``data.field``, ``data.value``, ``data.reason``).
    """
    uow, _ = reg.unit_of_work()
    with uow:  # the role is checked first: its authority is the ruling's source
        authorize(uow, actor, "judgment.submit", CENTRE)
    party, act_kind, problems = _party(act, names)
    allowed = RULINGS.get(actor.role, ())
    if kind not in allowed:
        problems.append(Violation("kind", "choice", {"choices": ", ".join(allowed)}))
    given = source if isinstance(source, dict) else {}
    mention = {"source": {**given, "authority": actor.role}, "data": data}
    try:
        parties, body = check_event(
            kind, [party], mention, act_kind=act_kind or "birth"
        )
    except InvalidInput as refusal:
        have_kind = any(v.field == "kind" for v in problems)
        problems += [
            v
            for v in refusal.violations
            if not (have_kind and v.field == "kind")
            and (act_kind or not v.field.startswith("data"))
        ]
    if problems:
        raise InvalidInput(problems)
    return enter_event(
        reg,
        actor=actor,
        office=CENTRE,
        kind=kind,
        parties=parties,
        mention=body,
        action="judgment.submit",
    )


def submit_declaratory_judgment(
    reg: Registry,
    *,
    actor: Actor,
    kind: str,
    office: str,
    judgment: object,
    declaration: object,
) -> str:
    """Enter a court's declaratory judgment: the birth or death it orders registered
    (the whole declaration, checked by the rules of any declaration) in ``office``'s
    registers; returns the record's id. The notice goes to that office at once.

    Each problem names its field: ``kind``, ``office``, ``judgment.court``,
    ``judgment.number``, ``judgment.date``, and the declaration's own fields.
    """
    uow, now = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "judgment.declare", CENTRE)
    problems: list[Violation] = []
    if kind not in DECLARATORY:
        raise InvalidInput([Violation("kind", "choice", {"choices": "birth, death"})])
    r = Reader({"judgment": judgment})
    ruling = required_part(r, "judgment", read_judgment)
    problems += r.violations
    data = dict(declaration) if isinstance(declaration, dict) else {}
    if isinstance(judgment, dict):
        data["judgment"] = judgment
    try:
        clean, _ = validated(kind, data, now)
    except InvalidInput as refusal:
        problems += [
            v for v in refusal.violations if not v.field.startswith("judgment")
        ]
        clean = {}
    office = (office or "").strip()
    with reg.engine.connect() as conn:
        in_network = conn.execute(
            select(t.enrolled_keys.c.key_id).where(
                t.enrolled_keys.c.office_code == office,
                t.enrolled_keys.c.revoked_at.is_(None),
            )
        ).first()
    if in_network is None:
        problems.append(Violation("office", "office.not_in_network", {"code": office}))
    if problems:
        raise InvalidInput(problems)
    person = clean["child"] if kind == "birth" else clean["deceased"]
    party = {
        "names": person,
        "event_date": clean["birth_date" if kind == "birth" else "death_date"],
        "office": office,
    }
    source = {
        "authority": "court",
        "court": ruling.court,
        "reference": ruling.number,
        "date": ruling.date.isoformat(),
    }
    return enter_event(
        reg,
        actor=actor,
        office=CENTRE,
        kind=DECLARATORY[kind],
        parties=[party],
        mention={"kind": DECLARATORY[kind], "source": source, "data": clean},
        action="judgment.submit",
    )
