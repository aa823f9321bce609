"""The PDF fonts, parsed once per process and shared by every document.

fpdf2 parses a TrueType file for every ``FPDF`` it is added to, shapes the same
labels with HarfBuzz again for every document (and for every character while it
breaks a line), and when it writes the file subsets the whole font with fontTools,
decompiling its large layout tables first. Amiri is 560 KB and 6,782 glyphs: that
was most of the time spent on a document.

Here each face is parsed once and lent to each document as a ``SharedFont`` — the
same character map, metrics and HarfBuzz face, with the document's own subset map
— shaping results are remembered, and the font program written into the PDF is cut
by ``Outlines`` from the file's raw bytes: the glyphs the document uses (and their
components) are copied as they are and numbered anew, nothing is recompiled.
A glyph's 2-byte code in the PDF is given once per process (``Face.code``), so the
operators that draw a line are the same bytes in every document; each PDF declares
the codes it used (``documents/output.py``)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import Glyph, SubsetMap, TTFFont

from sijill.documents.outlines import Outlines

# A shaped glyph: the glyph, its advances and offsets (font units), and whether
# it must be placed on its own (fpdf2's "force_positioning").
ShapedGlyph = tuple[Glyph, int, int, int, int, bool]
_SHAPED_KEEP = 2048  # shapes remembered per face: labels and frequent names
_LAST_CODE = 0xFFFF  # a PDF font's codes are 2 bytes (Identity-H)


class Face:
    """One font file: parsed once, its shapes remembered, its outlines kept raw."""

    def __init__(self, path: Path) -> None:
        self.path = path
        scratch = FPDF()
        scratch.add_font("face", "", path)
        template = scratch.fonts["face"]
        assert isinstance(template, TTFFont)
        _ = template.hbfont  # load the HarfBuzz face now, once
        self.template = template
        self._shaped: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.outlines = Outlines(path.read_bytes(), template.ttfont.getGlyphOrder())
        order = template.ttfont.getGlyphOrder()
        metrics = template.ttfont["hmtx"].metrics
        self.names: list[str] = list(order)
        self.advances: list[int] = [metrics[name][0] for name in order]
        self._codes: dict[tuple[int, Any], int] = {}
        self._codes_lock = threading.Lock()
        self.generation = 0  # raised when the codes are given out anew

    def code(self, glyph: Glyph) -> int:
        """The 2-byte code ``glyph`` (with its Unicode text) has in every PDF.

        Codes are given out once per process, so a line's text operators are the
        same bytes in every document and can be remembered; each PDF declares
        only the codes it uses (widths, ToUnicode, CIDToGIDMap). A glyph drawn
        for two different texts gets two codes, so that each reads back right.
        """
        key = (glyph.glyph_id, glyph.unicode)
        found = self._codes.get(key)
        if found is None:
            with self._codes_lock:
                found = self._codes.get(key)
                if found is None:
                    if len(self._codes) >= _LAST_CODE:
                        # Never reached by names and labels; a document under way
                        # sees the new generation and is laid out again.
                        self._forget_codes()
                    found = self._codes[key] = len(self._codes) + 1
        return found

    def forget_codes(self) -> None:
        """Give the codes out anew: what was laid out with the old ones is dropped."""
        with self._codes_lock:
            self._forget_codes()

    def _forget_codes(self) -> None:
        self._codes.clear()
        self.generation += 1

    def remembered(self, key: tuple[Any, ...]) -> Any:
        """A shape remembered under ``key``, or None."""
        return self._shaped.get(key)

    def remember(self, key: tuple[Any, ...], shape: Any) -> None:
        self._shaped[key] = shape
        if len(self._shaped) > _SHAPED_KEEP:
            self._shaped.popitem(last=False)


class SharedFont(TTFFont):
    """A document's use of a shared ``Face``: its own subset map, shared metrics."""

    face: Face
    used: dict[int, Glyph]  # the codes this document draws, and their glyphs

    def perform_harfbuzz_shaping(
        self,
        text: str,
        font_size_pt: float,
        text_shaping_params: dict[str, Any] | None,
    ) -> tuple[Any, Any]:
        # Advances come back in font units whatever the size (neither face has a
        # tracking table), so a shape is remembered by text and parameters only.
        key = ("shape", text, *_shaping_key(text_shaping_params))
        found = self.face.remembered(key)
        if found is None:
            found = super().perform_harfbuzz_shaping(
                text, font_size_pt, text_shaping_params
            )  # HarfBuzz gives (None, None) for nothing to draw
            self.face.remember(key, found)
        return found  # type: ignore[no-any-return]

    def shape_text(
        self,
        text: str,
        font_size_pt: float,
        text_shaping_params: dict[str, Any] | None,
    ) -> Sequence[dict[str, Any]]:
        # Each shaped glyph's name, width, Unicode text and offsets are the same in
        # every document and are remembered; only the code the glyph gets in this
        # document's subset ("mapped_char") is taken here.
        return [
            {
                "mapped_char": self.subset.pick_glyph(glyph),
                "x_advance": x_advance,
                "y_advance": y_advance,
                "x_offset": x_offset,
                "y_offset": y_offset,
                "force_positioning": force,
            }
            for glyph, x_advance, y_advance, x_offset, y_offset, force in self.glyphs(
                text, font_size_pt, text_shaping_params
            )
        ]

    def width(
        self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any]
    ) -> float:
        """fpdf2's ``shaped_text_width`` of ``text``, in points."""
        _, positions = self.perform_harfbuzz_shaping(
            text, font_size_pt, text_shaping_params
        )
        width: float = 0
        for position in positions or ():  # the same additions, the same rounding
            width += (
                round(self.scale * position.x_advance + 0.001) * font_size_pt * 0.001
            )
        return width

    def glyphs(
        self,
        text: str,
        font_size_pt: float,
        text_shaping_params: dict[str, Any] | None,
    ) -> Sequence[ShapedGlyph]:
        """The glyphs HarfBuzz draws ``text`` with, and their positions (remembered)."""
        key = ("glyphs", text, *_shaping_key(text_shaping_params))
        glyphs = self.face.remembered(key)
        if glyphs is None:
            glyphs = self._shaped_glyphs(text, font_size_pt, text_shaping_params)
            self.face.remember(key, glyphs)
        return glyphs  # type: ignore[no-any-return]

    def _shaped_glyphs(
        self,
        text: str,
        font_size_pt: float,
        text_shaping_params: dict[str, Any] | None,
    ) -> list[ShapedGlyph]:
        # fpdf2's TTFFont.shape_text (2.8.9), the glyph names and widths read from
        # lists made once instead of through fontTools for every glyph.
        if not text:
            return []
        infos, positions = self.perform_harfbuzz_shaping(
            text, font_size_pt, text_shaping_params
        )
        if not infos:
            return []
        # Each character's text goes to the glyphs of the last cluster starting at
        # or before it (those before the first cluster, to the first): a
        # ligature's glyph reads back as all the letters it joins.
        starts = sorted({int(info.cluster) for info in infos})
        ends = [*starts[1:], len(text)]
        chars_of = {
            start: text[start:end] for start, end in zip(starts, ends, strict=True)
        }
        chars_of[starts[0]] = text[: ends[0]]
        found = []
        names, advances = self.face.names, self.face.advances
        for info, position in zip(infos, positions, strict=True):
            chars = chars_of.pop(info.cluster, "")
            gid = info.codepoint
            if not gid:  # .notdef: fpdf2 draws nothing for a missing glyph
                continue
            width = round(self.scale * advances[gid])
            glyph = Glyph(gid, tuple(map(ord, chars)), names[gid], width)
            x_advance, y_advance = position.x_advance, position.y_advance
            x_offset, y_offset = position.x_offset, position.y_offset
            # fpdf2 places a glyph itself when it is not where its width leads
            force = bool(width != x_advance or x_offset or y_offset or y_advance)
            found.append((glyph, x_advance, y_advance, x_offset, y_offset, force))
        return found


def _shaping_key(params: dict[str, Any] | None) -> tuple[Any, ...]:
    params = params or {}
    direction = params.get("fragment_direction")
    return (
        direction.value if direction is not None else None,
        params.get("script"),
        params.get("language"),
        tuple(sorted((params.get("features") or {}).items())),
    )


def _lend(face: Face, pdf: FPDF, fontkey: str, style: str) -> SharedFont:
    font = SharedFont.__new__(SharedFont)
    for slot in TTFFont.__slots__:
        if hasattr(face.template, slot):
            setattr(font, slot, getattr(face.template, slot))
    font.face = face
    font.i = len(pdf.fonts) + 1
    font.fontkey = fontkey
    font.emphasis = type(face.template.emphasis).coerce(style)
    font.biggest_size_pt = 0
    font.missing_glyphs = []
    font.color_font = None
    font.subset = SubsetMap(font)
    font.used = {}
    return font


_FACES: dict[Path, Face] = {}
_FACES_LOCK = threading.Lock()


def face(path: Path) -> Face:
    """The face of the font file at ``path``, parsed on first use in this process.

    Threads share it: after parsing, the character map, metrics and HarfBuzz face
    are only read, and each document has its own subset map.
    """
    found = _FACES.get(path)
    if found is None:
        with _FACES_LOCK:
            found = _FACES.get(path)
            if found is None:
                found = _FACES[path] = Face(path)
    return found


def add_shared_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """``pdf.add_font(family, style, path)``, lending the face parsed once."""
    fontkey = f"{family.lower()}{style}"
    pdf.fonts[fontkey] = _lend(face(path), pdf, fontkey, style)


def forget_glyph_lookups() -> None:
    """Empty fpdf2's per-class memo of subset lookups, which holds every document's."""
    for method in (SubsetMap.pick, SubsetMap.get_glyph):
        clear: Callable[[], None] | None = getattr(method, "cache_clear", None)
        if clear is not None:
            clear()
