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

import functools
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

from fpdf import FPDF
from fpdf.bidi import BidiParagraph, auto_detect_base_direction
from fpdf.enums import Align, PDFResourceType, TextDirection
from fpdf.fonts import Glyph
from fpdf.line_break import TextLine
from fpdf.unicode_script import UnicodeScript, get_unicode_script

from sijill.documents.fonts import SharedFont

_KEEP = 4096  # lines remembered: labels, headings and the frequent values
# fpdf2's text shaping settings (the rest of its dict is the run under way)
_SHAPING = ("use_shaping_engine", "features", "direction", "script", "language")


@dataclass(frozen=True, slots=True)
class Layout:
    """A line of text laid out: its width (document units) and its operators."""

    width: float
    operators: str  # between "BT x y Td" and "ET", the font chosen in it
    glyphs: tuple[tuple[str, tuple[tuple[int, Glyph], ...]], ...]  # by font key


_LAYOUTS: dict[tuple[object, ...], Layout] = {}
_LAYOUTS_LOCK = threading.Lock()


def fonts_key(pdf: FPDF) -> tuple[object, ...]:
    """What a layout depends on besides its text: the fonts, their order, codes,
    and how text is shaped."""
    shaping = pdf.text_shaping or {}
    return (
        pdf.k,
        tuple(pdf._fallback_font_ids),
        *(repr(shaping.get(key)) for key in _SHAPING),
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


# Bidirectional classes (UAX #9) of the lines that are one run either way: the
# algorithm gives a line without any of the first set one left-to-right run
# (W7, N1), and a line of right-to-left letters among only the second set one
# right-to-left run (W3, W6, N1, N2: without numbers, separators are neutral).
_RIGHT_TO_LEFT = {"R", "AL", "AN", "B", "S"}
_EXPLICIT = {"LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
_NOT_SIMPLY_LTR = frozenset(_RIGHT_TO_LEFT | _EXPLICIT)
_SIMPLY_RTL = frozenset({"R", "AL", "NSM", "WS", "ON", "CS", "ES", "ET"})


@functools.lru_cache(maxsize=2048)
def bidi_runs(
    text: str, direction: TextDirection | None, alias: str
) -> tuple[TextDirection, tuple[tuple[str, TextDirection], ...]]:
    """The paragraph direction of ``text`` and its runs of one direction each.

    Names and labels are mostly lines of one script: those are told apart by
    their characters' classes, and only the others go through fpdf2's
    implementation of the algorithm (Python, a millisecond a line).
    """
    classes = {unicodedata.bidirectional(ch) for ch in text}
    if direction in (None, TextDirection.LTR) and not classes & _NOT_SIMPLY_LTR:
        return TextDirection.LTR, ((text, TextDirection.LTR),) if text else ()
    if (
        direction in (None, TextDirection.RTL)
        and classes <= _SIMPLY_RTL
        and classes & {"R", "AL"}
    ):
        return TextDirection.RTL, ((text, TextDirection.RTL),)
    paragraph = direction or auto_detect_base_direction(text)
    runs = BidiParagraph(
        text=text, base_direction=paragraph, preserve_bn_chars=True, alias=alias
    ).get_bidi_fragments()
    return paragraph, runs


# A run of text in one font and direction: the font, the text, the shaping
# parameters (its direction), its width in document units.
_Run = tuple[SharedFont, str, dict[str, Any], float]


def _runs(pdf: FPDF, text: str) -> list[_Run]:
    """The runs of ``text`` in visual order, as fpdf2's ``cell`` orders them."""
    runs = _simple_runs(pdf, text)
    if runs is not None:
        return runs
    fragments = pdf._preload_bidirectional_text(text, False)
    found = []
    for fragment in TextLine(fragments, 0, 0, Align.L, 0, 0).get_ordered_fragments():
        assert isinstance(fragment.font, SharedFont)
        found.append(
            (
                fragment.font,
                fragment.string,
                fragment.text_shaping_parameters or {},
                fragment.get_width(),
            )
        )
    return found


def _simple_runs(pdf: FPDF, text: str) -> list[_Run] | None:
    """fpdf2's runs of a text its current font draws entirely, found directly.

    fpdf2 (``_preload_bidirectional_text``, ``_parse_chars``) splits each
    bidirectional run where the script changes (common characters go with any
    script), then reverses right-to-left runs, and the runs themselves if the
    paragraph is right to left. A character the font lacks (drawn by a fallback
    font), a line break or the page-count alias is left to fpdf2.
    """
    font = pdf.current_font
    shaping = pdf.text_shaping
    if not isinstance(font, SharedFont) or not shaping or pdf._fallback_font_ids:
        return None
    if "\n" in text or pdf.str_alias_nb_pages in text:
        return None
    cmap = font.cmap
    if any(ord(ch) not in cmap for ch in text):
        return None
    paragraph, bidi = bidi_runs(text, shaping["direction"], pdf.str_alias_nb_pages)
    found: list[list[_Run]] = []
    size = pdf.font_size_pt
    for run, direction in bidi:
        params = {
            **shaping,
            "paragraph_direction": paragraph,
            "fragment_direction": direction,
        }
        pieces = [
            (font, piece, params, font.width(piece, size, params) / pdf.k)
            for piece in _script_pieces(run)
        ]
        found.append(pieces[::-1] if direction == TextDirection.RTL else pieces)
    if paragraph == TextDirection.RTL:
        found.reverse()
    return [piece for pieces in found for piece in pieces]


_NEUTRAL_SCRIPTS = (UnicodeScript.COMMON, UnicodeScript.UNKNOWN)


def _script_pieces(run: str) -> list[str]:
    """``run`` cut where its script changes, as fpdf2's ``_parse_chars`` cuts it."""
    pieces, start, script = [], 0, None
    for i, ch in enumerate(run):
        found = get_unicode_script(ch)
        if found not in _NEUTRAL_SCRIPTS and found != script:
            if i > start and script is not None:
                pieces.append(run[start:i])
                start = i
            script = found
    pieces.append(run[start:])
    return pieces


def _lay_out(pdf: FPDF, text: str) -> Layout:
    ops = _Operators(pdf.k)
    used: dict[str, dict[int, Glyph]] = {}
    start = 0.0
    size = pdf.font_size_pt
    for font, string, params, width in _runs(pdf, text):
        ops.flush()
        ops.parts.append(f"/F{font.i} {size:.2f} Tf")
        glyphs = used.setdefault(font.fontkey, {})
        # fpdf2's render_with_text_shaping, glyph by glyph (no stretching, spacing)
        scale = font.scale * size / 1000 / pdf.k
        x, y = start, 0.0
        for glyph, x_advance, y_advance, x_offset, y_offset, force in font.glyphs(
            string, size, params
        ):
            code = font.face.code(glyph)
            glyphs[code] = glyph
            if x_offset or y_offset:
                ops.move(x + x_offset * scale, y - y_offset * scale)
            ops.codes.append(f"{code:04X}")
            x += x_advance * scale
            y += y_advance * scale
            if force:
                ops.move(x, y)
        ops.flush()
        start += width
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
