"""Courts and prosecutors send their rulings to the registry.

A judgment (a correction, an annulment, a recognition) or a prosecutor's
authorization of a clerical correction is entered at the centre as a recorded event,
like a marriage the adouls drew up: it is routed at once as a notice to the office
that holds the act, whose officer writes it as a marginal mention.
"""

from __future__ import annotations

from typing import Any

from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.identifiers import ActRef
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.sync.office import check_event, enter_event
from sijill.sync.protocol import CENTRE

# What each authority rules on (the mention kinds whose source it may be).
RULINGS: dict[str, tuple[str, ...]] = {
    "court": ("correction_judgment", "annulment", "recognition"),
    "prosecutor": ("correction_prosecutor",),
}


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
