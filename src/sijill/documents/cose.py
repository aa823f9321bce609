"""The envelope of seals and trust lists: COSE_Sign1 (RFC 9052) with EdDSA, and base45.

Only what Sijill needs is implemented: one signer, algorithm EdDSA (-8), the key id
in the protected header. Decoding never trusts its input: any malformed structure
raises ``EnvelopeError``.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

COSE_SIGN1_TAG = 18
ALG = 1
KID = 4
EDDSA = -8

_B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
# Each ASCII byte's base45 value; 255 for the bytes outside the alphabet.
_B45_VALUES = bytes(_B45.find(chr(b)) % 256 for b in range(256))


class EnvelopeError(ValueError):
    """The bytes or text are not a well-formed envelope."""


def b45encode(data: bytes) -> str:
    """Base45 (RFC 9285): two bytes become three characters of the QR alphanumeric set."""
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (_B45[c], _B45[d], _B45[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (_B45[c], _B45[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """The bytes ``text`` encodes; EnvelopeError on a character or length base45 refuses."""
    try:
        values = text.encode("ascii").translate(_B45_VALUES)
    except UnicodeEncodeError:
        raise EnvelopeError("not base45: a character outside its alphabet") from None
    if values and max(values) >= len(_B45):
        raise EnvelopeError("not base45: a character outside its alphabet")
    if len(values) % 3 == 1:
        raise EnvelopeError("base45 text of impossible length")
    whole = len(values) - len(values) % 3
    # Triplets decoded all at once: this runs for every seal a verifier reads.
    words = [
        a + b * 45 + c * 2025
        for a, b, c in zip(
            values[0:whole:3], values[1:whole:3], values[2:whole:3], strict=True
        )
    ]
    if words and max(words) > 0xFFFF:
        raise EnvelopeError("base45 triplet out of range")
    out = struct.pack(f">{len(words)}H", *words)
    if whole < len(values):
        n = values[whole] + values[whole + 1] * 45
        if n > 0xFF:
            raise EnvelopeError("base45 pair out of range")
        out += bytes((n,))
    return out


def _to_be_signed(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def sign1(payload: bytes, kid: bytes, sign: Callable[[bytes], bytes]) -> bytes:
    """A tagged COSE_Sign1 message over ``payload``, signed by ``sign`` (Ed25519)."""
    protected = cbor2.dumps({ALG: EDDSA, KID: kid}, canonical=True)
    signature = sign(_to_be_signed(protected, payload))
    return cbor2.dumps(
        cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature])
    )


@dataclass(frozen=True)
class Sign1:
    """A parsed COSE_Sign1 message, signature not yet checked."""

    kid: bytes
    payload: bytes
    signature: bytes
    to_be_signed: bytes

    def verify(self, public_key: bytes) -> bool:
        """True when the signature is the EdDSA signature of this message by that key."""
        try:
            _public_key(public_key).verify(self.signature, self.to_be_signed)
        except (InvalidSignature, ValueError):
            return False
        return True


@functools.lru_cache(maxsize=4096)  # the offices' keys, loaded once each
def _public_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def loads(data: bytes) -> Any:
    """CBOR ``data`` decoded; EnvelopeError on anything CBOR refuses."""
    try:
        return cbor2.loads(data)
    except Exception as error:  # cbor2 raises several kinds on hostile input
        raise EnvelopeError(f"not CBOR: {type(error).__name__}") from None


def parse_sign1(data: bytes) -> Sign1:
    """The parts of a COSE_Sign1 message; EnvelopeError if it is not one Sijill signs."""
    message = loads(data)
    if isinstance(message, cbor2.CBORTag):
        if message.tag != COSE_SIGN1_TAG:
            raise EnvelopeError(f"CBOR tag {message.tag} is not COSE_Sign1")
        message = message.value
    if not isinstance(message, list | tuple) or len(message) != 4:
        raise EnvelopeError("COSE_Sign1 is an array of four items")
    protected, _unprotected, payload, signature = message
    if not all(isinstance(x, bytes) for x in (protected, payload, signature)):
        raise EnvelopeError("COSE_Sign1 items have the wrong types")
    header = loads(protected) if protected else {}
    if not isinstance(header, Mapping) or header.get(ALG) != EDDSA:
        raise EnvelopeError("the protected header does not name EdDSA")
    kid = header.get(KID)
    if not isinstance(kid, bytes) or not kid:
        raise EnvelopeError("the protected header names no key")
    if len(signature) != 64:
        raise EnvelopeError("an Ed25519 signature is 64 bytes")
    return Sign1(kid, payload, signature, _to_be_signed(protected, payload))
