"""What orders plug in: the fee, the payment provider and the notification sender.

Each is a small protocol with one implementation for development: a test payment
provider (tokens starting ``tok_ok`` are paid, others declined) and a sender that
appends each message to a log file. A deployment passes its own.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

# The fee per document, in centimes of a dirham: configurable (SIJILL_ORDER_FEE_CENTIMES).
DEFAULT_FEE_CENTIMES = 2000


class PaymentRefused(Exception):
    """The provider declined the payment."""


class PaymentProvider(Protocol):
    def charge(self, *, amount_centimes: int, token: str, key: str) -> str:
        """Take ``amount_centimes`` with ``token``; the same ``key`` charges once.

        Returns the provider's reference; raises PaymentRefused."""
        ...


class Sender(Protocol):
    def send(self, *, channel: str, recipient: str, body: str) -> None:
        """Deliver one e-mail or SMS (raises on failure: it is retried later)."""
        ...


@dataclass
class TestPaymentProvider:
    """Development payments: ``tok_ok…`` is paid, anything else is declined."""

    charged: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def charge(self, *, amount_centimes: int, token: str, key: str) -> str:
        if not token.startswith("tok_ok"):
            raise PaymentRefused(token)
        with self._lock:
            if key not in self.charged:
                digest = hashlib.sha256(f"{key}:{amount_centimes}".encode()).hexdigest()
                self.charged[key] = f"test_{digest[:20]}"
            return self.charged[key]


@dataclass
class LogSender:
    """Development notifications: one line per message in a log file."""

    path: Path

    def send(self, *, channel: str, recipient: str, body: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = body.replace("\n", " / ")
        with self.path.open("a", encoding="utf-8") as log:
            log.write(f"{channel}\t{recipient}\t{line}\n")


@dataclass
class OrderPorts:
    """The fee and the providers the order use cases are given."""

    fee_centimes: int = DEFAULT_FEE_CENTIMES
    payments: PaymentProvider = field(default_factory=TestPaymentProvider)
    sender: Sender | None = None

    def fee(self, copies: int) -> int:
        return self.fee_centimes * copies


def ports_from_environment(data_dir: Path) -> OrderPorts:
    """The development ports: fee from SIJILL_ORDER_FEE_CENTIMES, the log sender."""
    fee = int(os.environ.get("SIJILL_ORDER_FEE_CENTIMES", DEFAULT_FEE_CENTIMES))
    return OrderPorts(fee_centimes=fee, sender=LogSender(data_dir / "outbox.log"))
