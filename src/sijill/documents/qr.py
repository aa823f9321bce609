"""The seal's QR code, encoded by zxing-cpp and drawn as PDF rectangles."""

from __future__ import annotations

import re
from typing import Any

import zxingcpp
from fpdf import FPDF

_QR_QUIET = 2  # modules of white margin inside the printed square
_DARK_RUN = re.compile(b"\x00+")


def _runs(row: bytes) -> list[tuple[int, int]]:
    """The runs of dark modules (0) in a row, as (first column, column after the last)."""
    return [match.span() for match in _DARK_RUN.finditer(row)]


def qr_modules(text: str) -> list[bytes]:
    """The QR code of ``text`` at error correction Q, one byte a module (0 is dark).

    zxing-cpp encodes it (and chooses the best data mask) in C++, a few times faster
    than a Python encoder; it also reads the code back from photos (``reader``).
    """
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="Q")
    image: Any = code.to_image(scale=1, add_quiet_zones=False)  # a buffer, H x W
    pixels = memoryview(image)
    side = pixels.shape[1] if pixels.shape else 0
    data = pixels.tobytes()
    return [data[i : i + side] for i in range(0, len(data), side)]


def draw_qr(pdf: FPDF, text: str, x: float, y: float, side: float) -> None:
    """The seal as a vector QR code (error correction Q), as few rectangles as can be.

    A run of dark modules continues the rectangle of the same run on the rows above.
    The rectangles are given in modules, the ``cm`` matrix scaling them to the
    page; each is filled on its own, as fpdf2's ``rect`` did: one path for all of
    them looks lighter at screen resolutions (its edges are smoothed once).
    """
    rows = [frozenset(_runs(row)) for row in qr_modules(text)]
    k, module = pdf.k, side / (len(rows) + 2 * _QR_QUIET)
    left, top = (x + _QR_QUIET * module) * k, (pdf.h - y - _QR_QUIET * module) * k
    path = [f"q 0 g {module * k:.4f} 0 0 {-module * k:.4f} {left:.2f} {top:.2f} cm"]
    began: dict[tuple[int, int], int] = {}  # an open run -> the row it began on
    above: frozenset[tuple[int, int]] = frozenset()
    for r, runs in enumerate([*rows, frozenset()]):
        for run in sorted(above - runs):  # ends on the row above
            first = began.pop(run)
            path.append(f"{run[0]} {first} {run[1] - run[0]} {r - first} re f")
        for run in runs - above:
            began[run] = r
        above = runs
    path.append("Q")
    pdf._out("\n".join(path))
