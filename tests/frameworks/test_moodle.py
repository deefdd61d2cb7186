"""Moodle competency-framework CSV import, with the real OECD framework (tests/data/moodle)."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from frameworks.case import CaseError, export_package
from frameworks.models import Association, Competence, Framework
from frameworks.services import import_file
from tests.paths import MOODLE

pytestmark = pytest.mark.django_db

OECD = MOODLE / "lpimportcsv_example_moodle_core_OECD.csv"


def test_the_oecd_framework_imports_with_its_tree_scale_and_cross_references():
    framework = import_file(OECD.read_bytes())
    assert framework.title == "OECD"
    assert framework.competences.count() == 64
    assert [level.name["und"] for level in framework.levels.all()] == [
        "Not yet competent",
        "Competent",
    ]
    level_one = Competence.objects.get(framework=framework, human_coding_scheme="level-1")
    assert level_one.parent.human_coding_scheme == "levels"
    assert Competence.objects.filter(framework=framework, parent__isnull=True).count() >= 1
    assert Association.objects.filter(framework=framework, association_type="isRelatedTo").exists()
    # Re-importing updates by identifier: nothing doubles.
    again = import_file(OECD.read_bytes())
    assert again.pk == framework.pk
    assert again.competences.count() == 64
    assert export_package(again)["CFDocument"]["title"] == "OECD"


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


HEADER = ["Parent id number", "Id number", "Shortname", "Description", "Is framework"]
FRAMEWORK = ["", "FW", "Framework", "", "1"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Id number", "Shortname"]], "line 1: missing column"),
        (
            [HEADER, FRAMEWORK, ["", "a", "A", "", ""], ["", "a", "Again", "", ""]],
            "line 4: 'Id number' 'a' is also on line 3",
        ),
        ([HEADER, FRAMEWORK, ["ghost", "b", "B", "", ""]], "line 3: parent 'ghost'"),
        ([HEADER, FRAMEWORK, ["", "c", "", "", ""]], "line 3: 'Shortname' is required"),
        ([HEADER, FRAMEWORK, ["", "FW2", "Other", "", "1"]], "line 3: exactly one row"),
        ([HEADER, FRAMEWORK, ["", "d"]], "line 3: 2 fields"),
    ],
)
def test_a_broken_csv_is_refused_whole_naming_the_line(rows, message):
    with pytest.raises(CaseError) as caught:
        import_file(_csv(rows))
    assert any(e.startswith(message) for e in caught.value.errors), caught.value.errors
    assert not Framework.objects.exists()


def test_the_command_detects_the_format_and_reports_lines(tmp_path):
    out = StringIO()
    call_command("import_framework", str(OECD), stdout=out)
    assert "OECD (64 competences)" in out.getvalue()
    broken = tmp_path / "broken.csv"
    broken.write_bytes(_csv([HEADER, FRAMEWORK, ["ghost", "b", "B", "", ""]]))
    with pytest.raises(CommandError, match="line 3"):
        call_command("import_framework", str(broken), stdout=StringIO())
    with pytest.raises(CommandError, match=r"\$: not valid JSON"):
        call_command("import_framework", str(broken), "--format", "case", stdout=StringIO())
