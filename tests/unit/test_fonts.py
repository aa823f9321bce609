"""The fonts shared by every PDF: a subset is the original glyphs, copied byte for byte."""

from __future__ import annotations

import io

import pytest
from fontTools import ttLib

from sijill.documents.fonts import face
from sijill.documents.outlines import Outlines
from sijill.documents.render import FontMissing, amiri


@pytest.fixture(scope="module")
def outlines() -> Outlines:
    try:
        return face(amiri("Regular")).outlines
    except FontMissing as missing:
        pytest.skip(str(missing))


def _glyph_names(text: str) -> list[str]:
    font = face(amiri("Regular")).template
    return [font.cmap[ord(c)] for c in text if ord(c) in font.cmap]


def _cut(outlines: Outlines, names: list[str]) -> tuple[ttLib.TTFont, dict[int, int]]:
    program, renumbered = outlines.subset(names)
    return ttLib.TTFont(io.BytesIO(program)), renumbered


def test_a_subset_holds_the_glyphs_asked_for_with_their_outlines_and_widths(
    outlines: Outlines,
) -> None:
    names = _glyph_names("محمد Mohamed")
    cut, renumbered = _cut(outlines, names)
    original = ttLib.TTFont(str(amiri("Regular")))
    order, glyf = cut.getGlyphOrder(), cut["glyf"]
    assert len(order) < 60  # only what was asked for, .notdef and components
    for name in names:
        mine = order[renumbered[outlines.gid[name]]]
        theirs = original["glyf"][name]
        coordinates = glyf[mine].getCoordinates(glyf)[0]
        assert list(coordinates) == list(theirs.getCoordinates(original["glyf"])[0])
        assert cut["hmtx"][mine] == original["hmtx"][name]


def test_notdef_stays_first(outlines: Outlines) -> None:
    cut, renumbered = _cut(outlines, _glyph_names("Ali"))
    assert renumbered[0] == 0
    assert cut["glyf"][cut.getGlyphOrder()[0]].numberOfContours > 0


def test_the_components_of_a_composite_glyph_come_with_it_renumbered(
    outlines: Outlines,
) -> None:
    composite = next(
        gid for gid in range(len(outlines.offsets) - 1) if outlines.components(gid)
    )
    name = next(n for n, gid in outlines.gid.items() if gid == composite)
    cut, renumbered = _cut(outlines, [name])
    original = ttLib.TTFont(str(amiri("Regular")))
    order, glyf = cut.getGlyphOrder(), cut["glyf"]
    glyph = glyf[order[renumbered[composite]]]
    assert glyph.isComposite()
    parts = [c.glyphName for c in glyph.components]
    expected = [order[renumbered[gid]] for _, gid in outlines.components(composite)]
    assert parts == expected
    for part in parts:
        assert glyf[part].numberOfContours != 0
    # drawn as the original: same points once the components are resolved
    mine = glyph.getCoordinates(glyf)[0]
    theirs = original["glyf"][name].getCoordinates(original["glyf"])[0]
    assert list(mine) == list(theirs)


def test_the_subset_file_has_valid_checksums(outlines: Outlines) -> None:
    program, renumbered = outlines.subset(_glyph_names("Fès فاس"))
    font = ttLib.TTFont(io.BytesIO(program), checkChecksums=2)  # raises on a mismatch
    font.ensureDecompiled()  # every table reads as a well-formed one
    assert font["head"].indexToLocFormat == 1
    assert font["maxp"].numGlyphs == len(renumbered) == font["hhea"].numberOfHMetrics
