"""Courts and prosecutors send their rulings to the registry.

A judgment (a correction, an annulment, a recognition) or a prosecutor's
authorization of a clerical correction is entered at the centre as a recorded event,
like a marriage the adouls drew up: it is routed at once as a notice to the office
that holds the act, whose officer writes it as a marginal mention.
"""

from __future__ import annotations

from typing import Any

from sijill.domain.errors import InvalidInput, Violation
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


def _party(act: str, names: object) -> tuple[dict[str, Any], list[Violation]]:
    party: dict[str, Any] = {"names": names if isinstance(names, dict) else {}}
    act = act.strip()
    if "/" in act and len(act) <= 48:
        party["birth_act_ref"] = act
    elif act.isascii() and act.isdigit() and len(act) == 10:
        party["civil_id"] = act
    else:
        return party, [Violation("act", "required")]
    return party, []


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
    """Enter a court's judgment or a prosecutor's authorization about an act (its
    reference or the person's civil identifier); returns the record's id.

    The authority is the actor's own: a court cannot sign for a prosecutor, nor the
    reverse. Each problem names its field (``kind``, ``act``, ``source.reference``,
    ``source.date``, ``data.field``, ``data.value``, ``data.reason``).
    """
    uow, _ = reg.unit_of_work()
    with uow:  # the role is checked first: its authority is the ruling's source
        authorize(uow, actor, "judgment.submit", CENTRE)
    party, problems = _party(act, names)
    allowed = RULINGS.get(actor.role, ())
    if kind not in allowed:
        problems.append(Violation("kind", "choice", {"choices": ", ".join(allowed)}))
    given = source if isinstance(source, dict) else {}
    mention = {"source": {**given, "authority": actor.role}, "data": data}
    try:
        parties, body = check_event(kind, [party], mention)
    except InvalidInput as refusal:
        have_kind = any(v.field == "kind" for v in problems)
        problems += [
            v for v in refusal.violations if not (have_kind and v.field == "kind")
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
