"""The fonts shared by every PDF: a subset is the original glyphs, copied byte for byte."""

from __future__ import annotations

import io

import pytest
from fontTools import ttLib

from sijill.documents.fonts import Outlines, face
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


def test_a_subset_keeps_the_glyphs_asked_for_with_their_ids_and_outlines(
    outlines: Outlines,
) -> None:
    names = _glyph_names("محمد Mohamed")
    cut = ttLib.TTFont(io.BytesIO(outlines.subset(names)))
    original = ttLib.TTFont(str(amiri("Regular")))
    order, glyf = cut.getGlyphOrder(), cut["glyf"]
    assert len(order) == len(original.getGlyphOrder())  # glyph ids are kept
    for name in names:
        gid = outlines.gid[name]
        mine = glyf[order[gid]].getCoordinates(glyf)[0]
        theirs = original["glyf"][name].getCoordinates(original["glyf"])[0]
        assert list(mine) == list(theirs), name


def test_a_subset_leaves_out_the_glyphs_no_one_asked_for(outlines: Outlines) -> None:
    cut = ttLib.TTFont(io.BytesIO(outlines.subset(_glyph_names("Ali"))))
    order, glyf = cut.getGlyphOrder(), cut["glyf"]
    unused = outlines.gid[_glyph_names("z")[0]]
    assert glyf[order[unused]].numberOfContours == 0
    assert glyf[order[0]].numberOfContours > 0  # .notdef is always there


def test_the_components_of_a_composite_glyph_come_with_it(outlines: Outlines) -> None:
    composite = next(
        gid for gid in range(len(outlines.offsets) - 1) if outlines.components(gid)
    )
    name = next(n for n, gid in outlines.gid.items() if gid == composite)
    cut = ttLib.TTFont(io.BytesIO(outlines.subset([name])))
    order, glyf = cut.getGlyphOrder(), cut["glyf"]
    for component in outlines.components(composite):
        assert outlines.glyph(component)
        assert glyf[order[component]].numberOfContours != 0


def test_the_subset_file_has_valid_checksums(outlines: Outlines) -> None:
    data = outlines.subset(_glyph_names("Fès فاس"))
    font = ttLib.TTFont(io.BytesIO(data), checkChecksums=2)  # raises on a mismatch
    assert font["head"].indexToLocFormat == 1
    assert font["maxp"].numGlyphs == len(outlines.offsets) - 1
