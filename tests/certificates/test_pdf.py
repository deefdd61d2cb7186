"""The certificate PDF: drawn from the snapshot alone (no queries), A4 landscape, names and titles
in Romanian, Bulgarian and Ukrainian come out as text, dates and numbers follow the
certificate's language, the page is not blank, and its QR code encodes the verification URL."""

import io

import pypdf
import pypdfium2
import pytest
import segno
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from certificates.credentials import pdf
from certificates.credentials.pdf import render_certificate_pdf

URL = "http://testserver/verify/abcdefghijklmnopqrstuvwxyz234567"


def snapshot(**changes):
    base = {
        "version": 1,
        "language": "en",
        "recipient": {"name": "Ștefan Țurcanu", "public_id": "0f0e"},
        "achievement": {"kind": "course", "title": "Protecția copilului și îngrijirea alternativă"},
        "body": {
            "name": "Colegiul Național al Asistenților Sociali",
            "country": "RO",
            "country_name": "România",
            "cpd_unit": "points",
            "logo": "",
        },
        "accreditation": {"reference": "CNAS-2026-17"},
        "cpd": {"value": "12.50", "unit": "points"},
        "learning_outcomes": [],
        "competences": [
            {
                "code": "A.1",
                "statement": "Evaluează riscul",
                "framework": "Cadrul național",
                "level_name": "Competent",
            },
        ],
        "completed_on": "2026-01-31",
        "issued_on": "2026-02-02",
        "expires_on": "2028-02-02",
        "heading": "",
        "signatories": [{"name": "Maria Popescu", "title": "Președinte"}],
        "serial": "PRA-2026-000123",
        "verification_url": URL,
    }
    return {**base, **changes}


def text_of(data: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def image_of(data: bytes, scale: float = 1) -> Image.Image:
    return pypdfium2.PdfDocument(data)[0].render(scale=scale).to_pil().convert("L")


def test_the_pdf_is_one_a4_landscape_page():
    reader = pypdf.PdfReader(io.BytesIO(render_certificate_pdf(snapshot())))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_rendering_makes_no_query(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        render_certificate_pdf(snapshot())


def test_romanian_names_and_titles_the_serial_and_the_verification_url_are_text():
    text = text_of(render_certificate_pdf(snapshot()))
    for expected in (
        "Ștefan Țurcanu",
        "Protecția copilului și îngrijirea alternativă",
        "Colegiul Național al Asistenților Sociali (România)",
        "CNAS-2026-17",
        "PRA-2026-000123",
        "Verification code: ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567",
        "Verify at http://testserver/verify/",
        "Maria Popescu",
        "Președinte",
        "A.1 Evaluează riscul — Competent (Cadrul național)",
        "Certificate of completion",  # the default heading
    ):
        assert expected in text


def test_the_verification_code_is_printed_readably_under_the_qr_code():
    """Anyone without a camera types the code at the address printed beside it."""
    text = text_of(render_certificate_pdf(snapshot(
        verification_url="https://practica.example.org/verify/22wfbqa3pv65guta2ctaqrqt2nnaqq2t"
    )))  # fmt: skip
    lines = text.splitlines()
    code = next(i for i, line in enumerate(lines) if "Verification code:" in line)
    assert lines[code].strip() == "Verification code: 22WF-BQA3-PV65-GUTA-2CTA-QRQT-2NNA-QQ2T"
    assert lines[code + 1].strip() == "Verify at https://practica.example.org/verify/"
    assert "22wfbqa3" not in text  # the raw URL is in the QR code only


def test_the_verification_lines_follow_the_certificates_language(monkeypatch):
    from django.utils import translation

    seen = []
    real = pdf._

    def spy(message):
        seen.append((translation.get_language(), message))
        return real(message)

    monkeypatch.setattr(pdf, "_", spy)
    render_certificate_pdf(snapshot(language="ro"))
    assert ("ro", "Verification code: %(code)s") in seen
    assert ("ro", "Verify at %(address)s") in seen


def test_bulgarian_and_ukrainian_names_and_titles_are_text():
    bulgarian = text_of(render_certificate_pdf(snapshot(
        language="bg",
        recipient={"name": "Мария Георгиева"},
        achievement={"kind": "course", "title": "Закрила на детето: оценка на риска"},
        heading="Удостоверение",
    )))  # fmt: skip
    assert "Мария Георгиева" in bulgarian
    assert "Закрила на детето: оценка на риска" in bulgarian
    assert "Удостоверение" in bulgarian
    ukrainian = text_of(render_certificate_pdf(snapshot(
        language="uk",
        recipient={"name": "Олексій Їжак-Ґудзенко"},
        achievement={"kind": "journey", "title": "Інтерв'ю з дитиною: її безпека є ґрунтом"},
    )))  # fmt: skip
    assert "Олексій Їжак-Ґудзенко" in ukrainian
    assert "Інтерв'ю з дитиною: її безпека є ґрунтом" in ukrainian


def test_dates_and_numbers_follow_the_certificates_language():
    english = text_of(render_certificate_pdf(snapshot(language="en")))
    romanian = text_of(render_certificate_pdf(snapshot(language="ro")))
    ukrainian = text_of(render_certificate_pdf(snapshot(language="uk")))
    assert "Completed on 31 Jan 2026" in english  # the one medium date style
    assert "Worth 12.5 CPD points" in english
    assert "31 ian 2026" in romanian
    assert "12,5 puncte DPC" in romanian
    assert "2 лют 2028" in ukrainian  # the expiry date, in the medium style (lms/formats/uk)


def test_without_accreditation_or_expiry_the_pdf_shows_hours_and_no_body():
    text = text_of(render_certificate_pdf(snapshot(
        body=None, accreditation=None, cpd={"value": "4.00", "unit": "hours"},
        expires_on=None, signatories=[], competences=[],
    )))  # fmt: skip
    assert "Worth 4 CPD hours" in text
    assert "Accredited by" not in text
    assert "Valid until" not in text


@pytest.mark.parametrize(
    ("language", "value", "unit", "expected"),
    [
        ("en", "1.00", "hours", "Worth 1 CPD hour"),
        ("en", "2", "hours", "Worth 2 CPD hours"),
        ("en", "1", "points", "Worth 1 CPD point"),
        ("ro", "1.00", "hours", "Valorează 1 oră DPC"),
        ("ro", "2", "hours", "Valorează 2 ore DPC"),
        ("ro", "20", "hours", "Valorează 20 de ore DPC"),
        ("ro", "1.5", "points", "Valorează 1,5 puncte DPC"),
    ],
)
def test_the_cpd_value_agrees_with_its_number(language, value, unit, expected):
    """Issue 19: the PDF said "1 CPD hours"; the unit now takes the plural of its number."""
    text = text_of(render_certificate_pdf(snapshot(
        language=language, cpd={"value": value, "unit": unit},
    )))  # fmt: skip
    assert expected in text
    assert "1 CPD hours" not in text


def test_a_long_list_of_competences_is_cut_short():
    competences = [{"code": f"C.{i}", "statement": f"Competence {i}"} for i in range(9)]
    text = text_of(render_certificate_pdf(snapshot(competences=competences)))
    assert "C.4 Competence 4" in text
    assert "C.5 Competence 5" not in text
    assert "and 4 more" in text


def test_the_page_is_not_blank_and_its_qr_code_encodes_the_verification_url():
    data = render_certificate_pdf(snapshot())
    page = image_of(data)
    dark = sum(page.histogram()[:128])
    assert dark / (page.width * page.height) > 0.02

    # Read the code back module by module at 4x, and compare with the URL's own code.
    scale = 4
    image = image_of(data, scale=scale)
    matrix = segno.make(URL, error="m").matrix
    modules = len(matrix)
    cell = pdf.QR_SIZE / modules
    left = pdf.WIDTH - pdf.MARGIN - 4 * pdf.mm - pdf.QR_SIZE
    top = pdf.HEIGHT - (pdf.MARGIN + 10 * pdf.mm + pdf.QR_SIZE)  # from the top of the page
    read = [
        [
            image.getpixel(
                (int((left + (c + 0.5) * cell) * scale), int((top + (r + 0.5) * cell) * scale))
            )
            < 128
            for c in range(modules)
        ]
        for r in range(modules)
    ]
    assert read == [[bool(v) for v in row] for row in matrix]


def test_the_bodys_logo_is_drawn_and_a_missing_one_is_left_out(db):
    logo = Image.new("RGB", (200, 80), (200, 30, 30))
    buffer = io.BytesIO()
    logo.save(buffer, format="PNG")
    name = default_storage.save("bodies/logo.png", ContentFile(buffer.getvalue()))

    def red_pixels(data):
        image = pypdfium2.PdfDocument(data)[0].render(scale=1).to_pil().convert("RGB")
        corner = image.crop((0, 0, 260, 120))
        return sum(1 for r, g, b in corner.get_flattened_data() if r > 150 and g < 80 and b < 80)

    body = snapshot()["body"]
    assert red_pixels(render_certificate_pdf(snapshot(body={**body, "logo": name}))) > 2000
    assert (
        red_pixels(render_certificate_pdf(snapshot(body={**body, "logo": "bodies/gone.png"}))) == 0
    )


@pytest.mark.parametrize("name", ["A" * 120, "Ана-Марія Олександрівна Кравченко-Григоренко " * 3])
def test_a_very_long_name_or_title_still_renders(name):
    data = render_certificate_pdf(
        snapshot(recipient={"name": name}, achievement={"kind": "course", "title": name * 3})
    )
    assert data.startswith(b"%PDF")


def test_the_issuing_organisation_is_named_or_its_logo_drawn(db):
    named = render_certificate_pdf(snapshot(issuer={"name": "Rețeaua Practica", "logo": ""}))
    text = pypdf.PdfReader(io.BytesIO(named)).pages[0].extract_text()
    assert "Rețeaua Practica" in text
    logo = Image.new("RGB", (200, 80), (20, 40, 220))
    buffer = io.BytesIO()
    logo.save(buffer, format="PNG")
    name = default_storage.save("issuer/logo.png", ContentFile(buffer.getvalue()))
    drawn = render_certificate_pdf(snapshot(issuer={"name": "Rețeaua Practica", "logo": name}))
    image = pypdfium2.PdfDocument(drawn)[0].render(scale=1).to_pil().convert("RGB")
    corner = image.crop((image.width - 260, 0, image.width, 140))
    blue = sum(1 for r, g, b in corner.get_flattened_data() if b > 150 and r < 80 and g < 100)
    assert blue > 2000
    assert "Rețeaua Practica" not in pypdf.PdfReader(io.BytesIO(drawn)).pages[0].extract_text()
