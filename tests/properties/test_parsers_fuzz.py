"""Fuzz tests of every parser of uploaded files (issue 17): cmi5 packages, CASE JSON, Moodle CSV,
invitation CSV and CPD evidence. Real files (tests/data) are truncated, have bytes flipped, NUL
characters and hostile text inserted, members added, or are made oversized; each parser either
reads the result or refuses it with its own error (naming where), stores nothing half-way,
and never fails otherwise. Examples are bounded (tests/properties/strategies.py).
"""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from certificates.models import CpdEntry
from courses.cmi5 import package as cmi5_package
from courses.cmi5.package import PackageError, read_package
from courses.models import Course
from courses.services import content_root, import_cmi5_package
from frameworks.case import CaseError, parse_package
from frameworks.models import Competence, Framework
from frameworks.services import import_file
from organisations.invitations.csv import MAX_CSV_BYTES, parse_invitation_csv
from tests.certificates.test_cpd_pages import activity
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory
from tests.paths import CASE, CMI5, MOODLE
from tests.properties.strategies import bounded, hostile_bytes, hostile_text, json_values

CMI5_ZIP = (CMI5 / "multi_au_framed.zip").read_bytes()
CMI5_XML = (CMI5 / "single_au_basic_responsive.cmi5.xml").read_bytes()
CASE_JSON = (CASE / "Utf8TestFramework.case.json").read_bytes()
MOODLE_CSV = (MOODLE / "lpimportcsv_example_moodle_core_OECD.csv").read_bytes()
INVITATIONS_CSV = (
    b"email,name,role,unit,profession\n"
    b"ana@example.org,Ana Pop,member,,social_worker\n"
    b"ion@example.org,Ion Rusu,supervisor,,psychologist\n"
)


def refusal(expected: type[Exception], read, *args, **kwargs) -> Exception | None:
    """The parser's own error, or None when it read the input; any other exception fails."""
    try:
        read(*args, **kwargs)
    except expected as error:
        event("refused")
        return error
    event("read")
    return None


# --- byte-level damage, for every format ----------------------------------------------------


@st.composite
def damaged(draw, original: bytes):
    """The file truncated, with bytes replaced, or with something inserted (NUL, hostile text,
    random bytes) at some place."""
    data = bytearray(original)
    how = draw(st.sampled_from(["truncate", "flip", "insert", "nul", "as is"]))
    event(how)
    at = draw(st.integers(0, len(data)))
    if how == "truncate":
        del data[at:]
    elif how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            spot = draw(st.integers(0, max(len(data) - 1, 0)))
            if data:
                data[spot] = draw(st.integers(0, 255))
    elif how == "insert":
        data[at:at] = draw(st.one_of(hostile_bytes, hostile_text.map(str.encode)))
    elif how == "nul":
        data[at:at] = b"\x00" * draw(st.integers(1, 3))
    return bytes(data)


# --- cmi5 packages --------------------------------------------------------------------------


def _zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


MEMBER_NAMES = st.one_of(
    # zipfile cuts a name at its first NUL, and cannot write an empty one
    hostile_text.filter(lambda name: name.split("\x00", 1)[0]),
    st.sampled_from(
        ["../evil.html", "/etc/passwd", "a/../../b", "C:\\win.ini", "cmi5.xml", "CMI5.XML",
         "dir/", "a" * 300, "x\x00y.html", "\u202ehtml.exe"]
    ),
)  # fmt: skip


@st.composite
def cmi5_packages(draw):
    """A real package whose cmi5.xml is damaged, with members added, or whose bytes are."""
    members = _members(CMI5_ZIP)
    choice = draw(st.sampled_from(["structure", "members", "bytes", "bare xml"]))
    event(choice)
    if choice == "structure":
        members["cmi5.xml"] = draw(damaged(members["cmi5.xml"]))
    elif choice == "members":
        for _ in range(draw(st.integers(1, 3))):
            members[draw(MEMBER_NAMES)] = draw(hostile_bytes)
    elif choice == "bytes":
        return draw(damaged(CMI5_ZIP))
    else:
        return draw(damaged(CMI5_XML))
    return _zip_with(members)


@bounded
@given(package=cmi5_packages())
def test_a_damaged_cmi5_package_is_read_or_refused_with_its_reasons(package):
    error = refusal(PackageError, read_package, io.BytesIO(package))
    if error is not None:
        assert str(error).strip()


@pytest.mark.django_db
@bounded
@given(package=cmi5_packages())
def test_importing_a_damaged_cmi5_package_leaves_nothing_behind(package):
    courses = Course.objects.count()
    folders = set(content_root().glob("*/*")) if content_root().exists() else set()
    if refusal(PackageError, import_cmi5_package, source=io.BytesIO(package)) is not None:
        assert Course.objects.count() == courses
        assert (set(content_root().glob("*/*")) if content_root().exists() else set()) == folders


def test_a_cmi5_package_over_the_limits_is_refused(monkeypatch):
    with pytest.raises(PackageError, match="zip members, more than the 3 allowed"):
        read_package(io.BytesIO(CMI5_ZIP), max_files=3)
    with pytest.raises(PackageError, match="bytes"):
        read_package(io.BytesIO(CMI5_ZIP), max_total_bytes=1000)
    huge_xml = b"<?xml version='1.0'?><courseStructure>" + b" " * 2000
    monkeypatch.setattr(cmi5_package, "MAX_STRUCTURE_BYTES", 1000)
    with pytest.raises(PackageError, match=r"cmi5\.xml: larger than 1000 bytes"):
        read_package(io.BytesIO(huge_xml))
    monkeypatch.undo()
    # A text node beyond what lxml reads without huge_tree: refused, not parsed without bound.
    with pytest.raises(PackageError, match="Resource limit exceeded"):
        read_package(io.BytesIO(b"<?xml version='1.0'?><a>" + b"x" * 11 * 1024**2 + b"</a>"))


# --- CASE JSON and Moodle CSV ---------------------------------------------------------------

CASE_PLACES = [
    ("CFDocument",), ("CFDocument", "identifier"), ("CFDocument", "title"),
    ("CFDocument", "lastChangeDateTime"), ("CFDocument", "language"), ("CFItems",),
    ("CFItems", 0), ("CFItems", 0, "identifier"), ("CFItems", 0, "fullStatement"),
    ("CFItems", 0, "lastChangeDateTime"), ("CFAssociations",), ("CFAssociations", 0),
    ("CFAssociations", 0, "associationType"), ("CFAssociations", 0, "originNodeURI"),
    ("CFAssociations", 0, "destinationNodeURI"), ("CFAssociations", 0, "sequenceNumber"),
]  # fmt: skip


def _replace(data, place, value):
    target = data
    for key in place[:-1]:
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            return
    try:
        target[place[-1]] = value
    except (IndexError, TypeError):
        return


@st.composite
def case_packages(draw):
    if draw(st.booleans()):
        return draw(damaged(CASE_JSON))
    data = json.loads(CASE_JSON)
    for place in draw(st.lists(st.sampled_from(CASE_PLACES), min_size=1, max_size=3)):
        _replace(data, place, draw(json_values))
    return json.dumps(data, ensure_ascii=draw(st.booleans())).encode()


@pytest.mark.django_db
@bounded
@given(content=case_packages())
def test_a_damaged_case_package_is_imported_whole_or_refused_whole(content):
    frameworks, competences = Framework.objects.count(), Competence.objects.count()
    error = refusal(CaseError, import_file, content, file_format="case")
    if error is not None:
        assert error.errors
        assert all(message.startswith("$") for message in error.errors), error.errors
        counts = (Framework.objects.count(), Competence.objects.count())
        assert counts == (frameworks, competences)


def test_a_case_error_list_is_capped_with_the_count_of_the_rest():
    data = json.loads(CASE_JSON)
    data["CFItems"] = [{"identifier": "no"} for _ in range(30_000)]
    with pytest.raises(CaseError) as caught:
        parse_package(json.dumps(data).encode())
    assert len(str(caught.value)) < 20_000
    assert "more" in str(caught.value)


@st.composite
def moodle_files(draw):
    if draw(st.booleans()):
        return draw(damaged(MOODLE_CSV))
    lines = MOODLE_CSV.decode().splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        line = draw(st.integers(0, len(lines) - 1))
        cells = lines[line].rstrip("\r\n").split(",")
        cell = draw(st.integers(0, max(len(cells) - 1, 0)))
        cells[cell] = draw(st.one_of(hostile_text, st.just('"unterminated')))
        lines[line] = ",".join(cells) + "\n"
    return "".join(lines).encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))


@pytest.mark.django_db
@bounded
@given(content=moodle_files())
def test_a_damaged_moodle_csv_is_imported_whole_or_refused_with_lines(content):
    frameworks = Framework.objects.count()
    error = refusal(CaseError, import_file, content, file_format="moodle")
    if error is not None:
        assert error.errors
        assert Framework.objects.count() == frameworks


# --- invitation CSV -------------------------------------------------------------------------


@st.composite
def invitation_files(draw):
    if draw(st.booleans()):
        return draw(damaged(INVITATIONS_CSV))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(
        st.lists(
            st.sampled_from(["email", "name", "role", "unit", "profession", "job_title", "x"]),
            min_size=1,
            max_size=6,
        )
    )
    rows = draw(st.lists(st.lists(hostile_text, max_size=7), max_size=6))
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return "\n".join(lines).encode()


@pytest.mark.django_db
@bounded
@given(content=invitation_files())
def test_a_damaged_invitation_csv_is_previewed_row_by_row_or_refused(content):
    organisation = OrganisationFactory()
    error = refusal(ValidationError, parse_invitation_csv, organisation=organisation, data=content)
    if error is not None:
        assert error.messages
        return
    preview = parse_invitation_csv(organisation=organisation, data=content)
    lines = [row.line for row in preview.rows]
    assert lines == sorted(lines)
    assert all(isinstance(message, str) for row in preview.invalid for message in row.errors)
    event(f"{len(preview.valid)} valid, {len(preview.invalid)} invalid")


def test_an_oversized_invitation_csv_is_refused_with_its_limit():
    organisation = OrganisationFactory.build()
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        parse_invitation_csv(organisation=organisation, data=b"a" * (MAX_CSV_BYTES + 1))


# --- CPD evidence ---------------------------------------------------------------------------

EVIDENCE_NAMES = st.builds(
    lambda stem, extension: stem + extension,
    st.one_of(hostile_text, st.sampled_from(["../../etc/passwd", "a" * 250, "dir/sub/file"])),
    st.sampled_from([".pdf", ".PDF", ".txt", ".png", ".exe", ".html", "", ".pdf.exe"]),
)


BOUNDARY = "practica-fuzz-boundary"


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> bytes:
    """A form post as any HTTP client may write it: the file's name goes as it is (Django's
    test client would clean it first)."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="evidence"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


@pytest.mark.django_db
@bounded
@given(name=EVIDENCE_NAMES, content=hostile_bytes)
def test_any_evidence_file_is_stored_safely_or_refused_on_its_field(client, name, content):
    learner = UserFactory()
    client.force_login(learner)
    body = _multipart(activity(), name, content)
    response = client.generic(
        "POST",
        reverse("cpd-entry-new"),
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code in {302, 400}, response.status_code
    entries = CpdEntry.objects.filter(learner=learner)
    if response.status_code == 400:
        assert not entries.exists()
        event("refused")
        return
    stored = entries.get().evidence.name
    if not stored:  # a name that is no file name (".." say): Django's parser drops the file
        event("no file")
        return
    assert stored.startswith("cpd/evidence/")
    assert ".." not in stored.split("/")
    assert "\x00" not in stored
    assert len(stored) <= CpdEntry._meta.get_field("evidence").max_length
    event("stored")


@pytest.mark.django_db
def test_an_oversized_evidence_file_is_refused(client, settings):
    from certificates.cpd import services as cpd_services

    learner = UserFactory()
    client.force_login(learner)
    big = SimpleUploadedFile("scan.pdf", b"%PDF" + b"0" * cpd_services.EVIDENCE_MAX_BYTES)
    response = client.post(reverse("cpd-entry-new"), activity(evidence=big))
    assert response.status_code == 400
    assert "larger than 10 MB" in " ".join(response.context["form"].errors["evidence"])
    assert not CpdEntry.objects.filter(learner=learner).exists()
