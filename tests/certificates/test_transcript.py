"""The CPD transcript of a cycle as CSV and PDF: read back (csv module, pypdf) from a standing
made by hand from real ledger rows, the rows, values, totals and requirements as written, formula
injection guarded, Romanian diacritics and decimal commas kept, long reflections abbreviated, page
numbers, and no queries once the standing is loaded.

The helpers here (``certificate_entry``, ``external_entry``, ``make_standing``...) are also used
by test_clr.py."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pypdf
import pytest

from certificates.cpd.transcript import transcript_csv, transcript_filename, transcript_pdf
from certificates.cpd.types import Cycle, LedgerLine, RequirementResult, Standing
from certificates.credentials import openbadges as credentials
from certificates.models import (
    CertificateStatus,
    CpdActivityKind,
    CpdEntry,
    CpdRegistration,
    CpdSource,
    DiscussionStatus,
    Requirement,
    RequirementRuleSet,
)
from tests.certificates.factories import AccreditingBodyFactory, make_record
from tests.certificates.stored import stored_certificate
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

CYCLE = Cycle(start=date(2026, 1, 1), end=date(2026, 12, 31))
TODAY = date(2026, 6, 30)
GENERATED = datetime(2026, 6, 30, 9, 15, tzinfo=UTC)
BODY_NAME = "Colegiul Național al Asistenților Sociali din România"
LEARNER_NAME = "Ștefan Țurcanu"


# --- building a standing from real rows ---------------------------------------------------------


def make_learner(**fields):
    return UserFactory(display_name=LEARNER_NAME, **fields)


def make_rule_set(*, unit="hours", points_per_hour=Decimal(1), **fields):
    body = AccreditingBodyFactory(name=BODY_NAME, cpd_unit=unit, points_per_hour=points_per_hour)
    values = {
        "body": body,
        "name": "Formare profesională continuă",
        "slug": f"fpc-{body.pk}",
        "cycle_start": CYCLE.start,
        "cycle_years": 1,
    }
    return RequirementRuleSet.objects.create(**(values | fields))


def certificate_entry(
    learner,
    *,
    title,
    day,
    hours,
    status=CertificateStatus.VALID,
    signed=True,
    course=None,
):
    """A certificate issued here, signed as issuance signs it, and its ledger entry."""
    course = course or CourseFactory()
    certificate = stored_certificate(
        learner=learner,
        record=make_record(learner=learner, course=course),
        language="en",
        status=status,
        snapshot={
            "language": "en",
            "recipient": {"name": learner.display_name, "public_id": str(learner.public_id)},
            "achievement": {"kind": "course", "title": title, "activity_iri": course.activity_iri},
            "body": {"name": BODY_NAME, "cpd_unit": "hours"},
            "cpd": {"value": str(hours), "unit": "hours"},
            "completed_on": day.isoformat(),
            "issued_on": day.isoformat(),
        },
    )
    if signed:
        certificate.credential = credentials.sign_certificate_credential(certificate)
        certificate.save(update_fields=["credential"])
    return CpdEntry.objects.create(
        learner=learner,
        source=CpdSource.CERTIFICATE,
        certificate=certificate,
        title=title,
        kind=CpdActivityKind.COURSE,
        provider="Practica",
        structured=True,
        date=day,
        hours=Decimal(hours),
    )


def external_entry(learner, *, title, day, hours, **fields):
    values = {
        "learner": learner,
        "source": CpdSource.EXTERNAL,
        "title": title,
        "kind": CpdActivityKind.WORKSHOP,
        "provider": "Asociația Profesională",
        "participatory": True,
        "date": day,
        "hours": Decimal(hours),
    }
    return CpdEntry.objects.create(**(values | fields))


def make_standing(learner, rule_set, *, results=(), today=TODAY, number="CNASR-0042"):
    """A standing as ``certificates.cpd`` hands it to the exports, loaded as the exports need:
    the rule set with its body, the entries with their certificates (oldest first)."""
    registration, _ = CpdRegistration.objects.get_or_create(
        learner=learner,
        rule_set=rule_set,
        defaults={"registered_on": CYCLE.start, "number": number},
    )
    rule_set = RequirementRuleSet.objects.select_related("body").get(pk=rule_set.pk)
    body = rule_set.body
    entries = (
        CpdEntry.objects.filter(learner=learner, date__range=(CYCLE.start, CYCLE.end))
        .select_related("certificate")
        .order_by("date", "id")
    )
    rate = body.points_per_hour if body.cpd_unit == "points" else Decimal(1)
    lines = tuple(
        LedgerLine(entry=e, day=e.date, hours=e.hours, value=e.hours * rate) for e in entries
    )
    return Standing(
        registration=registration,
        rule_set=rule_set,
        cycle=CYCLE,
        today=today,
        unit=body.cpd_unit,
        lines=lines,
        results=tuple(results),
    )


def hours_result(rule_set, *, required, achieved, label="20 hours in the cycle"):
    requirement = Requirement.objects.create(
        rule_set=rule_set, kind="hours", amount=Decimal(required), position=0
    )
    achieved = Decimal(achieved)
    required = Decimal(required)
    met = achieved >= required
    missing = "" if met else f"{required - achieved} more hours"
    return RequirementResult(
        requirement=requirement,
        label=label,
        required=required,
        achieved=achieved,
        met=met,
        missing=missing,
    )


@pytest.fixture
def ledger():
    """A learner with two certificates and two external activities in 2026 (one in 2025,
    outside the cycle), and a rule set asking for 20 hours and 2 reflections."""
    learner = make_learner()
    rule_set = make_rule_set()
    certificate_entry(learner, title="Protecția copilului", day=date(2026, 2, 10), hours="4")
    external_entry(
        learner,
        title="Supervizare de grup: cazuri dificile",
        day=date(2026, 3, 5),
        hours="2.5",
        kind=CpdActivityKind.SUPERVISION,
        learning="Am învățat să structurez discuția de caz.",
        impact="Folosesc grila în ședințele de echipă.",
        discussion_status=DiscussionStatus.CONFIRMED,
    )
    certificate_entry(learner, title="Violența domestică", day=date(2026, 4, 20), hours="6")
    external_entry(
        learner, title="Lectură: ghidul ANPDCA", day=date(2026, 5, 2), hours="1",
        kind=CpdActivityKind.READING, provider="", participatory=False,
    )  # fmt: skip
    external_entry(learner, title="Conferința 2025", day=date(2025, 11, 1), hours="8")
    results = [
        hours_result(rule_set, required="20", achieved="13.5"),
        RequirementResult(
            requirement=Requirement.objects.create(
                rule_set=rule_set, kind="reflections", amount=Decimal(1), position=1
            ),
            label="1 entry with a written reflection",
            required=Decimal(1),
            achieved=Decimal(1),
            met=True,
            missing="",
        ),
    ]
    return learner, rule_set, make_standing(learner, rule_set, results=results)


def read_csv(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def pdf_text(data):
    """The text of every page, with runs of white space (line breaks in table cells) as one."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_reads_back_the_header_entries_totals_and_requirements(ledger):
    _, _, standing = ledger
    rows = read_csv(
        transcript_csv(standing, learner_name=LEARNER_NAME, language="en", generated_at=GENERATED)
    )
    header = {row[0]: row[1] for row in rows[:10] if len(row) == 2}
    assert rows[0] == ["CPD transcript"]
    assert header["Learner"] == "Ștefan Țurcanu"
    assert header["Registration number"] == "CNASR-0042"
    assert header["Accrediting body"] == BODY_NAME
    assert header["Rule set"] == "Formare profesională continuă"
    assert header["Cycle start"] == "2026-01-01"
    assert header["Cycle end"] == "2026-12-31"
    assert header["Unit"] == "CPD hours"
    assert header["Generated"].startswith("2026-06-30T")
    assert header["Requirements met"] == "no"

    start = rows.index(
        ["Date", "Activity", "Type of activity", "Provider", "Participatory", "Structured",
         "Hours", "Value (CPD hours)", "Source", "What was learnt", "Impact on practice",
         "Peer discussion"]
    )  # fmt: skip
    entries = rows[start + 1 : start + 5]
    serials = [line.entry.certificate.serial for line in standing.lines if line.entry.certificate]
    assert entries == [
        ["2026-02-10", "Protecția copilului", "course or e-learning", "Practica", "no", "yes",
         "4", "4", serials[0], "", "", "no discussion"],
        ["2026-03-05", "Supervizare de grup: cazuri dificile", "supervision or intervision",
         "Asociația Profesională", "yes", "no", "2.5", "2.5", "external",
         "Am învățat să structurez discuția de caz.", "Folosesc grila în ședințele de echipă.",
         "confirmed"],
        ["2026-04-20", "Violența domestică", "course or e-learning", "Practica", "no", "yes",
         "6", "6", serials[1], "", "", "no discussion"],
        ["2026-05-02", "Lectură: ghidul ANPDCA", "reading or self-study", "", "no", "no",
         "1", "1", "external", "", "", "no discussion"],
    ]  # fmt: skip
    assert "Conferința 2025" not in str(rows)  # outside the cycle: not a line of the standing
    assert rows[start + 5] == [
        "Total", "4 entries", "", "", "", "", "13.5", "13.5", "", "", "", ""
    ]  # fmt: skip

    requirements = rows[rows.index(["Requirement", "Required", "Achieved", "Met", "Missing",
                                    "Period", "Next entry by"]) + 1 :]  # fmt: skip
    assert requirements == [
        ["20 hours in the cycle", "20", "13.5", "no", "6.5 more hours", "", ""],
        ["1 entry with a written reflection", "1", "1", "yes", "", "", ""],
    ]


def test_csv_values_are_in_the_bodys_unit():
    learner = make_learner()
    rule_set = make_rule_set(unit="points", points_per_hour=Decimal("1.5"))
    external_entry(learner, title="Atelier", day=date(2026, 9, 1), hours="3")
    rows = read_csv(
        transcript_csv(make_standing(learner, rule_set), learner_name="Ana", language="en")
    )
    headings = next(row for row in rows if row and row[0] == "Date")
    assert headings[6:8] == ["Hours", "Value (CPD points)"]
    entry = rows[rows.index(headings) + 1]
    assert entry[6:8] == ["3", "4.5"]
    assert rows[rows.index(headings) + 2][:2] == ["Total", "1 entry"]
    assert rows[rows.index(headings) + 2][6:8] == ["3", "4.5"]


def test_csv_cells_a_spreadsheet_would_run_are_guarded():
    learner = make_learner()
    rule_set = make_rule_set(name="=cmd|'/C calc'!A0")
    external_entry(
        learner, title='=HYPERLINK("http://evil.example","click")', day=date(2026, 2, 1),
        hours="1", provider="@SUM(A1:A9)",
    )  # fmt: skip
    external_entry(learner, title="-2+3", day=date(2026, 2, 2), hours="1", provider="+40 721")
    external_entry(learner, title="Plain title", day=date(2026, 2, 3), hours="1")
    text = transcript_csv(make_standing(learner, rule_set), learner_name="+Ana", language="en")
    rows = read_csv(text)
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'@SUM(A1:A9)" in cells
    assert "'-2+3" in cells
    assert "'+40 721" in cells
    assert "'+Ana" in cells
    assert "'=cmd|'/C calc'!A0" in cells
    assert "Plain title" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_csv_labels_follow_the_language():
    learner = make_learner()
    rule_set = make_rule_set()
    external_entry(learner, title="Atelier", day=date(2026, 2, 1), hours="1")
    standing = make_standing(learner, rule_set)
    english = transcript_csv(standing, learner_name=LEARNER_NAME, language="en")
    romanian = transcript_csv(standing, learner_name=LEARNER_NAME, language="ro")
    assert "workshop or training" in english
    assert "Ștefan Țurcanu" in romanian
    # Whatever the catalogue translates, numbers and dates stay machine-readable in both.
    for text in (english, romanian):
        assert "2026-02-01" in text


def test_transcript_filename_is_ascii_and_names_the_cycle(ledger):
    _, rule_set, standing = ledger
    assert transcript_filename(standing, "pdf") == (
        f"cpd-transcript-{rule_set.slug}-20260101-20261231.pdf"
    )
    assert transcript_filename(standing, ".CSV").endswith(".csv")
    assert transcript_filename(standing, "../x").endswith(".x")


def test_requirements_per_year_and_gap_rules_show_their_period_and_next_date():
    learner = make_learner()
    rule_set = make_rule_set()
    external_entry(learner, title="Atelier", day=date(2026, 2, 1), hours="1")
    results = [
        RequirementResult(
            requirement=Requirement.objects.create(
                rule_set=rule_set, kind="hours", amount=Decimal(10), period="year"
            ),
            label="10 hours in each year of the cycle",
            required=Decimal(10),
            achieved=Decimal(1),
            met=False,
            missing="9 more hours",
            period=Cycle(start=date(2026, 1, 1), end=date(2026, 12, 31)),
        ),
        RequirementResult(
            requirement=Requirement.objects.create(
                rule_set=rule_set, kind="max_gap", amount=Decimal(180)
            ),
            label="no gap longer than 180 days",
            required=Decimal(180),
            achieved=Decimal(31),
            met=True,
            missing="",
            due=date(2026, 7, 31),
        ),
    ]
    standing = make_standing(learner, rule_set, results=results)
    rows = read_csv(transcript_csv(standing, learner_name="Ana", language="en"))
    assert rows[-2][0] == "10 hours in each year of the cycle"
    assert rows[-2][5:] == ["2026-01-01/2026-12-31", ""]
    assert rows[-1] == ["no gap longer than 180 days", "180", "31", "yes", "", "", "2026-07-31"]
    text = pdf_text(transcript_pdf(standing, learner_name="Ana", language="en"))
    assert "(1 Jan 2026 – 31 Dec 2026)" in text  # noqa: RUF001 - an en dash
    assert "Next entry by 31 Jul 2026" in text


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_shows_learner_body_cycle_activities_totals_and_requirements(ledger):
    _, _, standing = ledger
    data = transcript_pdf(
        standing, learner_name=LEARNER_NAME, language="en", generated_at=GENERATED
    )
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait
    text = pdf_text(data)
    for expected in (
        "CPD transcript",
        "Learner: Ștefan Țurcanu",
        "Registration number: CNASR-0042",
        BODY_NAME,
        "Formare profesională continuă",
        "1 Jan 2026",
        "31 Dec 2026",
        "Protecția copilului",
        "Supervizare de grup: cazuri dificile",
        "Violența domestică",
        "Lectură: ghidul ANPDCA",
        "Am învățat să structurez discuția de caz.",
        "Total: 13.5 CPD hours (13.5 hours) from 4 activities.",
        "Not yet met",
        "6.5 more hours",
        "184 days left in the cycle.",
        "20 hours in the cycle",
        "1 entry with a written reflection",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    assert standing.lines[0].entry.certificate.serial in text
    assert "Conferința 2025" not in text


def test_pdf_in_romanian_keeps_diacritics_and_writes_decimal_commas(ledger):
    _, _, standing = ledger
    text = pdf_text(transcript_pdf(standing, learner_name=LEARNER_NAME, language="ro"))
    for expected in (
        "Ștefan Țurcanu",
        "Colegiul Național al Asistenților Sociali",
        "Protecția copilului",
        "Violența domestică",
        "Am învățat să structurez discuția de caz.",
        "Folosesc grila în ședințele de echipă.",
        "13,5",  # the Romanian decimal separator
    ):
        assert expected in text, expected
    assert "1 ian 2026" in text  # dates in Romanian, the medium style
    assert "Total: 13,5 ore DPC (13,5 ore) din 4 activități." in text
    assert "13.5" not in text


def test_pdf_says_when_every_requirement_is_met():
    learner = make_learner()
    rule_set = make_rule_set()
    external_entry(learner, title="Atelier", day=date(2026, 2, 1), hours="25")
    standing = make_standing(
        learner, rule_set, results=[hours_result(rule_set, required="20", achieved="25")]
    )
    text = pdf_text(transcript_pdf(standing, learner_name="Ana", language="en"))
    assert "All requirements of the cycle are met." in text
    assert "Not yet met" not in text


def test_pdf_abbreviates_long_reflections():
    learner = make_learner()
    rule_set = make_rule_set()
    learning = "Început clar. " + "cuvânt " * 80 + "SFÂRȘITUL-ASCUNS"
    external_entry(
        learner, title="Atelier lung", day=date(2026, 2, 1), hours="1", learning=learning,
        impact="Scurt.",
    )  # fmt: skip
    text = pdf_text(transcript_pdf(make_standing(learner, rule_set), learner_name="Ana",
                                   language="en"))  # fmt: skip
    assert "Început clar." in text
    assert "…" in text
    assert "SFÂRȘITUL-ASCUNS" not in text
    assert "Scurt." in text


def test_pdf_of_a_long_ledger_runs_over_pages_with_numbers_and_totals():
    learner = make_learner()
    rule_set = make_rule_set()
    for n in range(60):
        external_entry(
            learner, title=f"Activitatea {n:02d}", day=date(2026, 1 + n // 6, 1 + n % 6),
            hours="1.25", learning="Ce am învățat. " * 5, impact="Ce schimb. " * 5,
        )  # fmt: skip
    data = transcript_pdf(make_standing(learner, rule_set), learner_name="Ana", language="en")
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages > 1
    text = pdf_text(data)
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    assert "Activitatea 00" in text
    assert "Activitatea 59" in text
    assert "Total: 75 CPD hours (75 hours) from 60 activities." in text


def test_pdf_of_an_empty_cycle_says_so():
    learner = make_learner()
    rule_set = make_rule_set()
    text = pdf_text(transcript_pdf(make_standing(learner, rule_set), learner_name="Ana",
                                   language="en"))  # fmt: skip
    assert "No activity counts in this cycle yet." in text
    assert "This rule set sets no requirement." in text


# --- purity -------------------------------------------------------------------------------------


def test_renderers_make_no_queries_once_the_standing_is_loaded(ledger, django_assert_num_queries):
    _, _, standing = ledger
    with django_assert_num_queries(0):
        transcript_csv(standing, learner_name=LEARNER_NAME, language="ro")
        transcript_pdf(standing, learner_name=LEARNER_NAME, language="ro")
        transcript_filename(standing, "pdf")
