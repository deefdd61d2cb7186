"""Broken framework files are refused whole with every reason named, and the answer stays small
(issue 17): NUL characters, and thousands of bad items."""

import json
import re

import pytest

from frameworks.case import CaseError, import_file
from frameworks.models import Framework
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
