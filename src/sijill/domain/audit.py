"""The audit trail as a hash chain: the canonical form of an entry, its hash, purposes.

Every entry carries the hash of the one before it, so changing, deleting or inserting
an entry breaks the chain; signed checkpoints pin the chain to an office key, so it
cannot be recomputed from scratch by whoever can write to the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sijill.domain.journal import canonical_json

GENESIS = "0" * 64
# A checkpoint is signed once this many entries have followed the last one.
CHECKPOINT_EVERY = 256

# Why personal data was touched (Law 09-08): recorded on every entry.
PURPOSES = (
    "registration",  # drafting, signing, mentions, registers, notices
    "service",  # reading acts and searching to serve a citizen
    "document",  # issuing an extract or a full copy
    "digitization",  # keying, reconciling and loading legacy registers
    "supervision",  # supervisors and the ministry overseeing the work
    "verification",  # an institution checking what it was given
    "citizen",  # a citizen reading their own record
    "investigation",  # a court or prosecutor's inquiry (confidential)
    "administration",  # offices, staff, accounts, keys
)
# Purposes whose actor the citizen is not told (the law protects an inquiry).
CONFIDENTIAL_PURPOSES = frozenset({"investigation"})

_DEFAULT_PURPOSE = (
    ("document.", "document"),
    ("digitize.", "digitization"),
    ("audit.", "supervision"),
    ("act.search", "service"),
    ("act.read", "service"),
    ("register.read", "service"),
    ("citizen.", "citizen"),
    ("office.", "administration"),
    ("staff.", "administration"),
    ("account.", "administration"),
    ("session.", "administration"),
    ("token.", "administration"),
    ("journal.", "administration"),
)


# Roles whose reads serve an inquiry unless they say otherwise.
INVESTIGATORS = frozenset({"court", "prosecutor"})


def purpose_allowed(role: str, purpose: str) -> bool:
    """A known purpose; a confidential one only for those who lead inquiries."""
    if purpose not in PURPOSES:
        return False
    return purpose not in CONFIDENTIAL_PURPOSES or role in INVESTIGATORS


def default_purpose(action: str, role: str | None = None) -> str:
    """The purpose an action serves when its caller names none."""
    if role in INVESTIGATORS and action in ("act.read", "act.search", "register.read"):
        return "investigation"
    for prefix, purpose in _DEFAULT_PURPOSE:
        if action.startswith(prefix):
            return purpose
    return "registration"


@dataclass(frozen=True)
class AuditEntry:
    """One audit entry as chained: who, in which role and office, did what, why, when."""

    seq: int
    prev_hash: str
    audit_id: str
    at: str
    username: str
    role: str
    actor_office: str | None
    action: str
    office_code: str | None
    target: str | None
    personal_data: bool
    outcome: str
    purpose: str
    confidential: bool
    detail: dict[str, Any] = field(default_factory=dict)

    def canonical(self) -> bytes:
        """The bytes the entry hash is taken over: every field, sorted, UTF-8."""
        return canonical_json(
            {
                "seq": self.seq,
                "prev_hash": self.prev_hash,
                "audit_id": self.audit_id,
                "at": self.at,
                "username": self.username,
                "role": self.role,
                "actor_office": self.actor_office,
                "action": self.action,
                "office_code": self.office_code,
                "target": self.target,
                "personal_data": bool(self.personal_data),
                "outcome": self.outcome,
                "purpose": self.purpose,
                "confidential": bool(self.confidential),
                "detail": self.detail,
            }
        )

    def digest(self) -> str:
        """The entry hash: SHA-256 of the canonical form, in hex."""
        return hashlib.sha256(b"sijill-audit\x00" + self.canonical()).hexdigest()


def checkpoint_message(seq: int, entry_hash: str, at: str, key_id: str) -> bytes:
    """What a checkpoint's signature covers: the chain up to ``seq`` ends in ``entry_hash``."""
    return b"sijill-audit-checkpoint\x00" + canonical_json(
        [seq, entry_hash, at, key_id]
    )


@dataclass(frozen=True)
class Problem:
    """A place where the audit chain does not hold, and why (a message rule code)."""

    seq: int | None
    rule: str
    audit_id: str | None = None
    # The office whose replicated chain it is; None for this server's own chain.
    chain: str | None = None


@dataclass(frozen=True)
class AuditReport:
    """The result of walking the audit chain and its checkpoints."""

    entries: int
    checkpoints: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class StoredCheckpoint:
    """A signed checkpoint as read back, with whether its key is one the registry trusts."""

    seq: int
    entry_hash: str
    at: str
    key_id: str
    signature_ok: bool


def walk_audit(
    entries: list[AuditEntry],
    stored_hashes: dict[int, str],
    unchained: list[str],
    checkpoints: list[StoredCheckpoint],
    head: tuple[int, str],
) -> AuditReport:
    """Check links, hashes, numbering, the head and every checkpoint.

    ``entries`` in seq order; ``stored_hashes`` the entry_hash column by seq;
    ``unchained`` the ids of rows that carry no place in the chain.
    """
    problems: list[Problem] = [Problem(None, "audit.unchained", i) for i in unchained]
    prev, expected = GENESIS, 1
    for entry in entries:
        if entry.seq != expected:
            rule = "audit.missing" if entry.seq > expected else "audit.duplicate"
            problems.append(Problem(expected, rule, entry.audit_id))
            expected = entry.seq
        if entry.prev_hash != prev:
            problems.append(Problem(entry.seq, "audit.link", entry.audit_id))
        if entry.digest() != stored_hashes.get(entry.seq):
            problems.append(Problem(entry.seq, "audit.changed", entry.audit_id))
        prev = stored_hashes.get(entry.seq, "")
        expected += 1
    last = (entries[-1].seq, prev) if entries else (0, GENESIS)
    if last != head:
        problems.append(Problem(head[0], "audit.head"))
    for point in checkpoints:
        if not point.signature_ok:
            problems.append(Problem(point.seq, "audit.checkpoint_signature"))
        elif stored_hashes.get(point.seq) != point.entry_hash:
            problems.append(Problem(point.seq, "audit.checkpoint_mismatch"))
    return AuditReport(len(entries), len(checkpoints), tuple(problems))


def continuation_problem(
    head: tuple[int, str], received: list[tuple[AuditEntry, str]]
) -> Problem | None:
    """The first reason ``received`` (entries with their stated hashes, in order) does not
    continue a chain that ends at ``head`` (seq, hash): a gap, a broken link, a changed
    entry. None when every entry follows the one before it."""
    seq, prev = head
    for entry, stated in received:
        if entry.seq != seq + 1:
            return Problem(seq + 1, "audit.missing", entry.audit_id)
        if entry.prev_hash != prev:
            return Problem(entry.seq, "audit.link", entry.audit_id)
        if entry.digest() != stated:
            return Problem(entry.seq, "audit.changed", entry.audit_id)
        seq, prev = entry.seq, stated
    return None
