"""Finding the seal in what a verifier is handed: a PDF, a photo of the QR, or its text.

A Sijill PDF carries its seal three times: drawn as a QR code, in the document's
keywords and as the attachment ``sijill-seal.txt``; the reader takes the attachment,
then the keywords. A PNG or JPEG is decoded with zxing-cpp. Whatever fails to read
is reported as ``None`` (no seal found), never as an exception.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from sijill.documents.render import SEAL_ATTACHMENT
from sijill.documents.seal import PREFIX

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"RIFF")


def seal_from_pdf(data: bytes) -> str | None:
    """The seal stored in a PDF (attachment, then keywords), or None."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        for content in reader.attachments.get(SEAL_ATTACHMENT, []):
            text = content.decode("ascii", errors="replace").strip()
            if text.startswith(PREFIX):
                return text
        keywords = reader.metadata.keywords if reader.metadata else None
        if isinstance(keywords, str) and keywords.strip().startswith(PREFIX):
            return keywords.strip()
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None
    return None


def seal_from_image(data: bytes) -> str | None:
    """The text of the first QR code in a PNG or JPEG image, or None."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            found = zxingcpp.read_barcodes(image.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    for barcode in found:
        if barcode.format == zxingcpp.BarcodeFormat.QRCode and barcode.text:
            return str(barcode.text)
    return None


def seal_from_bytes(data: bytes) -> str | None:
    """The seal in a PDF, an image, or a text file holding the QR text."""
    if data.startswith(b"%PDF"):
        return seal_from_pdf(data)
    if data.startswith(_IMAGE_MAGIC):
        return seal_from_image(data)
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return text or None


def seal_from_file(path: Path) -> str | None:
    """The seal in the file at ``path`` (see ``seal_from_bytes``)."""
    return seal_from_bytes(path.read_bytes())
