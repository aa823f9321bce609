"""Office signing keys (Ed25519): private keys in files, public keys in the registry."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from sijill.domain.errors import DomainError


def key_id_of(public_key: bytes) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


# Threads that check signatures side by side. Checks go through libsodium (PyNaCl),
# which lets go of the interpreter lock while it computes and takes about half the
# time of OpenSSL's check; keys sign with ``cryptography`` (Ed25519 signatures are
# deterministic: both libraries make and accept the same bytes).
WORKERS = min(os.cpu_count() or 1, 8)


def verify(public_key_hex: str, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is the Ed25519 signature of ``message`` by that key."""
    key = _public_key(public_key_hex)
    if key is None:
        return False
    try:
        key.verify(message, bytes(signature))
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _public_key(public_key_hex: str) -> VerifyKey | None:
    """A public key parsed once: the same few keys sign thousands of entries."""
    try:
        return VerifyKey(bytes.fromhex(public_key_hex))
    except (ValueError, TypeError):
        return None


def verify_all(checks: list[tuple[str, bytes, bytes]]) -> list[bool]:
    """``verify`` for many (key, message, signature) at once, on every core."""
    return verifying(checks)()


# Checks handed to a thread at a time: small enough for the caller to take back the
# ones no thread has started yet.
_PART = 64


def verifying(checks: list[tuple[str, bytes, bytes]]) -> Callable[[], list[bool]]:
    """Start ``verify_all`` on the pool's threads; call the result for the answers.

    The caller does other work meanwhile; when it asks, it checks itself the parts no
    thread has started, so no core waits for another.
    """
    if len(checks) < _PART:
        results = _verify_part(checks)
        return lambda: results
    parts = [checks[i : i + _PART] for i in range(0, len(checks), _PART)]
    futures = [_pool().submit(_verify_part, part) for part in parts]

    def answers() -> list[bool]:
        # The threads take parts from the front; the caller takes them from the back.
        taken = {
            index: _verify_part(parts[index])
            for index in reversed(range(len(parts)))
            if futures[index].cancel()
        }
        return [
            ok
            for index, future in enumerate(futures)
            for ok in (taken[index] if index in taken else future.result())
        ]

    return answers


def _verify_part(checks: list[tuple[str, bytes, bytes]]) -> list[bool]:
    return [verify(*check) for check in checks]


@functools.cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="sijill-verify")


@dataclass(frozen=True)
class Signer:
    """An office's private key, ready to sign journal digests."""

    office: str
    key_id: str
    public_key_hex: str
    _private: Ed25519PrivateKey

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)


class KeyStore:
    """A directory of office private keys, one PEM file each, readable by the owner only.

    The passphrase, when set, encrypts each file (PKCS#8, scrypt + AES) so a copied
    disk does not give away an office's signature.
    """

    def __init__(self, directory: Path, passphrase: bytes | None = None) -> None:
        self.directory = directory
        self.passphrase = passphrase
        self._cache: dict[str, Signer] = {}

    def _path(self, office: str) -> Path:
        return self.directory / f"{office}.ed25519.pem"

    def has(self, office: str) -> bool:
        return self._path(office).exists()

    def create(self, office: str) -> Signer:
        """Create (or return the existing) key pair of ``office``."""
        if self.has(office):
            return self.signer(office)
        self._write(self._path(office), Ed25519PrivateKey.generate())
        return self.signer(office)

    # Rotation: the next key waits beside the current one until the journal has
    # vouched for it, then takes its place; the old one is kept, retired.
    def _next_path(self, office: str) -> Path:
        return self.directory / f"{office}.next.ed25519.pem"

    def next_signer(self, office: str) -> Signer:
        """The key ``office`` rotates to (made once, kept until the rotation ends)."""
        path = self._next_path(office)
        if not path.exists():
            self._write(path, Ed25519PrivateKey.generate())
        return self._load(office, path)

    def has_next(self, office: str) -> bool:
        return self._next_path(office).exists()

    def complete_rotation(self, office: str) -> Signer:
        """The next key becomes the office's key; the old one is kept in ``retired/``."""
        current = self.signer(office)
        retired = self.directory / "retired" / f"{office}.{current.key_id}.ed25519.pem"
        retired.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._path(office), retired)
        os.replace(self._next_path(office), self._path(office))
        self._cache.pop(office, None)
        return self.signer(office)

    def _write(self, path: Path, private: Ed25519PrivateKey) -> None:
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(self.passphrase)
            if self.passphrase
            else serialization.NoEncryption()
        )
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)

    def signer(self, office: str) -> Signer:
        """The signer of ``office``; DomainError when this machine does not hold its key."""
        if office in self._cache:
            return self._cache[office]
        if not self.has(office):
            raise DomainError("key.missing", {"office": office})
        signer = self._load(office, self._path(office))
        self._cache[office] = signer
        return signer

    def _load(self, office: str, path: Path) -> Signer:
        private = serialization.load_pem_private_key(
            path.read_bytes(), password=self.passphrase
        )
        assert isinstance(private, Ed25519PrivateKey)
        public = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return Signer(office, key_id_of(public), public.hex(), private)
