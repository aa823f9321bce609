"""Laying a document out as a PDF: Arabic right to left, shaped by HarfBuzz, and French.

fpdf2 (``set_text_shaping``) orders mixed Arabic and Latin runs with the Unicode
bidirectional algorithm and shapes them with HarfBuzz; each line is laid out so
once per process and then drawn as remembered PDF operators (``typeset.py``). The
font is Amiri, from Debian's ``fonts-hosny-amiri`` (SIL Open Font Licence);
Tifinagh names fall back to DejaVu Sans. fpdf2 keeps the pages, their metadata and
attachments and writes the file (``output.py`` the fonts). The seal is drawn as a
vector QR code (``qr.py``) and also stored in the file (keywords and an attached
``sijill-seal.txt``) so it reads back without decoding an image.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from fpdf.line_break import Fragment

from sijill.documents.content import DocumentContent, Line, Section
from sijill.documents.fonts import add_shared_font, forget_glyph_lookups
from sijill.documents.output import DocumentOutput
from sijill.documents.qr import draw_qr
from sijill.documents.typeset import Layout, bidi_runs, draw, fonts_key, layout

FONT_DIRS = (
    Path("/usr/share/fonts/opentype/fonts-hosny-amiri"),
    Path("/usr/share/fonts/truetype/fonts-hosny-amiri"),
)
TIFINAGH_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SEAL_ATTACHMENT = "sijill-seal.txt"
QR_SIDE_MM = 36.0
_GREY_FILL = "0.925 0.925 0.925 rg"  # a section's heading row: (236, 236, 236)
_INK = (20, 30, 60)


class FontMissing(RuntimeError):
    """Amiri is not installed: ``apt-get install fonts-hosny-amiri``."""


@functools.cache
def amiri(style: str = "Regular") -> Path:
    """The path of an Amiri face installed by Debian's ``fonts-hosny-amiri``."""
    for directory in FONT_DIRS:
        path = directory / f"Amiri-{style}.ttf"
        if path.exists():
            return path
    raise FontMissing(
        "the Amiri font is missing: apt-get install fonts-hosny-amiri "
        f"(looked in {', '.join(map(str, FONT_DIRS))})"
    )


def _has_tifinagh(content: DocumentContent) -> bool:
    return any(
        "\u2d30" <= ch <= "\u2d7f"
        for section in content.sections
        for line in section.lines
        for ch in line.value_ar
    )


class _Page(FPDF):
    """An A4 page with the registry's fonts and shaping switched on."""

    def __init__(self, content: DocumentContent) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, margin=16)
        add_shared_font(self, "Amiri", "", amiri("Regular"))
        add_shared_font(self, "Amiri", "B", amiri("Bold"))
        if _has_tifinagh(content) and TIFINAGH_FONT.exists():
            add_shared_font(self, "DejaVu", "", TIFINAGH_FONT)
            self.set_fallback_fonts(["DejaVu"])
        self.set_text_shaping(use_shaping_engine=True)
        self.set_text_color(*_INK)
        assert self.text_color is not None
        self.ink = self.text_color.serialize().lower()
        self.footer_text = f"{content.issue.number} — {content.ref}"
        self.fonts_key = fonts_key(self)

    def layout(self, text: str) -> Layout:
        """``text`` in the current font and size, laid out once per process."""
        return layout(self, text, self.fonts_key)

    def text_cell(
        self, w: float, h: float, text: str, align: str, *, next_line: bool = False
    ) -> None:
        """fpdf2's ``cell(w, h, text, align=align)`` at the current position."""
        if w == 0:
            w = self.w - self.r_margin - self.x
        draw(self, self.layout(text), self.x, self.y, w, h, align, self.ink)
        if next_line:
            self.x, self.y = self.l_margin, self.y + h
        else:
            self.x += w

    def _preload_bidirectional_text(
        self, text: str, markdown: bool
    ) -> Sequence[Fragment]:
        # fpdf2's own steps (fpdf2 2.8.9), the bidirectional runs of each text being
        # remembered: the Unicode bidi algorithm ran again for every label of every
        # page, a quarter of the time spent laying a document out.
        if not self.text_shaping:
            return super()._preload_bidirectional_text(text, markdown)
        direction, runs = bidi_runs(
            text, self.text_shaping["direction"], self.str_alias_nb_pages
        )
        self.text_shaping["paragraph_direction"] = direction
        emphasis = (
            "B" in self.font_style,
            "I" in self.font_style,
            self.strikethrough,
            self.underline,
        )
        fragments: list[Fragment] = []
        for run, run_direction in runs:
            self.text_shaping["fragment_direction"] = run_direction
            fragments += self._preload_font_styles(
                run, markdown, _initial_emphasis=emphasis
            )
            emphasis = getattr(self, "_markdown_emphasis", emphasis)
        return tuple(fragments)

    def footers(self) -> None:
        """Each page's footer, once the number of pages is known."""
        last = self.page
        self.set_font("Amiri", "", 8)
        for page in range(1, last + 1):
            self.page = page
            self.set_xy(self.l_margin, self.h - 12)
            self.text_cell(0, 5, self.footer_text, "L")
            self.text_cell(0, 5, f"{page}/{last}", "R")
        self.page = last


def _header(pdf: _Page, content: DocumentContent, lang: str) -> None:
    issue = content.issue
    pdf.set_font("Amiri", "B", 11)
    top = pdf.get_y()
    if lang in ("fr", "bilingual"):
        for text in ("ROYAUME DU MAROC", "État civil", issue.office_fr):
            pdf.text_cell(90, 5.5, text, "L", next_line=True)
    if lang in ("ar", "bilingual"):
        pdf.set_y(top)
        for text in ("المملكة المغربية", "الحالة المدنية", issue.office_ar):
            pdf.set_x(pdf.w - pdf.r_margin - 90)
            pdf.text_cell(90, 5.5, text, "R", next_line=True)
    pdf.ln(4)
    pdf.set_font("Amiri", "B", 17)
    titles = {
        "ar": [content.title_ar],
        "fr": [content.title_fr],
        "bilingual": [content.title_ar, content.title_fr],
    }[lang]
    for title in titles:
        pdf.text_cell(0, 9, title, "C", next_line=True)
    pdf.ln(3)


def _widths(lang: str) -> tuple[float, ...]:
    return {"bilingual": (37, 53, 53, 37), "ar": (125, 55), "fr": (55, 125)}[lang]


_LINE_HEIGHT = 5.0
_PAD_X, _PAD_Y = 1.5, 0.5
# Where text wraps in a cell, by font, size, width and text: labels recur in every
# document, and fpdf2 measures a line letter by letter.
_WRAPPED: OrderedDict[tuple[str, float, float, str], tuple[str, ...]] = OrderedDict()
_WRAPPED_KEEP = 2048

# A cell: its text, its width in columns and its alignment (L, C or R).
Cell = tuple[str, int, str]


def _wrapped(pdf: _Page, text: str, width: float) -> tuple[str, ...]:
    """The lines of ``text`` in a cell ``width`` wide, in the current font."""
    room = width - 2 * _PAD_X
    key = (pdf.font_family + pdf.font_style, pdf.font_size_pt, room, text)
    lines = _WRAPPED.get(key)
    if lines is None:
        if pdf.layout(text).width <= room:
            lines = (text,)
        else:
            found = pdf.multi_cell(
                room, _LINE_HEIGHT, text, dry_run=True, output=MethodReturnValue.LINES
            )
            assert isinstance(found, list)
            lines = tuple(str(line) for line in found)
        _WRAPPED[key] = lines
        if len(_WRAPPED) > _WRAPPED_KEEP:
            _WRAPPED.popitem(last=False)
    return lines


def _row(pdf: _Page, widths: tuple[float, ...], cells: list[Cell], fill: bool) -> None:
    """One row of a section, laid out by hand: a cell holds one or more lines."""
    x, spans = pdf.l_margin, []
    column = 0
    for text, span, align in cells:
        width = sum(widths[column : column + span])
        spans.append((x, width, _wrapped(pdf, text, width), align))
        x, column = x + width, column + span
    height = max(len(lines) for _, _, lines, _ in spans) * _LINE_HEIGHT + 2 * _PAD_Y
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    k, left_pt, bottom = pdf.k, pdf.l_margin * pdf.k, (pdf.h - top - height) * pdf.k
    if fill:
        pdf._out(
            f"q {_GREY_FILL} {left_pt:.2f} {(pdf.h - top) * k:.2f} "
            f"{pdf.epw * k:.2f} {-height * k:.2f} re f Q"
        )
    for left, width, lines, align in spans:
        for i, line in enumerate(lines):
            y = top + _PAD_Y + i * _LINE_HEIGHT
            draw(pdf, pdf.layout(line), left + _PAD_X, y, width - 2 * _PAD_X,
                 _LINE_HEIGHT, align, pdf.ink)  # fmt: skip
    pdf._out(
        f"{left_pt:.2f} {bottom:.2f} m {(pdf.l_margin + pdf.epw) * k:.2f} "
        f"{bottom:.2f} l S"
    )
    pdf.set_xy(pdf.l_margin, top + height)


def _heading(section: Section, lang: str) -> list[Cell]:
    if lang == "bilingual":
        return [(section.title_fr, 2, "L"), (section.title_ar, 2, "R")]
    if lang == "ar":
        return [(section.title_ar, 2, "R")]
    return [(section.title_fr, 2, "L")]


def _cells(line: Line, lang: str) -> list[Cell]:
    if lang == "ar":
        return [(line.value_ar, 1, "R"), (line.label_ar, 1, "R")]
    if lang == "fr":
        return [(line.label_fr, 1, "L"), (line.value_fr, 1, "L")]
    if line.value_ar == line.value_fr:
        return [
            (line.label_fr, 1, "L"),
            (line.value_fr, 2, "C"),
            (line.label_ar, 1, "R"),
        ]
    return [
        (line.label_fr, 1, "L"),
        (line.value_fr, 1, "L"),
        (line.value_ar, 1, "R"),
        (line.label_ar, 1, "R"),
    ]


def _section(pdf: _Page, section: Section, lang: str) -> None:
    widths = _widths(lang)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_font("Amiri", "B", 11)
    _row(pdf, widths, _heading(section, lang), fill=True)
    pdf.set_font("Amiri", "", 10)
    for line in section.lines:
        _row(pdf, widths, _cells(line, lang), fill=False)
    pdf.ln(1.5)


def _closing(pdf: _Page, content: DocumentContent, seal: str, lang: str) -> None:
    issue = content.issue
    if pdf.get_y() + QR_SIDE_MM + 14 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(3)
    top = pdf.get_y()
    qr_x = pdf.w - pdf.r_margin - QR_SIDE_MM if lang == "ar" else pdf.l_margin
    draw_qr(pdf, seal, qr_x, top, QR_SIDE_MM)
    text_x = pdf.l_margin if lang == "ar" else pdf.l_margin + QR_SIDE_MM + 5
    width = pdf.epw - QR_SIDE_MM - 5
    pdf.set_xy(text_x, top)
    day_ar = f"{issue.issued_on.day}/{issue.issued_on.month:02d}/{issue.issued_on.year}"
    lines: list[tuple[str, str]] = []
    if lang in ("ar", "bilingual"):
        lines += [
            (f"سلمت ب{issue.office_ar} بتاريخ {day_ar}", "R"),
            (f"ضابط الحالة المدنية: {issue.officer_ar}", "R"),
            ("رمز التحقق: امسح الرمز أو تحقق برقم الوثيقة", "R"),
        ]
    if lang in ("fr", "bilingual"):
        lines += [
            (f"Délivré à {issue.office_fr} le {day_ar}", "L"),
            (f"L'officier d'état civil : {issue.officer_fr}", "L"),
            ("Code de vérification : scannez-le ou vérifiez le n° du document", "L"),
        ]
    pdf.set_font("Amiri", "", 10.5)
    for text, align in lines:
        pdf.set_x(text_x)
        pdf.text_cell(width, 5.6, text, align, next_line=True)
    pdf.set_x(text_x)
    pdf.set_font("Amiri", "B", 10.5)
    pdf.text_cell(width, 6, issue.number, "C")


def render_pdf(content: DocumentContent, *, seal: str, lang: str) -> bytes:
    """The PDF of ``content`` in ``lang`` (ar, fr or bilingual), with its seal."""
    for _ in range(3):
        pdf = _laid_out(content, seal=seal, lang=lang)
        if fonts_key(pdf) == pdf.fonts_key:
            break
        # A face gave its glyph codes out anew while this document was laid out.
    else:
        raise RuntimeError("the fonts' glyph codes keep being given out anew")
    try:
        return bytes(pdf.output(output_producer_class=DocumentOutput))
    finally:
        forget_glyph_lookups()


def _laid_out(content: DocumentContent, *, seal: str, lang: str) -> _Page:
    pdf = _Page(content)
    issued = datetime.combine(content.issue.issued_on, datetime.min.time(), UTC)
    pdf.set_creation_date(issued)
    pdf.set_title(f"{content.title_fr} — {content.title_ar}")
    pdf.set_subject(content.issue.number)
    pdf.set_author(content.issue.office_fr)
    pdf.set_creator("Sijill")
    pdf.set_keywords(seal)
    pdf.set_lang("ar" if lang == "ar" else "fr")
    pdf.add_page()
    _header(pdf, content, lang)
    for section in content.sections:
        _section(pdf, section, lang)
    _closing(pdf, content, seal, lang)
    pdf.footers()
    pdf.embed_file(
        basename=SEAL_ATTACHMENT,
        bytes=seal.encode("ascii"),
        desc="Sijill seal (COSE_Sign1, zlib, base45)",
        modification_date=issued,
        creation_date=issued,
    )
    return pdf
