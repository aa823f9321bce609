"""Lines laid out once per process: the same runs, widths and glyphs as fpdf2's."""

from __future__ import annotations

from datetime import date

import pytest
from fpdf.bidi import BidiParagraph, auto_detect_base_direction

from sijill.documents import typeset
from sijill.documents.content import DocumentContent, Issue
from sijill.documents.render import FontMissing, _Page, amiri

LINES = [
    "Prénom et nom (arabe)",
    "03.231.01.0:2026:000001:NFQQSK — 03.231.01.0/2026/N/1",
    "يوسف الإدريسي",
    "22 نونبر 2026 الموافق 12 جمادى الآخرة 1448 هـ",
    "Mr. محمد (Med) 12/3",
    "عبد الله بن جلون – Abdellah",
    "زواج مع سلمى برادة بتاريخ 25 نونبر 2026 في فاس — العدول، عقد زواج عدد 345",
    "Maroc abc ١٢٣ (x)",
    "",
]


@pytest.fixture(scope="module")
def page() -> _Page:
    try:
        amiri("Regular")
    except FontMissing as missing:
        pytest.skip(str(missing))
    issue = Issue("N", date(2026, 11, 25), "03.231.01.0", "فاس", "Fès", "ع", "A")
    pdf = _Page(DocumentContent("extract", "birth", "R", "ت", "T", issue, ()))
    pdf.add_page()
    pdf.set_font("Amiri", "", 10)
    return pdf


def _fpdf2_runs(pdf: _Page, text: str) -> list[tuple[str, str, object, float]]:
    fragments = pdf._preload_bidirectional_text(text, False)
    line = typeset.TextLine(fragments, 0, 0, typeset.Align.L, 0, 0)
    return [
        (f.font.fontkey, f.string, f.fragment_direction, f.get_width())
        for f in line.get_ordered_fragments()
    ]


@pytest.mark.parametrize("text", LINES)
def test_a_line_is_cut_into_the_runs_fpdf2_would_draw(page: _Page, text: str) -> None:
    runs = typeset._simple_runs(page, text)
    assert runs is not None
    assert [
        (font.fontkey, string, params["fragment_direction"], width)
        for font, string, params, width in runs
    ] == _fpdf2_runs(page, text)


def test_a_line_is_the_same_operators_in_every_document(page: _Page) -> None:
    first = typeset.layout(page, LINES[3], page.fonts_key)
    again = typeset._lay_out(page, LINES[3])
    assert first == again and first.width > 0
    assert "/F1 10.00 Tf" in first.operators


@pytest.mark.parametrize(
    "text",
    [
        *LINES,
        "المستشفى الجامعي الحسن الثاني، فاس",
        "مرحبا، يا (صديقي)!",
        "«نص» - نص/نص",
        "نص 12",
        "x نص",
        "نص\u200c نص",
        "25/11/2026",
    ],
)
def test_a_line_has_the_runs_the_bidirectional_algorithm_gives(text: str) -> None:
    paragraph = auto_detect_base_direction(text)
    runs = BidiParagraph(
        text=text, base_direction=paragraph, preserve_bn_chars=True, alias="{nb}"
    ).get_bidi_fragments()
    assert typeset.bidi_runs.__wrapped__(text, None, "{nb}") == (paragraph, runs)
