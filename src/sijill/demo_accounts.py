"""Accounts for the demo network, so ``make demo`` gives a usable, signed-in UI.

One password for every demo account (written in the README), and a TOTP secret for
those who need a second factor, all written to ``demo-accounts.txt``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sijill.auth import accounts
from sijill.domain.offices import SYSTEM
from sijill.services.context import Registry
from sijill.store import tables as t

DEMO_PASSWORD = "sijill-demo-2026"
MINISTRY = "ministry.demo"
# The demo's root key passphrase (a real ministry's is typed, never written down).
DEMO_ROOT_PASSPHRASE = "sijill-demo-root-2026"


def open_demo_root(reg: Registry) -> bool:
    """Create the ministry's root key of the demo (once), certify the pilot offices'
    keys with it and publish the trust lists, so the ministry's pages can bring more
    offices into service. Returns whether it was created now."""
    from sijill.documents.service import certify_office_keys, trust_directory
    from sijill.documents.trust import TrustStore
    from sijill.services.context import stamp

    store = TrustStore(trust_directory(reg))
    if store.has_root():
        return False
    passphrase = DEMO_ROOT_PASSPHRASE.encode()
    store.init_root(passphrase)
    certify_office_keys(reg, passphrase=passphrase)
    store.publish(at=stamp(reg.now()), passphrase=passphrase)
    return True


def open_demo_accounts(reg: Registry, path: Path) -> list[tuple[str, str, str]]:
    """Open the ministry's account and each pilot office's officer and first clerk;
    returns (user name, role, TOTP secret or "") and writes them to ``path``."""
    with reg.engine.connect() as conn:
        staff = conn.execute(
            select(t.staff.c.username, t.staff.c.role, t.staff.c.office_code)
            .where(
                t.staff.c.active.is_(True),
                t.staff.c.role.in_(("officer", "clerk")),
            )
            .order_by(t.staff.c.office_code, t.staff.c.username)
        ).all()
    wanted: list[tuple[str, str]] = [(MINISTRY, "ministry")]
    seen: set[tuple[str, str]] = set()
    for row in staff:
        if (row.office_code, row.role) not in seen:
            seen.add((row.office_code, row.role))
            wanted.append((row.username, row.role))
    opened = []
    for username, role in wanted:
        enrolment = accounts.open_account(
            reg, actor=SYSTEM, username=username, role=role
        )
        accounts.choose_password(
            reg, username=username, code=enrolment.code, password=DEMO_PASSWORD
        )
        opened.append((username, role, enrolment.totp_secret or ""))
    lines = [
        "# Sijill demo accounts — password for all: " + DEMO_PASSWORD,
        "# The ministry's root key passphrase (onboarding, keys): "
        + DEMO_ROOT_PASSPHRASE,
        "# TOTP: add the secret to an authenticator app, or: "
        "python -c 'import pyotp,sys; print(pyotp.TOTP(sys.argv[1]).now())' SECRET",
        *(f"{u}\t{r}\t{s or '-'}" for u, r, s in opened),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return opened
