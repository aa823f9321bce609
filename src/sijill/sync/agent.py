"""The sync agent beside an office: push the journal, pull the notices, again and again."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from sijill.domain.errors import DomainError
from sijill.services.context import Registry
from sijill.sync.audit import push_audit
from sijill.sync.client import CentreClient, CentreRefused, CentreUnreachable
from sijill.sync.office import SyncReport, pull, push


@dataclass
class Round:
    """One round of the agent, as it reports it."""

    report: SyncReport | None
    error: str | None


def sync_once(
    reg: Registry, client: CentreClient, office: str, centre_key: str
) -> SyncReport:
    """Push what the centre lacks (the journal, then the audit chain), then take the
    notices waiting for this office."""
    report = push(reg, client, office)
    report.audit = push_audit(reg, client, office)
    report.notices = pull(reg, client, office, centre_key).notices
    return report


def run(
    reg: Registry,
    *,
    centre_url: str,
    office: str,
    centre_key: str,
    interval: float = 5.0,
    rounds: int | None = None,
    say: Callable[[Round], None] = lambda _round: None,
) -> None:
    """Synchronize forever (or ``rounds`` times), backing off while the link is down."""
    delay = interval
    done = 0
    with httpx.Client(timeout=httpx.Timeout(30, connect=10)) as http:
        client = CentreClient(http, reg.keys.signer(office), reg.clock, centre_url)
        while rounds is None or done < rounds:
            done += 1
            try:
                report = sync_once(reg, client, office, centre_key)
            except (CentreUnreachable, CentreRefused, DomainError) as error:
                say(Round(None, str(error)))
                delay = min(60.0, delay * 2)
                time.sleep(delay * random.uniform(0.8, 1.2))
                continue
            say(Round(report, None))
            delay = interval
            if rounds is None or done < rounds:
                time.sleep(interval)
