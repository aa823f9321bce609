"""The ministry's root key, the office keys it certifies, and the keys it revokes.

The root key never leaves the ministry: its private half is a PKCS#8 file encrypted
with a passphrase (scrypt + AES). What verifiers need is published beside it:

- ``ministry-root.pub`` — the root public key (PEM), distributed once, out of band;
- ``trust-list.cose`` — a COSE_Sign1 by the root over every office key certificate
  ever issued (each one a COSE_Sign1 by the root too), so a rotated-out key still
  verifies the documents it sealed;
- ``revocations.cose`` — a COSE_Sign1 by the root over the revoked keys.

``TrustList.load`` checks every signature against the root public key; a verifier
needs nothing else to judge a seal offline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from sijill.documents import cose, pades
from sijill.documents.errors import TrustProblem
from sijill.store.keys import key_id_of

ROOT_KEY = "ministry-root.ed25519.pem"
ROOT_PUBLIC = "ministry-root.pub"
ROOT_CERTIFICATE = "ministry-root.crt"  # the same key as an X.509 CA, for PAdES
TRUST_LIST = "trust-list.cose"
REVOCATIONS = "revocations.cose"
ROOT_KID = b"sijill-root"


class TrustError(ValueError):
    """A trust list or revocation list that does not verify under the root key."""


@dataclass(frozen=True)
class CertifiedKey:
    """An office key the ministry vouches for."""

    office: str
    key_id: str
    public_key: bytes
    certified_at: str


@dataclass(frozen=True)
class Revocation:
    """An office key the ministry no longer vouches for, since ``at``."""

    key_id: str
    at: str
    reason: str


@dataclass(frozen=True)
class TrustList:
    """What an offline verifier holds: the root key, the certified and revoked keys."""

    root_public_key: bytes
    keys: Mapping[str, CertifiedKey] = field(default_factory=dict)
    revoked: Mapping[str, Revocation] = field(default_factory=dict)
    issued_at: str = ""

    @classmethod
    def load(cls, directory: Path) -> TrustList:
        """The published lists in ``directory``, checked against its root public key."""
        root = read_public_key(directory / ROOT_PUBLIC)
        trust_path, revocations_path = directory / TRUST_LIST, directory / REVOCATIONS
        if not trust_path.exists():
            raise TrustError(f"no trust list at {trust_path}")
        keys, issued_at = _read_trust_list(trust_path.read_bytes(), root)
        revoked = (
            _read_revocations(revocations_path.read_bytes(), root)
            if revocations_path.exists()
            else {}
        )
        return cls(root, keys, revoked, issued_at)


def read_public_key(path: Path) -> bytes:
    """The raw Ed25519 public key of a PEM file."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as error:
        raise TrustError(f"no usable root public key at {path}: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise TrustError(f"{path} is not an Ed25519 public key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _signed_body(data: bytes, root: bytes, what: str) -> Mapping[str, Any]:
    try:
        message = cose.parse_sign1(data)
    except cose.EnvelopeError as error:
        raise TrustError(f"the {what} is malformed: {error}") from None
    if message.kid != ROOT_KID or not message.verify(root):
        raise TrustError(f"the {what} is not signed by the ministry's root key")
    body = cose.loads(message.payload)
    if not isinstance(body, Mapping):
        raise TrustError(f"the {what} is malformed")
    return body


def certificate_key(data: bytes, root: bytes) -> CertifiedKey | None:
    """The office key a certificate vouches for; None unless the root signed it."""
    try:
        message = cose.parse_sign1(data)
        if message.kid != ROOT_KID or not message.verify(root):
            return None
        body = cose.loads(message.payload)
        public = bytes(body["p"])
        if key_id_of(public) != body["k"]:
            return None
        return CertifiedKey(str(body["o"]), str(body["k"]), public, str(body["t"]))
    except (cose.EnvelopeError, KeyError, TypeError):
        return None


def _read_trust_list(data: bytes, root: bytes) -> tuple[dict[str, CertifiedKey], str]:
    body = _signed_body(data, root, "trust list")
    keys: dict[str, CertifiedKey] = {}
    for certificate in body.get("c", ()):
        key = certificate_key(bytes(certificate), root)
        if key is not None:
            keys[key.key_id] = key
    return keys, str(body.get("t", ""))


def _read_revocations(data: bytes, root: bytes) -> dict[str, Revocation]:
    body = _signed_body(data, root, "revocation list")
    try:
        return {
            str(r["k"]): Revocation(str(r["k"]), str(r["t"]), str(r["w"]))
            for r in body.get("r", ())
        }
    except (KeyError, TypeError):
        raise TrustError("the revocation list is malformed") from None


class TrustStore:
    """The ministry's side: its encrypted root key, certificates and revocations.

    Certificates and revocations are kept as files in ``directory``; ``publish``
    writes the signed lists verifiers download.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        # The root key, once a passphrase opened it: a roll-out certifies many keys
        # and the passphrase's key derivation (scrypt) is deliberately slow.
        self._unlocked: tuple[bytes, Ed25519PrivateKey] | None = None

    @property
    def _certificates(self) -> Path:
        return self.directory / "certificates"

    @property
    def _revocation_log(self) -> Path:
        return self.directory / "revocations.json"

    def has_root(self) -> bool:
        return (self.directory / ROOT_KEY).exists()

    def init_root(self, passphrase: bytes) -> str:
        """Create the root key pair; returns its public key (hex). Refuses to replace one."""
        if self.has_root():
            raise TrustProblem("trust.root_exists", {"path": str(self.directory)})
        if len(passphrase) < 12:
            raise TrustProblem("trust.weak_passphrase", {"length": 12})
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )
        public = private.public_key()
        _write(self.directory / ROOT_KEY, pem, 0o600)
        _write(
            self.directory / ROOT_PUBLIC,
            public.public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            ),
            0o644,
        )
        self._x509_root(private)
        return public.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        ).hex()

    def _x509_root(self, root: Ed25519PrivateKey) -> x509.Certificate:
        path = self.directory / ROOT_CERTIFICATE
        if path.exists():
            return x509.load_pem_x509_certificate(path.read_bytes())
        certificate = pades.root_certificate(root, datetime.now(UTC))
        _write(path, pades.pem(certificate), 0o644)
        return certificate

    def root_certificate_pem(self) -> bytes | None:
        """The root's X.509 certificate, which PDF signatures chain to."""
        path = self.directory / ROOT_CERTIFICATE
        return path.read_bytes() if path.exists() else None

    def office_certificate_pem(self, key_id: str) -> bytes | None:
        """The X.509 certificate of an office key, once the root has certified it."""
        path = self._certificates / f"{key_id}.crt"
        return path.read_bytes() if path.exists() else None

    def _root(self, passphrase: bytes) -> Ed25519PrivateKey:
        if self._unlocked is not None and self._unlocked[0] == passphrase:
            return self._unlocked[1]
        if not self.has_root():
            raise TrustProblem("trust.no_root", {"path": str(self.directory)})
        try:
            key = serialization.load_pem_private_key(
                (self.directory / ROOT_KEY).read_bytes(), password=passphrase
            )
        except (TypeError, ValueError):
            raise TrustProblem("trust.bad_passphrase", {}) from None
        assert isinstance(key, Ed25519PrivateKey)
        self._unlocked = (passphrase, key)
        return key

    def check_passphrase(self, passphrase: bytes) -> None:
        """Raise TrustProblem unless the root key exists and ``passphrase`` opens it."""
        self._root(passphrase)

    def is_certified(self, key_id: str) -> bool:
        """Whether the root has already certified this office key."""
        return (self._certificates / f"{key_id}.cose").exists()

    def root_public_key(self) -> bytes:
        return read_public_key(self.directory / ROOT_PUBLIC)

    def certify(
        self, *, office: str, public_key_hex: str, at: str, passphrase: bytes
    ) -> CertifiedKey:
        """Sign a certificate for an office key and keep it (once per key)."""
        public = bytes.fromhex(public_key_hex)
        kid = key_id_of(public)
        body = cbor2.dumps({"o": office, "k": kid, "p": public, "t": at})
        root = self._root(passphrase)
        certificate = cose.sign1(body, ROOT_KID, root.sign)
        _write(self._certificates / f"{kid}.cose", certificate, 0o644)
        issued = pades.office_certificate(
            root,
            self._x509_root(root),
            office=office,
            public_key=public,
            at=datetime.now(UTC),
        )
        _write(self._certificates / f"{kid}.crt", pades.pem(issued), 0o644)
        return CertifiedKey(office, kid, public, at)

    def revocations(self) -> list[dict[str, str]]:
        if not self._revocation_log.exists():
            return []
        value: list[dict[str, str]] = json.loads(self._revocation_log.read_text())
        return value

    def revoke(self, *, key_id: str, at: str, reason: str, passphrase: bytes) -> None:
        """Revoke an office key: from ``at`` on, no seal by it is accepted."""
        self._root(passphrase)  # only the holder of the root key revokes
        entries = [r for r in self.revocations() if r["k"] != key_id]
        entries.append({"k": key_id, "t": at, "w": reason})
        _write(self._revocation_log, json.dumps(entries, indent=1).encode(), 0o644)

    def publish(self, *, at: str, passphrase: bytes) -> TrustList:
        """Write the signed trust list and revocation list; returns them, as verified."""
        root = self._root(passphrase)
        certificates = (
            sorted(self._certificates.glob("*.cose"))
            if self._certificates.exists()
            else []
        )
        trust = cbor2.dumps(
            {"v": 1, "t": at, "c": [p.read_bytes() for p in certificates]}
        )
        _write(
            self.directory / TRUST_LIST, cose.sign1(trust, ROOT_KID, root.sign), 0o644
        )
        revoked = cbor2.dumps({"v": 1, "t": at, "r": self.revocations()})
        _write(
            self.directory / REVOCATIONS,
            cose.sign1(revoked, ROOT_KID, root.sign),
            0o644,
        )
        return TrustList.load(self.directory)


def _write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
