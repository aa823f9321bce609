"""The PDF's own signature (PAdES, with pyHanko), so any PDF reader sees a change.

The ministry's root key is also an X.509 certificate authority: it issues each office
key an X.509 certificate beside its COSE certificate. The office signs the PDF with
the same Ed25519 key that seals the QR code (EdDSA in CMS, RFC 8419); the private
key never leaves the office's ``Signer``. ``check_pdf`` validates the signature
against the root certificate and reports whether the file changed after signing.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.x509.oid import NameOID

if TYPE_CHECKING:
    from sijill.documents.seal import SealSigner

UNSIGNED = "unsigned"
INTACT = "intact"
CHANGED = "changed"
UNTRUSTED = "untrusted"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sijill — état civil"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def root_certificate(root: Ed25519PrivateKey, at: datetime) -> x509.Certificate:
    """The self-signed certificate of the ministry's root key (20 years)."""
    name = _name("Sijill — autorité racine du ministère")
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(root.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(at - timedelta(days=1))
        .not_valid_after(at + timedelta(days=20 * 366))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .sign(root, None)
    )


def office_certificate(
    root: Ed25519PrivateKey,
    issuer: x509.Certificate,
    *,
    office: str,
    public_key: bytes,
    at: datetime,
) -> x509.Certificate:
    """An X.509 certificate for an office key, issued by the root (10 years)."""
    return (
        x509.CertificateBuilder()
        .subject_name(_name(office))
        .issuer_name(issuer.subject)
        .public_key(Ed25519PublicKey.from_public_bytes(public_key))
        .serial_number(x509.random_serial_number())
        .not_valid_before(at - timedelta(days=1))
        .not_valid_after(at + timedelta(days=10 * 366))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .sign(root, None)
    )


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


@functools.lru_cache(maxsize=64)
def _asn1(certificate_pem: bytes) -> Any:
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]

    der = x509.load_pem_x509_certificate(certificate_pem).public_bytes(
        serialization.Encoding.DER
    )
    return asn1_x509.Certificate.load(der)


# Room kept in the file for the CMS signature: an Ed25519 signature, the office
# certificate and the signed attributes take about 1.3 KB. Reserving it outright
# spares pyHanko a dry-run signature to measure it, on every document.
SIGNATURE_ROOM = 4096
_SHA512_BYTES = 64
_REASON = "Document délivré par l'état civil — وثيقة مسلمة من الحالة المدنية"


@dataclass(frozen=True)
class CmsTemplate:
    """An office's CMS signature with its two variable parts located.

    With the office certificate, PAdES signed attributes hold the content type, the
    message digest and the certificate's hash: only the digest changes from one PDF
    to the next, and then the Ed25519 signature over the attributes. asn1crypto
    took most of a signature's time rebuilding the same structure; the template
    copies it and writes the two values in place.
    """

    container: bytes  # the DER ContentInfo
    attributes: bytes  # the DER signed attributes, as signed (a SET OF)
    digest_in_container: int
    digest_in_attributes: int
    signature_in_container: int

    @classmethod
    def of(
        cls, container: bytes, attributes: bytes, digest: bytes, signature: bytes
    ) -> CmsTemplate | None:
        """The template of a signature pyHanko made, or None if its parts are ambiguous."""
        places = [
            (whole.find(part), whole.count(part))
            for whole, part in (
                (container, digest),
                (attributes, digest),
                (container, signature),
            )
        ]
        if any(count != 1 for _, count in places):
            return None
        return cls(container, attributes, *(at for at, _ in places))

    def fill(self, digest: bytes, sign: Callable[[bytes], bytes]) -> bytes:
        """The DER ContentInfo for ``digest``, signed by ``sign``."""
        if len(digest) != _SHA512_BYTES:
            raise ValueError("the template holds a SHA-512 digest")
        attributes = bytearray(self.attributes)
        attributes[
            self.digest_in_attributes : self.digest_in_attributes + len(digest)
        ] = digest
        signature = sign(bytes(attributes))
        container = bytearray(self.container)
        at = self.digest_in_container
        container[at : at + len(digest)] = digest
        at = self.signature_in_container
        container[at : at + len(signature)] = signature
        return bytes(container)


class PdfSigner:
    """An office's PDF signer, set up once (certificate, CMS signer, metadata).

    ``sign`` is called for every document; the office key signs through its
    ``Signer`` and never leaves it. The first signature is pyHanko's own; it
    becomes the ``CmsTemplate`` of the next ones once filling the template in with
    its digest gives exactly the same bytes back (Ed25519 is deterministic).
    """

    def __init__(self, signer: SealSigner, certificate_pem: bytes) -> None:
        from asn1crypto import cms
        from pyhanko.sign import fields, signers
        from pyhanko_certvalidator.registry import (
            SimpleCertificateStore,
        )

        class OfficeSigner(signers.Signer):
            template: CmsTemplate | None = None
            learnt = False

            async def async_sign_raw(
                self, data: bytes, digest_algorithm: str, dry_run: bool = False
            ) -> bytes:
                return bytes(64) if dry_run else signer.sign(data)

            async def async_sign(  # type: ignore[no-untyped-def]
                self, data_digest: bytes, digest_algorithm: str, *args, **kwargs
            ) -> Any:
                # A real signature of a PDF (not a dry run, no time stamp) is what
                # the template stands for.
                plain = not args and not kwargs.get("dry_run")
                plain = plain and not kwargs.get("timestamper")
                if plain and self.template is not None:
                    filled = self.template.fill(data_digest, signer.sign)
                    return cms.ContentInfo.load(filled)
                info = await super().async_sign(
                    data_digest, digest_algorithm, *args, **kwargs
                )
                if plain and not self.learnt:
                    self.learnt = True
                    self.template = _template_of(info, data_digest, signer.sign)
                return info

        self.key_id = signer.key_id
        self._cms_signer = OfficeSigner(
            signing_cert=_asn1(certificate_pem),
            cert_registry=SimpleCertificateStore(),  # type: ignore[no-untyped-call]
        )
        self._meta = signers.PdfSignatureMetadata(
            field_name="Sijill",
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha512",
            reason=_REASON,
        )

    @property
    def uses_template(self) -> bool:
        """Whether signatures are now filled into the template of the first."""
        return self._cms_signer.template is not None

    def sign(self, pdf: bytes) -> bytes:
        """``pdf`` signed (PAdES baseline B) by the office key of the certificate."""
        from pyhanko.pdf_utils.incremental_writer import (
            IncrementalPdfFileWriter,
        )
        from pyhanko.sign import signers

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        out = io.BytesIO()
        asyncio.run(
            signers.async_sign_pdf(
                writer,
                self._meta,
                signer=self._cms_signer,
                bytes_reserved=SIGNATURE_ROOM,
                output=out,
            )
        )
        return out.getvalue()


def _template_of(
    info: Any, digest: bytes, sign: Callable[[bytes], bytes]
) -> CmsTemplate | None:
    """The template of pyHanko's signature ``info``, if it gives ``info`` back exactly."""
    container = info.dump()
    signer_info = info["content"]["signer_infos"][0]
    attributes = bytearray(signer_info["signed_attrs"].dump())
    attributes[0] = 0x31  # signed as a SET OF, stored as [0] IMPLICIT
    signature = signer_info["signature"].native
    template = CmsTemplate.of(container, bytes(attributes), digest, signature)
    if template is None or template.fill(digest, sign) != container:
        return None
    return template


_SIGNERS: dict[tuple[str, bytes], PdfSigner] = {}


def pdf_signer(signer: SealSigner, certificate_pem: bytes) -> PdfSigner:
    """The PDF signer of an office key and certificate, set up on first use."""
    key = (signer.key_id, certificate_pem)
    found = _SIGNERS.get(key)
    if found is None:
        found = _SIGNERS[key] = PdfSigner(signer, certificate_pem)
    return found


def sign_pdf(pdf: bytes, signer: SealSigner, certificate_pem: bytes) -> bytes:
    """``pdf`` signed (PAdES baseline B) by the office key named in the certificate."""
    return pdf_signer(signer, certificate_pem).sign(pdf)


@dataclass(frozen=True)
class PdfCheck:
    """Whether a PDF carries the office's signature, and whether it changed since."""

    status: str
    reason: str

    @property
    def intact(self) -> bool:
        return self.status == INTACT


def check_pdf(pdf: bytes, root_pem: bytes) -> PdfCheck:
    """Validate the PDF's signature against the ministry root; never raises."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import (
        SignatureValidationError,
    )
    from pyhanko_certvalidator import ValidationContext

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if not signatures:
            return PdfCheck(UNSIGNED, "the PDF carries no signature")
        context = ValidationContext(
            trust_roots=[_asn1(root_pem)], moment=datetime.now(UTC)
        )
        status = validate_pdf_signature(signatures[0], context)
    except (
        SignatureValidationError,
        ValueError,
        KeyError,
        TypeError,
        OSError,
    ) as error:
        return PdfCheck(CHANGED, f"the PDF signature cannot be read: {error}")
    except Exception as error:  # pyhanko raises many kinds on a damaged file
        return PdfCheck(CHANGED, f"the PDF is damaged: {type(error).__name__}")
    if not status.intact or not status.valid:
        return PdfCheck(CHANGED, "the PDF was changed after it was signed")
    coverage = status.coverage.name if status.coverage else ""
    if coverage != "ENTIRE_FILE" or not status.docmdp_ok:
        return PdfCheck(CHANGED, "content was added to the PDF after it was signed")
    if not status.trusted:
        return PdfCheck(
            UNTRUSTED, "the PDF is signed by a key the ministry did not certify"
        )
    return PdfCheck(INTACT, "the PDF is exactly as the office signed it")
