"""Drawing a line of text as PDF operators that are laid out once per process.

fpdf2's ``cell`` runs, for every line of every document, the bidirectional
algorithm, its font fallback and a Python loop over the shaped glyphs: half of
the time spent on an extract, though its labels and headings are the same on
every page. Here a line (in one font and size) is laid out once by fpdf2's own
steps — the bidirectional runs in visual order, the fallback font of each run,
HarfBuzz's glyphs and offsets — into text operators relative to where the line
starts, with the process-wide glyph codes of ``Face.code``. Drawing it in a
document is then one string, and the glyphs it uses are added to the document's
fonts; the operators fpdf2 would have written are the same, moved by ``Td``
instead of ``Tm``, so the page looks the same.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import Align, PDFResourceType
from fpdf.fonts import Glyph
from fpdf.line_break import TextLine

from sijill.documents.fonts import SharedFont

_KEEP = 4096  # lines remembered: labels, headings and the frequent values


@dataclass(frozen=True, slots=True)
class Layout:
    """A line of text laid out: its width (document units) and its operators."""

    width: float
    operators: str  # between "BT x y Td" and "ET", the font chosen in it
    glyphs: tuple[tuple[str, tuple[tuple[int, Glyph], ...]], ...]  # by font key


_LAYOUTS: dict[tuple[object, ...], Layout] = {}
_LAYOUTS_LOCK = threading.Lock()


def fonts_key(pdf: FPDF) -> tuple[object, ...]:
    """What a layout depends on besides its text: the fonts, their order, codes."""
    return (
        pdf.k,
        tuple(pdf._fallback_font_ids),
        *(
            (key, font.i, font.face.path, font.face.generation)
            for key, font in pdf.fonts.items()
            if isinstance(font, SharedFont)
        ),
    )


def layout(pdf: FPDF, text: str, fonts_key: tuple[object, ...]) -> Layout:
    """``text`` in the current font and size of ``pdf``, laid out (remembered)."""
    font = pdf.current_font
    assert font is not None
    key = (fonts_key, font.fontkey, pdf.font_size_pt, text)
    found = _LAYOUTS.get(key)
    if found is None:
        found = _lay_out(pdf, text)
        with _LAYOUTS_LOCK:
            _LAYOUTS[key] = found
            if len(_LAYOUTS) > _KEEP:
                del _LAYOUTS[next(iter(_LAYOUTS))]
    return found


class _Operators:
    """Text operators with positions relative to the line's start, in points."""

    def __init__(self, k: float) -> None:
        self.k = k
        self.parts: list[str] = []
        self.codes: list[str] = []
        self.line_x = self.line_y = 0.0  # where the last Td put the line matrix

    def flush(self) -> None:
        if self.codes:
            self.parts.append(f"<{''.join(self.codes)}> Tj")
            self.codes = []

    def move(self, x: float, y: float) -> None:
        """Start drawing at (x, y) in document units, y downwards, from the start."""
        self.flush()
        px, py = round(x * self.k, 3), round(-y * self.k, 3)
        self.parts.append(f"{px - self.line_x:.3f} {py - self.line_y:.3f} Td")
        self.line_x, self.line_y = px, py


def _lay_out(pdf: FPDF, text: str) -> Layout:
    fragments = pdf._preload_bidirectional_text(text, False)
    line = TextLine(fragments, 0, 0, Align.L, 0, 0)
    ops = _Operators(pdf.k)
    used: dict[str, dict[int, Glyph]] = {}
    start = 0.0
    for i, fragment in enumerate(line.get_ordered_fragments()):
        font = fragment.font
        assert isinstance(font, SharedFont)
        ops.flush()
        ops.parts.append(f"/F{font.i} {fragment.font_size_pt:.2f} Tf")
        glyphs = used.setdefault(font.fontkey, {})
        # fpdf2's render_with_text_shaping, glyph by glyph (no stretching, spacing)
        scale = font.scale * fragment.font_size_pt / 1000 / pdf.k
        x, y = start, 0.0
        shaped = font.glyphs(
            fragment.string, fragment.font_size_pt, fragment.text_shaping_parameters
        )
        for glyph, info in shaped:
            code = font.face.code(glyph)
            glyphs[code] = glyph
            if info["x_offset"] or info["y_offset"]:
                ops.move(x + info["x_offset"] * scale, y - info["y_offset"] * scale)
            ops.codes.append(f"{code:04X}")
            x += info["x_advance"] * scale
            y += info["y_advance"] * scale
            if info["force_positioning"]:
                ops.move(x, y)
        ops.flush()
        start += fragment.get_width(initial_cs=i != 0)
    return Layout(
        start,
        " ".join(ops.parts),
        tuple((key, tuple(codes.items())) for key, codes in used.items()),
    )


def draw(
    pdf: FPDF,
    found: Layout,
    x: float,
    y: float,
    w: float,
    h: float,
    align: str,
    color: str,
) -> None:
    """Draw a laid-out line in the cell (x, y, w, h) as fpdf2's ``cell`` would."""
    if not found.operators:
        return
    if align == "R":
        dx = w - pdf.c_margin - found.width
    elif align == "C":
        dx = (w - found.width) / 2
    else:
        dx = pdf.c_margin
    for key, codes in found.glyphs:
        font = pdf.fonts[key]
        assert isinstance(font, SharedFont)
        font.used.update(codes)
        pdf._resource_catalog.add(PDFResourceType.FONT, font.i, pdf.page)
    k = pdf.k
    baseline = pdf.h - y - 0.5 * h - 0.3 * pdf.font_size
    pdf._out(
        f"BT {(x + dx) * k:.2f} {baseline * k:.2f} Td {color} {found.operators} ET"
    )
