"""Writing a document's PDF: each shared font declared with only the codes it drew.

fpdf2 writes a font from its own subset map, with a 128 KiB CIDToGIDMap and a
fontTools subset. A document's text is drawn here with the process-wide codes of
``Face.code`` (``documents/typeset.py``), so each font is written from the codes
the document used: their widths, their Unicode text (ToUnicode: what a reader
copies and searches), the glyph each code shows in the cut font program.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from fpdf.fonts import PDFFontDescriptor
from fpdf.output import (
    CIDSystemInfo,
    OutputProducer,
    PDFFont,
    PDFFontStream,
    PDFPage,
    _build_cmap_blocks,
)
from fpdf.syntax import Name, PDFArray, PDFContentStream

from sijill.documents.fonts import SharedFont

_CMAP_HEAD = (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
)
_CMAP_TAIL = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"


# zlib's fastest level: a third of the default level's time, for about 3 % more
# bytes (a bilingual extract: 45.4 KB at the default level, 46.9 KB at this one).
_ZLIB_LEVEL = 1


class _Stream(PDFContentStream):
    _COMPRESSION_LEVEL = _ZLIB_LEVEL


class _FontStream(PDFFontStream):
    _COMPRESSION_LEVEL = _ZLIB_LEVEL


def _utf16(codepoint: int) -> str:
    if codepoint > 0xFFFF:
        high = 0xD800 | (codepoint - 0x10000) >> 10
        return f"{high:04X}{0xDC00 | (codepoint & 0x3FF):04X}"
    return f"{codepoint:04X}"


def _to_unicode(font: SharedFont) -> bytes:
    lines = [
        f"<{code:04X}> <{''.join(_utf16(c) for c in glyph.unicode)}>\n"
        for code, glyph in sorted(font.used.items())
        if isinstance(glyph.unicode, tuple) and glyph.unicode
    ]
    return (_CMAP_HEAD + _build_cmap_blocks(lines, "bfchar") + _CMAP_TAIL).encode(
        "latin-1"
    )


def _widths(font: SharedFont) -> str:
    return (
        "["
        + " ".join(f"{code} [{g.glyph_width}]" for code, g in sorted(font.used.items()))
        + "]"
    )


class DocumentOutput(OutputProducer):
    """fpdf2's writer, with the shared fonts written from the codes a document drew."""

    def _add_fonts(self, *args: Any, **kwargs: Any) -> Any:
        catalog = self.fpdf._resource_catalog
        fonts = catalog.font_registry
        shared = {key: f for key, f in fonts.items() if isinstance(f, SharedFont)}
        catalog.font_registry = {k: f for k, f in fonts.items() if k not in shared}
        try:
            written = super()._add_fonts(*args, **kwargs)
        finally:
            catalog.font_registry = fonts
        for font in sorted(shared.values(), key=lambda f: f.i):
            written[font.i] = self._add_shared_font(font)
        return written

    def _add_pages(self, _slice: slice = slice(0, None)) -> list[PDFPage]:
        # The pages' content streams, compressed at the same level as the fonts.
        fpdf = self.fpdf
        compress, fpdf.compress = fpdf.compress, False
        try:
            pages = super()._add_pages(_slice)
        finally:
            fpdf.compress = compress
        if compress:
            for page in pages:
                stream = page.contents
                assert isinstance(stream, PDFContentStream)
                stream._contents = zlib.compress(stream._contents, _ZLIB_LEVEL)
                stream.filter = Name("FlateDecode")
                stream.length = len(stream._contents)
        return pages

    def _add_shared_font(self, font: SharedFont) -> PDFFont:
        name = f"MPDFAA+{font.name}"
        used = font.used
        program, renumbered = font.face.outlines.subset(
            [glyph.glyph_name for glyph in used.values()]
        )
        composite = PDFFont(subtype="Type0", base_font=name, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        cid_font = PDFFont(
            subtype="CIDFontType2",
            base_font=name,
            d_w=font.desc.missing_width,
            w=_widths(font),
        )
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])
        to_unicode = _Stream(_to_unicode(font), compress=True)
        self._add_pdf_obj(to_unicode, "fonts")
        composite.to_unicode = to_unicode
        system_info = CIDSystemInfo()
        self._add_pdf_obj(system_info, "fonts")
        cid_font.c_i_d_system_info = system_info
        descriptor = PDFFontDescriptor.__new__(PDFFontDescriptor)
        descriptor.__dict__.update(font.desc.__dict__)  # the face's, shared
        descriptor.font_name = Name(name)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor
        gids = bytearray(2 * (max(used, default=0) + 1))
        for code, glyph in used.items():
            struct.pack_into(">H", gids, 2 * code, renumbered[glyph.glyph_id])
        cid_to_gid = _Stream(bytes(gids), compress=True)
        self._add_pdf_obj(cid_to_gid, "fonts")
        cid_font.c_i_d_to_g_i_d_map = cid_to_gid
        program_obj = _FontStream(contents=program)
        self._add_pdf_obj(program_obj, "fonts")
        descriptor.font_file2 = program_obj  # type: ignore[attr-defined]
        return composite
