"""The PDF kit (reportlab): the vendored fonts, a canvas that numbers its pages, the grid
tables of reports and transcripts (dates and numbers: ``lms.kits.formats``).

Text is set in DejaVu Sans (``lms/fonts``), whose glyphs cover Romanian (ș ț ă), Hungarian,
Bulgarian, Ukrainian (ї, є, ґ) and Greek; the built-in PDF fonts cover Latin-1 only. Labels
follow the active language. Used by the certificate, the CPD transcript and
the organisation reports; what each document looks like stays with its app.
"""

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, TableStyle

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

GRID = colors.HexColor("#A8A8A8")
HEADER_BACKGROUND = colors.HexColor("#E6E6E6")
STRIPE = colors.HexColor("#F5F5F5")
FOOTER_INK = colors.HexColor("#555555")


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold) once per process, on first use, and its family so
    that ``<b>`` in paragraphs picks the bold face: without them "Ștefan" or "Олена" would come
    out as black boxes."""
    folder = Path(settings.BASE_DIR) / "lms" / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


class NumberedCanvas(Canvas):
    """A canvas that draws ``footer`` and "Page N of M" at the foot of every page, ``margin``
    from the sides: the pages are kept until the end, when M is known (reportlab's usual way to
    count pages in one pass). For reports and transcripts, with ``functools.partial``."""

    def __init__(
        self, *args: Any, footer: str = "", margin: float = 15 * mm, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._margin = margin
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(count)
            super().showPage()
        super().save()

    def _draw_footer(self, count: int) -> None:
        self.saveState()
        self.setFont(FONT, 7.5)
        self.setFillColor(FOOTER_INK)
        self.drawString(self._margin, 8 * mm, self._footer)
        number = _("Page %(page)d of %(pages)d") % {"page": self._pageNumber, "pages": count}
        self.drawRightString(self._pagesize[0] - self._margin, 8 * mm, number)
        self.restoreState()


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """Plain text as a paragraph: markup characters escaped, line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def table_style(
    *,
    size: float,
    leading: float,
    padding: float,
    header_rows: int = 1,
    extra: Sequence[tuple[Any, ...]] = (),
) -> TableStyle:
    """The grid of every table: ``header_rows`` bold on grey, the rows below striped, text
    at the top of its cell, then the ``extra`` commands."""
    last_header = header_rows - 1
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, size, leading),
            ("FONT", (0, 0), (-1, last_header), FONT_BOLD, size, leading),
            ("BACKGROUND", (0, 0), (-1, last_header), HEADER_BACKGROUND),
            ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, STRIPE]),
            ("GRID", (0, 0), (-1, -1), 0.25, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            *extra,
        ]
    )
