"""New versions of a framework (replacedBy) keep the old version's alignments resolvable;
re-imports keep what alignments name; Practica's CASE extensions; the demo frameworks."""

import uuid
from io import StringIO

import orjson
import pytest
from django.core.management import call_command

from courses.models import Course
from frameworks.case import CaseError, export_package, import_package
from frameworks.demo_data import CP_RO, CP_RS
from frameworks.models import Alignment, Competence, Framework, ProficiencyLevel, RoleProfile
from frameworks.selectors import competence_profile, gap_analysis
from frameworks.services import align
from lms.models import User
from tests.frameworks.factories import complete, course_with_link
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

WHEN = "2026-01-01T00:00:00+00:00"


def _node(identifier: str, title: str = "") -> dict[str, str]:
    return {"identifier": identifier, "uri": f"urn:x:{identifier}", "title": title}


def _package(document: str, items: dict[str, str], extra=None, associations=()) -> bytes:
    """A CFPackage of root items (code → identifier), each isChildOf the document."""
    return orjson.dumps(
        {
            "CFDocument": {
                "identifier": document,
                "title": f"Framework {document[:4]}",
                "uri": "urn:x",
                "lastChangeDateTime": WHEN,
                "language": "en",
                "proficiencyScale": ["One", "Two", "Three"],
                **(extra or {}),
            },
            "CFItems": [
                {"identifier": ident, "fullStatement": f"Item {code}", "humanCodingScheme": code}
                for code, ident in items.items()
            ],
            "CFAssociations": [
                {
                    "identifier": str(uuid.uuid4()),
                    "associationType": "isChildOf",
                    "originNodeURI": _node(ident),
                    "destinationNodeURI": _node(document),
                }
                for ident in items.values()
            ]
            + list(associations),
        }
    )


def _ids(*codes: str) -> dict[str, str]:
    return {code: str(uuid.uuid5(uuid.NAMESPACE_URL, code)) for code in codes}


def test_a_new_version_keeps_the_old_versions_alignments_resolvable():
    v1_doc, v2_doc = str(uuid.uuid4()), str(uuid.uuid4())
    v1, v2 = _ids("v1:1", "v1:2"), _ids("v2:1", "v2:2")
    old = import_package(_package(v1_doc, {"1": v1["v1:1"], "2": v1["v1:2"]}))
    course = course_with_link()
    align(competence=Competence.objects.get(identifier=v1["v1:1"]), course=course, level=2)
    learner = UserFactory()
    complete(learner, course)
    replaced = [
        {"identifier": str(uuid.uuid4()), "associationType": "replacedBy",
         "originNodeURI": _node(v1[f"v1:{n}"]), "destinationNodeURI": _node(v2[f"v2:{n}"])}
        for n in (1, 2)
    ]  # fmt: skip
    new = import_package(
        _package(v2_doc, {"1": v2["v2:1"], "2": v2["v2:2"]}, {"version": "2"}, replaced)
    )
    assert Framework.objects.count() == 2
    assert old.competences.count() == 2
    [entry] = competence_profile(learner, new).entries
    assert (str(entry.competence.identifier), entry.level) == (v2["v2:1"], 2)
    assert entry.evidence[0].via == "replacedBy"
    # The old version still answers too.
    assert competence_profile(learner, old).entries[0].level == 2


def test_a_reimport_drops_items_nothing_names_and_keeps_the_aligned_and_the_levels():
    document = str(uuid.uuid4())
    ids = _ids("a", "b", "c")
    framework = import_package(_package(document, {"A": ids["a"], "B": ids["b"], "C": ids["c"]}))
    level_ids = list(framework.levels.values_list("pk", flat=True))
    aligned = Competence.objects.get(identifier=ids["b"])
    align(competence=aligned, course=course_with_link(), level=3)
    import_package(_package(document, {"A": ids["a"]}))
    assert set(framework.competences.values_list("human_coding_scheme", flat=True)) == {"A", "B"}
    assert Alignment.objects.get().competence == aligned
    assert list(framework.levels.values_list("pk", flat=True)) == level_ids


def test_jurisdiction_and_scale_are_checked_and_round_trip():
    document = str(uuid.uuid4())
    framework = import_package(_package(document, _ids("x"), {"jurisdiction": "rs"}))
    assert framework.jurisdiction.code == "RS"
    exported = export_package(framework)
    assert exported["CFDocument"]["jurisdiction"] == "RS"
    assert exported["CFDocument"]["proficiencyScale"] == ["One", "Two", "Three"]
    with pytest.raises(CaseError) as error:
        import_package(
            _package(str(uuid.uuid4()), {}, {"jurisdiction": "Narnia", "proficiencyScale": [3]})
        )
    assert any(e.startswith("$.CFDocument.jurisdiction:") for e in error.value.errors)
    assert any(e.startswith("$.CFDocument.proficiencyScale:") for e in error.value.errors)
    assert Framework.objects.count() == 1


def test_the_demo_loads_two_frameworks_a_crosswalk_a_role_and_the_courses_alignments(settings):
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())  # idempotent
    home, abroad = Framework.objects.get(identifier=CP_RO), Framework.objects.get(identifier=CP_RS)
    assert (home.jurisdiction.code, abroad.jurisdiction.code) == ("RO", "RS")
    assert set(home.competences.values_list("item_type", flat=True)) == {
        "Domain", "Capability", "Indicator",
    }  # fmt: skip
    assert ProficiencyLevel.objects.filter(framework=home).count() == 4
    assert abroad.associations.filter(association_type="exactMatchOf").count() >= 5
    course = Course.objects.get(activity_iri="urn:practica:demo:course:safeguarding-basics")
    assert Alignment.objects.filter(course=course).count() == 4
    role = RoleProfile.objects.get(slug="child-protection-case-worker")
    learner = User.objects.get(email__startswith="learner@")
    result = gap_analysis(learner, role)
    assert result.met == []
    assert len(result.gaps) == role.targets.count()
    assert course.slug in [r.slug for r in result.recommendations]
