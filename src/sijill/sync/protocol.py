"""What travels between an office and the centre, and how each side signs it.

Journal entries travel as they are stored (payload and signature untouched, base64);
the batch around them is signed by the office key, notices by the centre key, and
requests that read from the centre are signed by the office that makes them.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from sijill.domain.journal import StoredEntry, canonical_json

MAX_BATCH = 1000
MAX_BODY = 16 * 2**20
REQUEST_WINDOW_SECONDS = 300
CENTRE = "CENTRE"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class WireEntry:
    """A journal entry as it travels, with the instant the office recorded it."""

    entry: StoredEntry
    recorded_at: str

    def to_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "seq": e.seq,
            "prev_hash": e.prev_hash,
            "entry_hash": e.entry_hash,
            "key_id": e.key_id,
            "payload": b64(e.payload),
            "signature": b64(e.signature),
            "recorded_at": self.recorded_at,
        }

    @classmethod
    def from_json(cls, office: str, data: dict[str, Any]) -> WireEntry:
        """Read one entry; ValueError/KeyError/TypeError on anything malformed."""
        entry = StoredEntry(
            office=office,
            seq=int(data["seq"]),
            prev_hash=str(data["prev_hash"]),
            entry_hash=str(data["entry_hash"]),
            key_id=str(data["key_id"]),
            payload=unb64(data["payload"]),
            signature=unb64(data["signature"]),
        )
        if entry.seq < 1 or len(entry.entry_hash) != 64 or len(entry.prev_hash) != 64:
            raise ValueError("malformed entry header")
        return cls(entry, str(data["recorded_at"])[:32])


def batch_digest(
    office: str, entries: list[dict[str, Any]], head: int, sent_at: str
) -> bytes:
    """What the office signs for a batch: who, which entries (by hash), its head, when."""
    summary = [[e.get("seq"), e.get("entry_hash")] for e in entries]
    return hashlib.sha256(
        b"sijill.batch.v1\x00" + canonical_json([office, summary, head, sent_at])
    ).digest()


def notices_digest(office: str, notices: list[dict[str, Any]]) -> bytes:
    """What the centre signs for the notices it hands to an office."""
    return hashlib.sha256(
        b"sijill.notices.v1\x00" + canonical_json([office, notices])
    ).digest()


def request_digest(office: str, method: str, path: str, at: str, body: bytes) -> bytes:
    """What an office signs to read from the centre (notices, its own journal)."""
    return hashlib.sha256(
        b"sijill.request.v1\x00"
        + canonical_json(
            [office, method.upper(), path, at, hashlib.sha256(body).hexdigest()]
        )
    ).digest()
