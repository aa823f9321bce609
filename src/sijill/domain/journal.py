"""The journal's chain: canonical payloads, entry digests and the verification walk.

Each entry's digest covers the office, its sequence number, the previous entry's
digest and the canonical payload; the office signs the digest. Changing any byte of
a payload, reordering, removing or inserting an entry breaks the walk at that entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
_DOMAIN_TAG = b"sijill.journal.v1\x00"


# Made once: json.dumps with these options would build an encoder at every call,
# and the centre encodes the header of every entry it receives.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 (RFC 8785 style)."""
    return _CANONICAL.encode(value).encode("utf-8")


def entry_digest(office: str, seq: int, prev_hash: str, payload: bytes) -> str:
    """The SHA-256 digest (hex) that the office signs for one entry."""
    h = hashlib.sha256(_DOMAIN_TAG)
    h.update(canonical_json([office, seq, prev_hash]))
    h.update(b"\x00")
    h.update(payload)
    return h.hexdigest()


@dataclass(frozen=True)
class StoredEntry:
    """A journal entry as read back from storage, to be checked."""

    office: str
    seq: int
    prev_hash: str
    entry_hash: str
    key_id: str
    payload: bytes
    signature: bytes


@dataclass(frozen=True)
class ChainReport:
    """The result of walking one office's journal."""

    office: str
    entries: int
    head: str
    broken_at: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


SignatureCheck = Callable[[str, bytes, bytes], bool]


def walk_chain(
    office: str, entries: Iterable[StoredEntry], verify: SignatureCheck
) -> ChainReport:
    """Walk one office's entries in order; stop at, and name, the first broken one."""
    expected_seq, prev, count = 1, GENESIS, 0
    for e in entries:
        reason = None
        if e.seq != expected_seq:
            reason = (
                f"sequence {e.seq} where {expected_seq} was expected (gap or reorder)"
            )
        elif e.prev_hash != prev:
            reason = "previous-hash link does not match the entry before it"
        elif entry_digest(office, e.seq, e.prev_hash, e.payload) != e.entry_hash:
            reason = "payload does not match its hash (altered content)"
        elif not verify(e.key_id, bytes.fromhex(e.entry_hash), e.signature):
            reason = f"signature does not verify with key {e.key_id}"
        if reason is not None:
            return ChainReport(
                office, count, prev, broken_at=expected_seq, reason=reason
            )
        prev, expected_seq, count = e.entry_hash, expected_seq + 1, count + 1
    return ChainReport(office, count, prev)
