"""Passwords (Argon2id), one-time codes and random tokens (only their hashes are kept)."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sijill.domain.errors import InvalidInput, Violation

MIN_PASSWORD = 12


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # Argon2id, RFC 9106 "low memory" parameters


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash costs the same time as a real one."""
    try:
        return _hasher().verify(stored or _DUMMY(), password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _DUMMY() -> str:
    return _hasher().hash(secrets.token_hex(16))


def check_password_rules(password: str, username: str) -> None:
    """A password long enough, and not the user name."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            [Violation("password", "password.too_short", {"min": MIN_PASSWORD})]
        )
    if username.lower() in password.lower():
        raise InvalidInput([Violation("password", "password.has_username")])


def new_token() -> str:
    """A random, URL-safe secret of 256 bits."""
    return secrets.token_urlsafe(32)


def new_code() -> str:
    """A one-time code an administrator reads out: 12 characters, no look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join(
        "".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3)
    )


def digest(secret: str) -> str:
    """What is stored of a token or code: its SHA-256 (they are random, not chosen)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
