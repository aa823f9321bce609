"""The seal printed on every document: its key data, signed by the issuing office.

Like the EU Digital COVID Certificate: the claims are CBOR, signed as a COSE_Sign1
message with the office's Ed25519 key, compressed with zlib, written in base45 (the
QR code's alphanumeric alphabet) behind the prefix ``SJ1:``. ``verify_seal`` needs
only the ministry's trust list; whatever it is given, it returns a verdict and never
raises.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import cbor2

from sijill.documents import cose
from sijill.documents.trust import TrustList

PREFIX = "SJ1:"
KINDS = {"extract": "E", "full_copy": "C"}
_KIND_NAMES = {v: k for k, v in KINDS.items()}

VALID = "valid"
NOT_SIJILL = "not_sijill"
MALFORMED = "malformed"
BAD_SIGNATURE = "bad_signature"
KEY_NOT_CERTIFIED = "key_not_certified"
KEY_REVOKED = "key_revoked"

# What each claim holds: a short key keeps the QR small.
_EPOCH = date(1970, 1, 1).toordinal()


def _day_number(iso: str) -> int:
    return date.fromisoformat(iso).toordinal() - _EPOCH


def _day(value: object) -> str:
    if not isinstance(value, int) or not 0 < value + _EPOCH < date.max.toordinal():
        raise ValueError("a date claim is mistyped")
    return date.fromordinal(value + _EPOCH).isoformat()


def _arabic(text: str) -> str | bytes:
    """Arabic in windows-1256 (one byte a letter) when it fits, UTF-8 text otherwise."""
    try:
        return text.encode("cp1256")
    except UnicodeEncodeError:
        return text


def _text(value: object) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("cp1256")
        except UnicodeDecodeError:
            raise ValueError("an Arabic claim is not windows-1256") from None
    if isinstance(value, str):
        return value
    raise ValueError("a text claim is mistyped")


def _latin(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("a Latin name claim is mistyped")
    return value


def _office_of(ref: str) -> str:
    """The office code of an act reference ``OFFICE/YEAR/KIND/NUMBER``."""
    parts = ref.rsplit("/", 3)
    if len(parts) != 4 or not parts[0]:
        raise ValueError("not an act reference")
    return parts[0]


class SealSigner(Protocol):
    """An office key able to sign (``sijill.store.keys.Signer``)."""

    @property
    def key_id(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


@dataclass(frozen=True)
class Claims:
    """What the seal vouches for: the document and the key data of the act."""

    number: str
    kind: str  # extract | full_copy
    ref: str
    office: str
    issued_on: str
    names: tuple[str, str, str, str]  # first and family names, Arabic then Latin
    event_date: str  # date of birth (or of death, for a death act)
    sex: str
    father: str
    mother: str
    civil_id: str | None = None
    deceased_on: str | None = None

    def encode(self) -> dict[str, Any]:
        """The compact CBOR form: every byte saved makes the QR code smaller."""
        # The office is the act's and the year the issue's: the number is stored as
        # its sequence and random tail only.
        office, year, seq, suffix = self.number.rsplit(":", 3)
        if (
            office != self.office
            or year != self.issued_on[:4]
            or office != _office_of(self.ref)
        ):
            raise ValueError("the document number does not match its office or year")
        claims: dict[str, Any] = {
            "k": KINDS[self.kind],
            "n": [int(seq), suffix],
            "r": self.ref,
            "i": _day_number(self.issued_on),
            "p": [_arabic(self.names[0]), _arabic(self.names[1]), *self.names[2:]],
            "d": _day_number(self.event_date),
            "s": self.sex,
            "f": _arabic(self.father),
            "m": _arabic(self.mother),
        }
        if self.civil_id:
            claims["c"] = int(self.civil_id)
        if self.deceased_on:
            claims["x"] = _day_number(self.deceased_on)
        return claims

    @classmethod
    def decode(cls, claims: object) -> Claims:
        """The claims of a decoded payload; ValueError if any is missing or mistyped."""
        if not isinstance(claims, Mapping):
            raise ValueError("the claims are not a map")
        kind = _KIND_NAMES.get(claims.get("k"))  # type: ignore[arg-type]
        number, names = claims.get("n"), claims.get("p")
        if (
            kind is None
            or not isinstance(number, list | tuple)
            or len(number) != 2
            or not isinstance(number[0], int)
            or not isinstance(number[1], str)
            or not isinstance(names, list | tuple)
            or len(names) != 4
            or not isinstance(claims.get("r"), str)
            or not isinstance(claims.get("s"), str)
        ):
            raise ValueError("a claim is missing or mistyped")
        office, issued_on = _office_of(claims["r"]), _day(claims.get("i"))
        civil_id = claims.get("c")
        if civil_id is not None and (not isinstance(civil_id, int) or civil_id < 0):
            raise ValueError("claim c mistyped")
        return cls(
            number=f"{office}:{issued_on[:4]}:{number[0]:06d}:{number[1]}",
            kind=kind,
            ref=claims["r"],
            office=office,
            issued_on=issued_on,
            names=(
                _text(names[0]),
                _text(names[1]),
                _latin(names[2]),
                _latin(names[3]),
            ),
            event_date=_day(claims.get("d")),
            sex=claims["s"],
            father=_text(claims.get("f")),
            mother=_text(claims.get("m")),
            civil_id=None if civil_id is None else f"{civil_id:010d}",
            deceased_on=_day(claims["x"]) if "x" in claims else None,
        )

    def as_dict(self) -> dict[str, Any]:
        """A readable form, for a verifier's screen or a JSON answer."""
        return {
            "number": self.number,
            "kind": self.kind,
            "ref": self.ref,
            "office": self.office,
            "issued_on": self.issued_on,
            "first_name_ar": self.names[0],
            "family_name_ar": self.names[1],
            "first_name_lat": self.names[2],
            "family_name_lat": self.names[3],
            "event_date": self.event_date,
            "sex": self.sex,
            "father": self.father,
            "mother": self.mother,
            "civil_id": self.civil_id,
            "deceased_on": self.deceased_on,
        }


def seal(claims: Claims, signer: SealSigner) -> str:
    """The seal text: ``SJ1:`` + base45(zlib(COSE_Sign1(CBOR(claims))))."""
    payload = cbor2.dumps(claims.encode(), canonical=True)
    message = cose.sign1(payload, bytes.fromhex(signer.key_id), signer.sign)
    return PREFIX + cose.b45encode(zlib.compress(message, 9))


@dataclass(frozen=True)
class Verdict:
    """What a verifier concludes, why, and what the seal says (when it could be read)."""

    status: str
    reason: str
    claims: Claims | None = None
    key_id: str | None = None
    office: str | None = None

    @property
    def valid(self) -> bool:
        return self.status == VALID

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "valid": self.valid,
            "reason": self.reason,
            "key_id": self.key_id,
            "office": self.office,
            "claims": self.claims.as_dict() if self.claims else None,
        }


def _inflate(data: bytes) -> bytes:
    decompressor = zlib.decompressobj()
    # A seal is a few hundred bytes; refuse a zip bomb rather than inflate it.
    out = decompressor.decompress(data, 8192)
    if decompressor.unconsumed_tail or not decompressor.eof:
        raise cose.EnvelopeError("the compressed data is truncated or too large")
    return out


def read_seal(text: str) -> tuple[cose.Sign1, Claims]:
    """The message and claims of a seal text, unchecked; EnvelopeError if unreadable."""
    body = text.strip()[len(PREFIX) :]
    try:
        compressed = cose.b45decode(body)
        message = cose.parse_sign1(_inflate(compressed))
    except zlib.error as error:
        raise cose.EnvelopeError(f"not zlib data: {error}") from None
    try:
        claims = Claims.decode(cose.loads(message.payload))
    except ValueError as error:
        raise cose.EnvelopeError(f"the sealed data are malformed: {error}") from None
    return message, claims


def verify_seal(payload: str | bytes, trust: TrustList) -> Verdict:
    """Judge a seal offline with the ministry's trust list; never raises, never guesses."""
    try:
        text = payload.decode("utf-8") if isinstance(payload, bytes) else str(payload)
    except UnicodeDecodeError:
        return Verdict(NOT_SIJILL, "the code holds binary data, not a Sijill seal")
    if not text.strip().startswith(PREFIX):
        return Verdict(
            NOT_SIJILL, "the code does not start with SJ1: — not a Sijill seal"
        )
    try:
        message, claims = read_seal(text)
    except cose.EnvelopeError as error:
        return Verdict(MALFORMED, f"the seal is truncated or altered ({error})")
    key_id = message.kid.hex()
    key = trust.keys.get(key_id)
    if key is None:
        return Verdict(
            KEY_NOT_CERTIFIED,
            f"key {key_id} is not certified by the ministry",
            claims,
            key_id,
        )
    if key.office != claims.office:
        return Verdict(
            KEY_NOT_CERTIFIED,
            f"key {key_id} is certified for office {key.office}, not {claims.office}",
            claims,
            key_id,
            key.office,
        )
    if not message.verify(key.public_key):
        return Verdict(
            BAD_SIGNATURE,
            "the signature does not match the sealed data: they were changed or forged",
            claims,
            key_id,
            key.office,
        )
    revoked = trust.revoked.get(key_id)
    if revoked is not None:
        return Verdict(
            KEY_REVOKED,
            f"key {key_id} of office {key.office} was revoked on {revoked.at} "
            f"({revoked.reason})",
            claims,
            key_id,
            key.office,
        )
    return Verdict(
        VALID,
        f"sealed by office {key.office} with a key certified by the ministry",
        claims,
        key_id,
        key.office,
    )
