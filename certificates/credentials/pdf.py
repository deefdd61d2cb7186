"""A certificate's PDF: one A4 landscape page drawn from the certificate's snapshot alone.

The renderer is a pure function of the snapshot (no queries): what a certificate shows was frozen
when it was issued, and the PDF bytes (with their SHA-256) are stored beside it, never redrawn.
Text is set in DejaVu Sans through the PDF kit (``lms.kits.pdf``), whose glyphs cover Romanian
(ș ț ă), Bulgarian and Ukrainian (ї, є, ґ); labels, dates and numbers follow the certificate's
language.
The verification QR code is drawn as vector squares, so it stays sharp when printed.
"""

import io
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import segno
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from certificates.credentials.verification import format_code
from lms.api import FONT, FONT_BOLD, format_amount, format_date, register_fonts

logger = logging.getLogger(__name__)

PAGE = landscape(A4)  # 841.9 x 595.3 pt
WIDTH, HEIGHT = PAGE
MARGIN = 15 * mm
INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
ACCENT = colors.HexColor("#1D4E89")
QR_SIZE = 32 * mm
MAX_COMPETENCES = 5


def render_certificate_pdf(snapshot: dict[str, Any]) -> bytes:
    """The certificate as PDF bytes, in the snapshot's language."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1, invariant=1)
    with translation.override(snapshot.get("language") or settings.LANGUAGE_CODE):
        canvas.setTitle(f"{snapshot.get('heading') or _('Certificate of completion')} "
                        f"{snapshot['serial']}")  # fmt: skip
        canvas.setAuthor((snapshot.get("body") or {}).get("name") or "Practica")
        canvas.setSubject(snapshot["recipient"]["name"])
        _frame(canvas)
        _logo(canvas, (snapshot.get("body") or {}).get("logo", ""))
        _issuer(canvas, snapshot.get("issuer") or {})
        _serial(canvas, snapshot["serial"])
        y = _centre(canvas, snapshot)
        _competences(canvas, snapshot.get("competences") or [], y)
        _signatories(canvas, snapshot.get("signatories") or [])
        _qr(canvas, snapshot["verification_url"])
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- drawing ----------------------------------------------------------------------------------


def _frame(canvas: Canvas) -> None:
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(2.5)
    canvas.rect(8 * mm, 8 * mm, WIDTH - 16 * mm, HEIGHT - 16 * mm)
    canvas.setLineWidth(0.6)
    canvas.rect(10.5 * mm, 10.5 * mm, WIDTH - 21 * mm, HEIGHT - 21 * mm)


def _issuer(canvas: Canvas, issuer: dict[str, Any]) -> None:
    """The issuing organisation, top right under the serial: its logo, or its name."""
    if issuer.get("logo") and _image(
        canvas, issuer["logo"], WIDTH - MARGIN, HEIGHT - MARGIN - 8 * mm, anchor="ne"
    ):
        return
    if issuer.get("name"):
        canvas.setFillColor(ACCENT)
        canvas.setFont(FONT_BOLD, 14)
        canvas.drawRightString(WIDTH - MARGIN, HEIGHT - MARGIN - 14 * mm, issuer["name"])


def _logo(canvas: Canvas, name: str) -> None:
    """The accrediting body's logo, top left; a missing or unreadable file is left out."""
    if name:
        _image(canvas, name, MARGIN, HEIGHT - MARGIN, anchor="nw")


def _image(canvas: Canvas, name: str, x: float, top: float, *, anchor: str) -> bool:
    """An image from storage in a 50 x 22 mm box whose top corner is at (x, top); False when
    the file is missing or unreadable (the certificate is still issued, without it)."""
    try:
        with default_storage.open(name, "rb") as file:
            image = ImageReader(io.BytesIO(file.read()))
        canvas.drawImage(
            image,
            x - 50 * mm if anchor == "ne" else x,
            top - 22 * mm,
            width=50 * mm,
            height=22 * mm,
            preserveAspectRatio=True,
            anchor=anchor,
            mask="auto",
        )
    except Exception:
        logger.warning("Certificate logo %s could not be drawn", name, exc_info=True)
        return False
    return True


def _serial(canvas: Canvas, serial: str) -> None:
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 9)
    canvas.drawRightString(
        WIDTH - MARGIN, HEIGHT - MARGIN - 4, _("Serial number: %(serial)s") % {"serial": serial}
    )


def _fit(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width`` (not below ``smallest``)."""
    actual = pdfmetrics.stringWidth(text, font, size)
    if actual <= width:
        return size
    return max(smallest, size * width / actual)


def _centred_lines(
    canvas: Canvas, text: str, *, font: str, size: float, y: float, width: float, lines: int = 2
) -> float:
    """Draw ``text`` centred, wrapped to at most ``lines`` lines; return the y below it."""
    wrapped = simpleSplit(text, font, size, width)
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], " ".join(wrapped[lines - 1 :])]
        size = _fit(wrapped[-1], font, size, width, size * 0.6)
    canvas.setFont(font, size)
    for line in wrapped:
        canvas.drawCentredString(WIDTH / 2, y, line)
        y -= size * 1.25
    return y


def _centre(canvas: Canvas, snapshot: dict[str, Any]) -> float:
    """Heading, recipient, achievement, CPD value and accreditation, dates; return the y below."""
    text_width = WIDTH - 2 * MARGIN - 40 * mm
    heading = snapshot.get("heading") or _("Certificate of completion")
    canvas.setFillColor(ACCENT)
    y = _centred_lines(
        canvas, heading, font=FONT_BOLD, size=28, y=HEIGHT - 45 * mm, width=text_width, lines=1
    )

    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 12)
    canvas.drawCentredString(WIDTH / 2, y - 4, _("This certifies that"))
    name = snapshot["recipient"]["name"]
    canvas.setFillColor(INK)
    size = _fit(name, FONT_BOLD, 30, text_width, 14)
    canvas.setFont(FONT_BOLD, size)
    y -= 10 + size * 1.1
    canvas.drawCentredString(WIDTH / 2, y, name)

    achievement = snapshot["achievement"]
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 12)
    y -= 24
    canvas.drawCentredString(
        WIDTH / 2,
        y,
        _("has completed the learning journey")
        if achievement.get("kind") == "journey"
        else _("has completed the course"),
    )
    canvas.setFillColor(INK)
    y = _centred_lines(
        canvas, achievement["title"], font=FONT_BOLD, size=17, y=y - 24, width=text_width
    )

    canvas.setFont(FONT, 11)
    for line in _facts(snapshot):
        y -= 3
        canvas.drawCentredString(WIDTH / 2, y, line)
        y -= 15
    return y


def _facts(snapshot: dict[str, Any]) -> list[str]:
    """The lines under the title: CPD value, accreditation, dates."""
    lines = []
    cpd = snapshot.get("cpd") or {}
    if cpd.get("value") and Decimal(cpd["value"]) > 0:
        # "Worth 1 CPD hour", "Worth 2 CPD hours": the unit agrees with the amount.
        amount = format_amount(cpd["value"], cpd.get("unit", ""))
        lines.append(_("Worth %(amount)s") % {"amount": amount})
    accreditation = snapshot.get("accreditation")
    body = snapshot.get("body")
    if accreditation and body:
        where = (
            f"{body['name']} ({body['country_name']})" if body.get("country_name") else body["name"]
        )
        lines.append(
            _("Accredited by %(body)s, reference %(reference)s")
            % {"body": where, "reference": accreditation["reference"]}
        )
    dates = [
        _("Completed on %(date)s") % {"date": format_date(snapshot["completed_on"])},
        _("Issued on %(date)s") % {"date": format_date(snapshot["issued_on"])},
    ]
    if snapshot.get("expires_on"):
        dates.append(_("Valid until %(date)s") % {"date": format_date(snapshot["expires_on"])})
    lines.append(" · ".join(dates))
    return lines


def _competences(canvas: Canvas, competences: list[dict[str, Any]], top: float) -> None:
    """A short list of the competences the learning is aligned to (the first few)."""
    if not competences:
        return
    left, width = MARGIN + 10 * mm, WIDTH - 2 * MARGIN - QR_SIZE - 30 * mm
    y = min(top - 6, 60 * mm + 12 * (min(len(competences), MAX_COMPETENCES) + 1))
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 9.5)
    canvas.drawString(left, y, _("Competences"))
    canvas.setFont(FONT, 8.5)
    shown = competences[:MAX_COMPETENCES]
    for competence in shown:
        y -= 12
        text = " ".join(p for p in (competence.get("code", ""), competence["statement"]) if p)
        if competence.get("level_name"):
            text += f" — {competence['level_name']}"
        if competence.get("framework"):
            text += f" ({competence['framework']})"
        canvas.drawString(left, y, _truncate(text, FONT, 8.5, width))
    if len(competences) > len(shown):
        y -= 12
        canvas.setFillColor(MUTED)
        more = len(competences) - len(shown)
        canvas.drawString(left, y, _("and %(count)s more") % {"count": more})


def _truncate(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _signatories(canvas: Canvas, signatories: Iterable[dict[str, Any]]) -> None:
    """Up to three signature lines along the bottom, each with a name and a title."""
    people = list(signatories)[:3]
    if not people:
        return
    area = WIDTH - 2 * MARGIN - QR_SIZE - 20 * mm
    slot = area / len(people)
    line_width = min(slot - 12 * mm, 70 * mm)
    baseline = MARGIN + 22 * mm
    for index, person in enumerate(people):
        centre = MARGIN + slot * index + slot / 2
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.7)
        canvas.line(centre - line_width / 2, baseline, centre + line_width / 2, baseline)
        canvas.setFillColor(INK)
        name = str(person.get("name", ""))
        canvas.setFont(FONT_BOLD, _fit(name, FONT_BOLD, 10, line_width, 6))
        canvas.drawCentredString(centre, baseline - 13, name)
        title = str(person.get("title", ""))
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, _fit(title, FONT, 8.5, line_width, 5.5))
        canvas.drawCentredString(centre, baseline - 25, title)


def _qr(canvas: Canvas, url: str) -> None:
    """The verification URL as a QR code (bottom right); beneath it, the verification code and
    the page where it is typed."""
    matrix = segno.make(url, error="m").matrix
    modules = len(matrix)
    cell = QR_SIZE / modules
    right = WIDTH - MARGIN - 4 * mm
    left, bottom = right - QR_SIZE, MARGIN + 10 * mm
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        y = bottom + (modules - 1 - row_index) * cell
        column = 0
        while column < modules:
            if not row[column]:
                column += 1
                continue
            start = column
            while column < modules and row[column]:
                column += 1
            # One rectangle per run of dark modules, slightly overlapping so that no hairline
            # gaps appear between neighbours when rasterised.
            path.rect(left + start * cell, y, (column - start) * cell + 0.05, cell + 0.05)
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 7.5)
    canvas.drawCentredString(left + QR_SIZE / 2, bottom + QR_SIZE + 4, _("Verify this certificate"))
    # Below the signatures' level, so these lines may run wider than the code: the code in
    # groups of four, readable and typed without a camera, and where to type it.
    site, _slash, code = url.rstrip("/").rpartition("/")
    canvas.setFillColor(INK)
    line = _("Verification code: %(code)s") % {"code": format_code(code)}
    canvas.setFont(FONT_BOLD, _fit(line, FONT_BOLD, 8.5, 110 * mm, 5))
    canvas.drawRightString(right, bottom - 10, line)
    canvas.setFillColor(MUTED)
    line = _("Verify at %(address)s") % {"address": f"{site}/"}
    canvas.setFont(FONT, _fit(line, FONT, 7.5, 110 * mm, 4.5))
    canvas.drawRightString(right, bottom - 20, line)
