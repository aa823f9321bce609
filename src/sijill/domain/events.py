"""What happened in an office, in the past tense: each event is one journal entry.

The current-state tables are a projection of these events; replaying an office's
journal rebuilds them exactly, so every fact a table holds must be in an event.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    """Base of journal events; ``type`` names the event in the payload."""

    type: ClassVar[str] = "Event"

    def payload(self) -> dict[str, Any]:
        # Fields hold plain JSON values, never other dataclasses: no deep copy is
        # needed to encode them, and a chunk of digitized acts is large.
        return {
            "type": self.type,
            **{f.name: getattr(self, f.name) for f in dataclasses.fields(self)},
        }


@dataclass(frozen=True)
class OfficeOpened(Event):
    """An office came into service with its key; always entry 1 of its journal."""

    type: ClassVar[str] = "OfficeOpened"
    office: dict[str, Any]
    key_id: str
    public_key: str
    at: str
    by: str


@dataclass(frozen=True)
class OfficeKeyRotated(Event):
    """The office took a new key pair; this entry, signed by the old key, vouches
    for the new one, which signs every entry after it."""

    type: ClassVar[str] = "OfficeKeyRotated"
    key_id: str
    public_key: str
    previous_key_id: str
    at: str
    by: str


@dataclass(frozen=True)
class StaffAppointed(Event):
    """Someone joined an office as officer, delegate or clerk."""

    type: ClassVar[str] = "StaffAppointed"
    user_id: str
    username: str
    role: str
    full_name_ar: str
    full_name_fr: str
    at: str
    by: str


@dataclass(frozen=True)
class StaffRelieved(Event):
    """Someone left their role at the office."""

    type: ClassVar[str] = "StaffRelieved"
    user_id: str
    at: str
    by: str


@dataclass(frozen=True)
class PredeclarationReceived(Event):
    """A hospital, local authority or citizen pre-declared a birth or death (Law 36-21)."""

    type: ClassVar[str] = "PredeclarationReceived"
    predeclaration_id: str
    kind: str
    sender_kind: str
    sender_name: str
    sender_ref: str
    data: dict[str, Any]
    at: str
    by: str


@dataclass(frozen=True)
class DraftCreated(Event):
    """A clerk drafted an act, by hand or from a pre-declaration."""

    type: ClassVar[str] = "DraftCreated"
    draft_id: str
    kind: str
    data: dict[str, Any]
    predeclaration_id: str | None
    at: str
    by: str


@dataclass(frozen=True)
class DraftAmended(Event):
    """A clerk corrected a draft before it was signed."""

    type: ClassVar[str] = "DraftAmended"
    draft_id: str
    data: dict[str, Any]
    at: str
    by: str


@dataclass(frozen=True)
class DraftCancelled(Event):
    """A draft was abandoned; it stays on record, cancelled, with the reason."""

    type: ClassVar[str] = "DraftCancelled"
    draft_id: str
    reason: str
    at: str
    by: str


@dataclass(frozen=True)
class ActSigned(Event):
    """The officer signed a draft: it became act ``number`` of its register."""

    type: ClassVar[str] = "ActSigned"
    draft_id: str
    act_id: str
    ref: str
    kind: str
    year: int
    number: int
    civil_id: str | None
    data: dict[str, Any]
    provisional: list[dict[str, Any]]
    at: str
    by: str


@dataclass(frozen=True)
class MentionAdded(Event):
    """The officer signed a marginal mention on an act of the office."""

    type: ClassVar[str] = "MentionAdded"
    mention_id: str
    act_id: str
    ref: str
    seq: int
    kind: str
    authority: str
    source_ref: str
    source_date: str
    data: dict[str, Any]
    at: str
    by: str
    notice_id: str | None = None
    # The office that received the notice, when it holds the registers of another
    # (a merged commune): the act stays in the journal of the office that wrote it.
    notice_office: str | None = None

    def payload(self) -> dict[str, Any]:
        found = super().payload()
        if found["notice_office"] is None:  # as every mention was written before
            del found["notice_office"]
        return found


@dataclass(frozen=True)
class RegisterClosed(Event):
    """The officer closed a yearly register; it takes no new act."""

    type: ClassVar[str] = "RegisterClosed"
    year: int
    kind: str
    last_number: int
    at: str
    by: str


@dataclass(frozen=True)
class RegisterOpened(Event):
    """A yearly register was opened before its first act (an office brought into
    service opens the registers of its first year)."""

    type: ClassVar[str] = "RegisterOpened"
    year: int
    kind: str
    at: str
    by: str


@dataclass(frozen=True)
class NoticeReceived(Event):
    """An office took delivery of a notice from the centre (to apply as a mention)."""

    type: ClassVar[str] = "NoticeReceived"
    notice_id: str
    notice_seq: int
    kind: str
    target_ref: str | None
    mention: dict[str, Any]
    source: dict[str, Any]
    at: str
    by: str


@dataclass(frozen=True)
class NoticeReturned(Event):
    """An office sent a notice back: it does not concern the act it was routed to."""

    type: ClassVar[str] = "NoticeReturned"
    notice_id: str
    reason: str
    at: str
    by: str


@dataclass(frozen=True)
class EventRecorded(Event):
    """A marriage, divorce or judgment entered by an authorized user, to be routed."""

    type: ClassVar[str] = "EventRecorded"
    record_id: str
    kind: str
    parties: list[dict[str, Any]]
    mention: dict[str, Any]
    at: str
    by: str


@dataclass(frozen=True)
class OfficeEnrolled(Event):
    """The centre trusts an office's key for its journal (centre journal only)."""

    type: ClassVar[str] = "OfficeEnrolled"
    office: str
    key_id: str
    public_key: str
    at: str
    by: str


@dataclass(frozen=True)
class OfficeKeyRevoked(Event):
    """The centre no longer accepts entries signed by this key (centre journal only)."""

    type: ClassVar[str] = "OfficeKeyRevoked"
    office: str
    key_id: str
    at: str
    by: str


@dataclass(frozen=True)
class NoticeIssued(Event):
    """The centre routed a notice to an office, or queued it for matching (centre only)."""

    type: ClassVar[str] = "NoticeIssued"
    notice_id: str
    target_office: str | None
    target_ref: str | None
    kind: str
    source: dict[str, Any]
    subject: dict[str, Any]
    mention: dict[str, Any]
    candidates: list[str]
    at: str


@dataclass(frozen=True)
class NoticeMatched(Event):
    """A supervisor resolved a queued notice to the act it concerns (centre only)."""

    type: ClassVar[str] = "NoticeMatched"
    notice_id: str
    target_office: str
    target_ref: str
    at: str
    by: str


@dataclass(frozen=True)
class DocumentIssued(Event):
    """The office issued an extract or a full copy of one of its acts, sealed."""

    type: ClassVar[str] = "DocumentIssued"
    number: str
    year: int
    seq: int
    kind: str
    lang: str
    act_id: str
    ref: str
    mentions: int
    key_id: str
    claims: dict[str, Any]
    seal: str
    requested_for: str | None
    at: str
    by: str


@dataclass(frozen=True)
class LegacyActsLoaded(Event):
    """Acts keyed from a legacy register entered the office's register, digitized.

    One entry holds a chunk of a batch's acts, so one signature covers many acts;
    each act keeps the number of the paper register and its provenance (page, line,
    keyers, adjudicator), the batch its reviewer.
    """

    type: ClassVar[str] = "LegacyActsLoaded"
    batch_id: str
    chunk: int
    kind: str
    year: int
    acts: list[dict[str, Any]]
    reviewer: str
    at: str
    by: str


@dataclass(frozen=True)
class OrderProduced(Event):
    """The office produced the documents of an order routed to it (a notice)."""

    type: ClassVar[str] = "OrderProduced"
    order_id: str
    notice_id: str
    number: str
    ref: str
    documents: list[str]
    addressee: str
    delivery: dict[str, Any]
    tracking_number: str
    at: str
    by: str


@dataclass(frozen=True)
class OrderPosted(Event):
    """The office handed the envelope of an order to the post."""

    type: ClassVar[str] = "OrderPosted"
    order_id: str
    ref: str
    tracking_number: str
    at: str
    by: str


@dataclass(frozen=True)
class EnvelopeReturned(Event):
    """An envelope the post could not deliver came back to the office."""

    type: ClassVar[str] = "EnvelopeReturned"
    order_id: str
    ref: str
    tracking_number: str
    at: str
    by: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        OfficeOpened,
        OfficeKeyRotated,
        StaffAppointed,
        StaffRelieved,
        PredeclarationReceived,
        DraftCreated,
        DraftAmended,
        DraftCancelled,
        ActSigned,
        MentionAdded,
        RegisterClosed,
        RegisterOpened,
        NoticeReceived,
        NoticeReturned,
        EventRecorded,
        OfficeEnrolled,
        OfficeKeyRevoked,
        NoticeIssued,
        NoticeMatched,
        DocumentIssued,
        LegacyActsLoaded,
        OrderProduced,
        OrderPosted,
        EnvelopeReturned,
    )
}


def event_from_payload(payload: dict[str, Any]) -> Event:
    """The event a journal payload records."""
    fields = dict(payload)
    cls = EVENT_TYPES[fields.pop("type")]
    return cls(**fields)
