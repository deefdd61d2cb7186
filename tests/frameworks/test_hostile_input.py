"""Broken framework files are refused whole with every reason named, and the answer stays small
(issue 17): NUL characters, and thousands of bad items."""

import json
import re

import pytest

from frameworks.case import CaseError
from frameworks.models import Framework
from frameworks.services import import_file
from tests.paths import CASE, MOODLE

pytestmark = pytest.mark.django_db


def _ordering() -> dict:
    return json.loads((CASE / "Ordering.case.json").read_text())


def test_a_nul_character_in_a_case_package_is_named_by_its_path():
    data = _ordering()
    data["CFItems"][2]["fullStatement"] = "a\u0000b"
    data["CFDocument"]["title"] = "\u0000"
    with pytest.raises(CaseError) as refused:
        import_file(json.dumps(data).encode())
    assert "$.CFDocument.title: contains a NUL character (U+0000)" in refused.value.errors
    assert "$.CFItems[2].fullStatement: contains a NUL character (U+0000)" in refused.value.errors
    assert not Framework.objects.exists()


def test_a_nul_character_in_a_moodle_csv_is_named_by_its_line():
    lines = (MOODLE / "lpimportcsv_example_moodle_core_OECD.csv").read_text().split("\n")
    lines[1] = lines[1].replace(",", ",\x00", 1)  # the framework's own row
    with pytest.raises(CaseError) as refused:
        import_file("\n".join(lines).encode(), file_format="moodle")
    assert "line 2: contains a NUL character (U+0000)" in refused.value.errors
    assert not Framework.objects.exists()


def test_thousands_of_bad_items_give_the_first_hundred_and_a_count():
    data = _ordering()
    data["CFItems"] = [
        {"identifier": f"not-a-uuid-{n}", "fullStatement": "x"} for n in range(30_000)
    ]
    with pytest.raises(CaseError) as refused:
        import_file(json.dumps(data).encode())
    errors = refused.value.errors
    assert len(errors) == 101
    assert re.fullmatch(r"… and [\d,]+ more problems", errors[-1])
    assert len(str(refused.value)) < 20_000


def test_case_fields_of_the_wrong_type_or_too_long_are_named_by_their_path():
    """Found by the fuzz tests: these reached the database (a 500) instead of an answer."""
    data = _ordering()
    data["CFDocument"]["language"] = ["en"]
    data["CFDocument"]["publisher"] = "p" * 501
    data["CFItems"][0]["humanCodingScheme"] = {"code": 1}
    data["CFItems"][1]["abbreviatedStatement"] = "s" * 501
    data["CFAssociations"][0]["sequenceNumber"] = 2**40
    data["CFAssociations"][1]["sequenceNumber"] = "²"  # a digit to str.isdigit(), not to int()
    with pytest.raises(CaseError) as refused:
        import_file(json.dumps(data).encode())
    errors = refused.value.errors
    assert "$.CFDocument.language: must be a string, not list" in errors
    assert "$.CFDocument.publisher: longer than 500 characters" in errors
    assert "$.CFItems[0].humanCodingScheme: must be a string, not dict" in errors
    assert "$.CFItems[1].abbreviatedStatement: longer than 500 characters" in errors
    assert any(
        e.startswith("$.CFAssociations[0].sequenceNumber: must be an integer") for e in errors
    )
    assert any(
        e.startswith("$.CFAssociations[1].sequenceNumber: must be an integer") for e in errors
    )
    assert not Framework.objects.exists()


def test_a_sequence_number_written_as_digits_is_still_read():
    data = _ordering()
    data["CFAssociations"][0]["sequenceNumber"] = "7"
    framework = import_file(json.dumps(data).encode())
    assert framework.associations.filter(sequence_number=7).exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda line: line.replace(",", ",a\rb", 1), "line 2: "),  # a lone carriage return
        (lambda line: line.replace(",OECD-CORE,", ",OECD-CORE" + "x" * 100 + ",", 1),
         "line 2: 'Id number' is longer than 100 characters"),
    ],
)  # fmt: skip
def test_a_moodle_csv_with_a_broken_or_over_long_cell_is_refused_with_its_line(damage, message):
    lines = (MOODLE / "lpimportcsv_example_moodle_core_OECD.csv").read_text().split("\n")
    lines[1] = damage(lines[1])
    with pytest.raises(CaseError) as refused:
        import_file("\n".join(lines).encode(), file_format="moodle")
    assert any(error.startswith(message) for error in refused.value.errors), refused.value.errors
    assert not Framework.objects.exists()
