"""The PDF kit: DejaVu Sans registered with its bold face (names in Romanian and Cyrillic come out
as text), "Page N of M" on every page, plain text kept plain in paragraphs (dates, numbers and
units: test_formats.py)."""

import functools
import io

import pypdf
from django.utils import translation
from reportlab.lib.fonts import tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, SimpleDocTemplate, Table

from lms.kits.pdf import (
    FONT,
    FONT_BOLD,
    NumberedCanvas,
    paragraph,
    register_fonts,
    table_style,
)


def _document(story: list, footer: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, initialFontName=FONT).build(
        story, canvasmaker=functools.partial(NumberedCanvas, footer=footer)
    )
    return buffer.getvalue()


def test_the_fonts_are_registered_with_a_bold_face_for_paragraphs():
    register_fonts()
    assert tt2ps(FONT, 1, 0) == FONT_BOLD
    assert tt2ps(FONT, 0, 0) == FONT


def test_every_page_says_its_number_of_the_total_and_the_footer():
    style = ParagraphStyle("kit", fontName=FONT)
    story = [paragraph("Ștefan Олена", style), PageBreak(), paragraph("two", style)]
    story += [PageBreak(), paragraph("three", style)]
    reader = pypdf.PdfReader(io.BytesIO(_document(story, footer="Raport — Țară")))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of 3" in text
        assert "Raport — Țară" in text
    assert "Ștefan Олена" in texts[0]


def test_the_page_numbers_follow_the_active_language():
    style = ParagraphStyle("kit", fontName=FONT)
    with translation.override("ro"):
        data = _document([paragraph("unu", style)], footer="")
    assert "Pagina 1 din 1" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_a_paragraph_shows_markup_as_text_and_keeps_line_breaks():
    style = ParagraphStyle("kit", fontName=FONT)
    made = paragraph("<b>bold</b> & co\nsecond line", style)
    assert made.text == "&lt;b&gt;bold&lt;/b&gt; &amp; co<br/>second line"


def test_a_grid_table_with_two_header_rows_renders():
    table = Table(
        [["Head", "1"], ["Target", "2"], ["Ana", "3"]],
        style=table_style(size=7.5, leading=9.2, padding=3, header_rows=2),
    )
    assert pypdf.PdfReader(io.BytesIO(_document([table], footer=""))).pages
