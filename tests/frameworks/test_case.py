"""CASE 1.0 CFPackage import and export with real exports (tests/data/case)."""

import json
from io import StringIO

import orjson
import pytest
from django.core.management import CommandError, call_command

from frameworks.case import CaseError, export_package, import_package
from frameworks.models import Association, Competence, Framework
from tests.paths import CASE

pytestmark = pytest.mark.django_db

ORDERING = CASE / "Ordering.case.json"
OPENSALT = CASE / "what_standards_could_be.opensalt-framework-20c5134f.case.json"
UTF8 = CASE / "Utf8TestFramework.case.json"


def test_a_real_framework_imports_as_a_tree():
    framework = import_package(ORDERING.read_bytes())
    original = json.loads(ORDERING.read_text())
    assert framework.title == original["CFDocument"]["title"]
    assert framework.competences.count() == len(original["CFItems"]) == 28
    child_of = [a for a in original["CFAssociations"] if a["associationType"] == "isChildOf"]
    document_id = original["CFDocument"]["identifier"]
    tops = {
        a["originNodeURI"]["identifier"]
        for a in child_of
        if a["destinationNodeURI"]["identifier"] == document_id
    }
    assert {str(c.identifier) for c in Competence.objects.filter(parent__isnull=True)} == tops
    some = next(a for a in child_of if a["destinationNodeURI"]["identifier"] != document_id)
    child = Competence.objects.get(identifier=some["originNodeURI"]["identifier"])
    assert str(child.parent.identifier) == some["destinationNodeURI"]["identifier"]


def test_real_exports_with_harmless_schema_errors_import():
    framework = import_package(OPENSALT.read_bytes())
    assert framework.competences.count() == 16
    kinds = set(
        Association.objects.filter(framework=framework).values_list("association_type", flat=True)
    )
    assert {"exactMatchOf", "isRelatedTo", "precedes", "exemplar"} <= kinds
    utf8 = import_package(UTF8.read_bytes())
    statement = Competence.objects.get(framework=utf8).full_statement
    assert json.loads(UTF8.read_text())["CFItems"][0]["fullStatement"] in statement.values()


def test_export_then_import_gives_the_same_framework():
    framework = import_package(OPENSALT.read_bytes())
    exported = export_package(framework)
    again = import_package(orjson.dumps(exported))
    assert again.pk == framework.pk
    assert export_package(again) == exported
    original = json.loads(OPENSALT.read_text())
    assert {i["identifier"]: i["fullStatement"] for i in exported["CFItems"]} == {
        i["identifier"]: i["fullStatement"] for i in original["CFItems"]
    }
    assert {a["identifier"] for a in exported["CFAssociations"]} == {
        a["identifier"] for a in original["CFAssociations"]
    }


def _broken(**changes) -> bytes:
    data = json.loads(ORDERING.read_text())
    for path, value in changes.items():
        target = data
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        target[keys[-1]] = value
    return orjson.dumps(data)


@pytest.mark.parametrize(
    ("content", "path"),
    [
        (b"{not json", "$: not valid JSON"),
        (b"[]", "$.CFDocument"),
        (_broken(CFDocument__identifier="nope"), "$.CFDocument.identifier"),
        (_broken(CFDocument__title=""), "$.CFDocument.title"),
        (_broken(CFItems__3__identifier=None), "$.CFItems[3].identifier"),
        (_broken(CFItems__5__fullStatement=""), "$.CFItems[5].fullStatement"),
        (
            _broken(CFAssociations__2__associationType="isCousinOf"),
            "$.CFAssociations[2].associationType",
        ),
        (_broken(CFAssociations__4__originNodeURI="x"), "$.CFAssociations[4].originNodeURI"),
        (_broken(CFAssociations__1__sequenceNumber="first"), "$.CFAssociations[1].sequenceNumber"),
    ],
)
def test_a_broken_package_is_refused_whole_naming_the_json_path(content, path):
    with pytest.raises(CaseError) as caught:
        import_package(content)
    assert any(error.startswith(path) for error in caught.value.errors), caught.value.errors
    assert not Framework.objects.exists()
    assert not Competence.objects.exists()


def test_commands_import_and_export(tmp_path):
    out = StringIO()
    call_command("import_framework", str(ORDERING), stdout=out)
    identifier = json.loads(ORDERING.read_text())["CFDocument"]["identifier"]
    assert out.getvalue().startswith(identifier)
    exported = StringIO()
    call_command("export_framework", identifier, stdout=exported)
    assert json.loads(exported.getvalue())["CFDocument"]["identifier"] == identifier
    broken = tmp_path / "broken.json"
    broken.write_bytes(_broken(CFItems__0__identifier="x"))
    with pytest.raises(CommandError, match=r"CFItems\[0\]\.identifier"):
        call_command("import_framework", str(broken), stdout=StringIO())
    with pytest.raises(CommandError, match="No framework"):
        call_command("export_framework", "00000000-0000-0000-0000-000000000000", stdout=StringIO())


def test_export_costs_three_queries(django_assert_num_queries):
    framework = import_package(OPENSALT.read_bytes())
    with django_assert_num_queries(2):  # items, associations (the framework is in hand)
        export_package(framework)
