"""Reading and validating cmi5 course packages (courses.cmi5.package): cmi5 §13 Course Structure
and §14 Course Package, on the spec's own examples, CATAPULT's packages, and crafted bad ones.

No database: the package reader is pure. Zips are built in tmp_path, never committed.
"""

import io
import pickle
import re
import stat
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from courses.cmi5 import schema as cmi5_package
from courses.cmi5.package import (
    AssignableUnit,
    Block,
    PackageError,
    assignable_units,
    read_package,
)
from tests.paths import CMI5

SINGLE = CMI5 / "single_au_basic_responsive.zip"
MULTI = CMI5 / "multi_au_framed.zip"
EXAMPLES = CMI5 / "aicc" / "v1" / "examples"
CATAPULT = "https://w3id.org/xapi/cmi5/catapult/lts/course"
GEOLOGY = "http://courses.example.edu/identifiers/courses/d07e186b"

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
COURSE = "https://example.com/course/c1"


# -- builders ----------------------------------------------------------------------------------


def _text(tag: str, value: str) -> str:
    return f'<{tag}><langstring lang="en-US">{value}</langstring></{tag}>'


def _au(
    au_id: str = "https://example.com/au/1",
    url: str = "index.html",
    *,
    attrs: str = "",
    objectives: str = "",
    extra: str = "",
) -> str:
    refs = f"<objectives>{objectives}</objectives>" if objectives else ""
    return (
        f'<au id="{au_id}" {attrs}>{_text("title", "AU")}{_text("description", "An AU")}'
        f"{refs}<url>{url}</url>{extra}</au>"
    )


def _block(block_id: str, *children: str, objectives: str = "") -> str:
    refs = f"<objectives>{objectives}</objectives>" if objectives else ""
    return (
        f'<block id="{block_id}">{_text("title", "Block")}{_text("description", "A block")}'
        f"{refs}{''.join(children)}</block>"
    )


def _objective(objective_id: str) -> str:
    return (
        f'<objective id="{objective_id}">{_text("title", "Objective")}'
        f"{_text('description', 'An objective')}</objective>"
    )


def _structure(*children: str, course_id: str = COURSE, objectives: str = "") -> str:
    declared = f"<objectives>{objectives}</objectives>" if objectives else ""
    # One element a line, so that errors' line numbers can be asserted.
    body = "\n".join(children)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<courseStructure xmlns="{NS}">\n'
        f'<course id="{course_id}">{_text("title", "Course")}{_text("description", "A course")}'
        f"</course>\n{declared}\n{body}\n</courseStructure>\n"
    )


def _zip_bytes(files: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _package(structure: str, **files: bytes | str) -> dict[str, bytes | str]:
    return {"cmi5.xml": structure, "index.html": "<html></html>", **files}


def _write(tmp_path: Path, data: bytes, name: str = "package.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refusal(source: Path | io.BytesIO, **limits: int) -> list[str]:
    with pytest.raises(PackageError) as caught:
        read_package(source, **limits)
    return caught.value.errors


def _one_error_with(errors: list[str], *fragments: str) -> str:
    matching = [e for e in errors if all(f in e for f in fragments)]
    assert matching, f"no error has all of {fragments!r}: {errors!r}"
    return matching[0]


def _files_under(directory: Path) -> list[Path]:
    return list(directory.rglob("*")) if directory.exists() else []


# -- the published XSD -------------------------------------------------------------------------


def test_embedded_xsd_is_the_published_one():
    """cmi5 §13.2: the module validates against its own copy of the XSD (no network); it must
    be the published file, up to the wrapping of one long line."""
    published = (CMI5 / "aicc" / "v1" / "CourseStructure.xsd").read_bytes()
    embedded = cmi5_package._COURSE_STRUCTURE_XSD
    assert etree.tostring(etree.fromstring(embedded), method="c14n") == etree.tostring(
        etree.fromstring(published), method="c14n"
    )


# -- CATAPULT's real packages (cmi5 §14.1) -----------------------------------------------------


def test_single_au_package_reads_as_its_cmi5_xml_says(tmp_path):
    package = read_package(SINGLE)
    structure = package.structure
    assert package.is_zip
    assert structure.id == f"{CATAPULT}/geology-intro-single-au-basic-responsive"
    assert structure.title == {"en-US": "Introduction to Geology - Responsive Style"}
    assert structure.description["en-US"].startswith("This course will introduce you")
    assert structure.objectives == {}
    (au,) = structure.children
    assert isinstance(au, AssignableUnit)
    assert au.id == f"{CATAPULT}/geology-intro-single-au-basic-responsive/1"
    assert au.url == "index.html"
    assert au.move_on == "CompletedOrPassed"
    assert au.launch_method == "AnyWindow"  # the XSD default (cmi5 §13.1.4)
    assert au.mastery_score is None
    assert au.launch_parameters is None
    assert au.entitlement_key is None
    assert au.activity_type is None
    assert au.objectives == ()
    assert assignable_units(structure) == [(au, ())]

    files = package.files()
    assert len(files) == 14  # 18 zip entries, 4 of them folders
    assert {"cmi5.xml", "index.html", "js/cmi5.min.js", "video/mountains_31175.mp4"} <= set(files)
    assert not any(name.endswith("/") for name in files)
    with package.open("index.html") as member:
        assert member.read(15) == b"<!DOCTYPE html>"

    target = tmp_path / "out"
    package.extract_to(target)
    with zipfile.ZipFile(SINGLE) as archive:
        for name in files:
            assert (target / name).read_bytes() == archive.read(name)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == (
        sorted(files)
    )


def test_multi_au_package_reads_as_its_cmi5_xml_says():
    structure = read_package(MULTI).structure
    base = f"{CATAPULT}/geology-intro-multi-au-framed"
    assert structure.id == base
    assert structure.title == {"en-US": "Introduction to Geology - Multi AU at Root"}
    units = assignable_units(structure)
    assert [au.id for au, _ in units] == [f"{base}/{n}" for n in range(1, 8)] + [f"{base}/quiz"]
    assert all(blocks == () for _, blocks in units)  # every AU at the root, no blocks
    assert [au.move_on for au, _ in units] == ["CompletedOrPassed"] * 7 + ["CompletedAndPassed"]
    assert [au.url for au, _ in units][:2] == [
        "index.html?pages=1&complete=launch",
        "index.html?pages=2&complete=launch",
    ]
    assert units[-1][0].url == "index.html?pages=quiz&complete=quiz"
    assert units[-1][0].title == {"en-US": "Quiz"}
    assert units[3][0].title == {"en-US": "Geological Time"}
    assert all(au.mastery_score is None for au, _ in units)


def test_a_package_reads_from_a_stream_and_opens_members_while_it_is_open():
    with MULTI.open("rb") as stream:
        package = read_package(stream)
        assert len(assignable_units(package.structure)) == 8
        with package.open("cmi5.xml") as member:
            assert b"geology-intro-multi-au-framed" in member.read()
    in_memory = read_package(io.BytesIO(SINGLE.read_bytes()))
    with in_memory.open("style/base.css") as member:
        assert member.read()


# -- the specification's examples (cmi5 §15) ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "course_id", "au_count"),
    [
        ("simple-cmi5.xml", "http://course-repository.example.edu/identifiers/courses/02baafcf", 1),
        ("complex-cmi5.xml", "http://courses.example.edu/identifiers/courses/d07e186b", 14),
        (
            "extended-cmi5.xml",
            "http://course-repository.example.edu/identifiers/courses/02baafcf",
            1,
        ),
    ],
)
def test_spec_examples_read_as_bare_course_structures(name, course_id, au_count):
    """cmi5 §15: the spec's examples use absolute URLs, so they read without a zip (§14.2)."""
    package = read_package(EXAMPLES / name)
    assert not package.is_zip
    assert package.files() == []
    assert package.structure.id == course_id
    assert len(assignable_units(package.structure)) == au_count


def test_extended_example_ignores_the_vendor_extension():
    """cmi5 §13.1.5: namespaced extension elements are valid and MAY be ignored."""
    structure = read_package(EXAMPLES / "extended-cmi5.xml").structure
    (au,) = structure.children
    assert isinstance(au, AssignableUnit)
    assert au.url == (
        "http://course-repository.example.edu/identifiers/courses/02baafcf/aus/4c07/launch.html"
    )


def test_complex_example_values():
    structure = read_package(EXAMPLES / "complex-cmi5.xml").structure
    assert structure.id == GEOLOGY
    assert structure.title == {"en-US": "Geology", "de-DE": "Geologie"}
    basics = "http://objectives.example.com/identifiers/geology/basics"
    history = "http://objectives.example.com/identifiers/history/history-of-science"
    assert list(structure.objectives) == [
        basics,
        "http://objectives.example.com/identifiers/geology/material-identification",
        "http://courses.example.edu/objectives/scientific-thinking-and-acting",
        history,
    ]
    assert structure.objectives[history].title == {
        "en-US": "History of Science",
        "de-DE": "History of Science",
    }

    units = assignable_units(structure)
    # Depth-first, in document order: the order of the <au> elements in the file.
    in_file = re.findall(r'<au id="([^"]+)"', (EXAMPLES / "complex-cmi5.xml").read_text())
    assert [au.id for au, _ in units] == in_file
    assert len(units) == 14
    by_id = {au.id: (au, blocks) for au, blocks in units}

    first, blocks = by_id[f"{GEOLOGY}/blocks/001/aus/64f6"]
    assert [b.id for b in blocks] == [f"{GEOLOGY}/blocks/001"]
    assert blocks[0].objectives == (
        basics,
        "http://objectives.example.com/identifiers/geology/material-identification",
    )
    assert first.move_on == "CompletedOrPassed"
    assert first.mastery_score == Decimal("1.0")
    assert first.launch_method == "AnyWindow"
    assert first.activity_type == "http://adlnet.gov/expapi/activities/lesson"
    assert first.launch_parameters == "{'initialSpeed':3.0,'mode':1}"
    assert first.entitlement_key == "833d0c7c-a3f8-4f9b-a51f-cbd8a9dac9fb"
    # <url> spans three lines in the file: xs:anyURI collapses the whitespace.
    assert first.url == f"{GEOLOGY}/blocks/001/aus/64f6/launch"

    tectonics, _ = by_id["http://example.com/courses/f59c9fc0/au/6f64"]
    assert tectonics.objectives == (history,)
    assert (tectonics.move_on, tectonics.mastery_score) == ("Passed", Decimal("0.1"))
    assert tectonics.launch_method == "OwnWindow"

    structure_au, _ = by_id["http://example.com/courses/f59c9fc0/au/6f65"]
    assert structure_au.launch_parameters is None  # whitespace only
    assert structure_au.entitlement_key is None  # empty element

    cenozoic, blocks = by_id[f"{GEOLOGY}/blocks/003-001/aus/7ec9"]
    assert [b.id.rsplit("/", 1)[1] for b in blocks] == ["003", "003-001", "003-001-001"]
    assert cenozoic.move_on == "Completed"

    mesoproterozoic, _ = by_id[f"{GEOLOGY}/blocks/003-001/aus/7ecd/"]
    assert mesoproterozoic.move_on == "NotApplicable"  # no moveOn: the XSD default

    quiz, blocks = by_id["http://quiz-server.example.com/1Hu62hL"]
    assert blocks == ()
    assert (quiz.move_on, quiz.mastery_score, quiz.launch_method) == (
        "Passed",
        Decimal("0.7"),
        "OwnWindow",
    )
    assert quiz.activity_type == "http://adlnet.gov/expapi/activities/assessment"
    assert quiz.entitlement_key is not None
    assert quiz.entitlement_key.startswith("w8GFdWktfOvzQUmFlI1YbUWB4yZX9jyEX3atFKmKW1eN6PTX")
    assert quiz.description["de-De"] == "Überprüfe dein neues Wissen über Geologie!"

    top = structure.children
    assert [type(child) for child in top] == [Block, Block, Block, AssignableUnit]


# -- CATAPULT's course structures (cmi5 §14.1, §14.2) ------------------------------------------

CATAPULT_STRUCTURES = sorted(CMI5.glob("*.cmi5.xml"))


def test_there_are_four_catapult_structures():
    assert [p.name for p in CATAPULT_STRUCTURES] == [
        "masteryscore_framed.cmi5.xml",
        "multi_au_framed.cmi5.xml",
        "pre_post_test_framed.cmi5.xml",
        "single_au_basic_responsive.cmi5.xml",
    ]


@pytest.mark.parametrize("path", CATAPULT_STRUCTURES, ids=lambda p: p.name)
def test_catapult_structures_parse_but_alone_need_a_zip(path, tmp_path):
    """CATAPULT's structures use relative URLs: valid in a zip that holds the files
    (cmi5 §14.1), refused as a bare cmi5.xml, where URLs must be fully qualified (§14.2). The
    refusal has exactly one reason a unit, and no other."""
    xml = path.read_text()
    urls = re.findall(r"<url>([^<]+)</url>", xml)
    errors = _refusal(path)
    assert len(errors) == len(urls)
    assert all("needs a zip package" in e and "cmi5 §14.2" in e for e in errors)

    stubs = {url.split("?")[0]: "<html></html>" for url in urls}
    package = read_package(_write(tmp_path, _zip_bytes({"cmi5.xml": xml, **stubs})))
    units = assignable_units(package.structure)
    assert [au.url for au, _ in units] == [url.replace("&amp;", "&") for url in urls]


def test_catapult_mastery_score_and_pre_post_values(tmp_path):
    mastery = (CMI5 / "masteryscore_framed.cmi5.xml").read_text()
    package = read_package(_write(tmp_path, _zip_bytes(_package(mastery)), "m.zip"))
    (au,) = package.structure.children
    assert isinstance(au, AssignableUnit)
    assert (au.mastery_score, au.move_on, au.launch_method) == (
        Decimal("0.3"),
        "CompletedOrPassed",
        "OwnWindow",
    )

    pre_post = (CMI5 / "pre_post_test_framed.cmi5.xml").read_text()
    stubs = {f"{kind}{n}.html": "x" for kind in ("pre", "post") for n in (1, 2)}
    structure = read_package(_write(tmp_path, _zip_bytes(_package(pre_post, **stubs)))).structure
    base = f"{CATAPULT}/geology-intro-preposttest"
    assert [block.id for block in structure.children] == [f"{base}/block1", f"{base}/block2"]
    units = assignable_units(structure)
    assert [au.id.removeprefix(base) for au, _ in units] == [
        f"/block{n}/{step}" for n in (1, 2) for step in ("pre", "content", "post")
    ]
    assert [au.move_on for au, _ in units] == ["Passed", "CompletedOrPassed", "Passed"] * 2
    assert [au.url for au, _ in units][:3] == ["pre1.html", "index.html?pages=1", "post1.html"]
    assert all(blocks[0].id.startswith(f"{base}/block") for _, blocks in units)


# -- what the XSD alone decides (cmi5 §13.2) ---------------------------------------------------


def _bad_xml_case(structure: str) -> Callable[[], bytes]:
    return structure.encode


def _bad_zip_case(files: dict[str, bytes | str]) -> Callable[[], bytes]:
    return lambda: _zip_bytes(files)


def _raw_zip_case(*infos: tuple[zipfile.ZipInfo, bytes]) -> Callable[[], bytes]:
    def build() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("cmi5.xml", _structure(_au()))
            archive.writestr("index.html", "<html></html>")
            for info, data in infos:
                archive.writestr(info, data)
        return buffer.getvalue()

    return build


def _member(name: str, *, mode: int = 0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _encrypted_member_zip() -> bytes:
    """zipfile cannot write encrypted members: set bit 0 of the general purpose flags (the
    "encrypted" bit) of one member in its central directory record."""
    data = bytearray(_raw_zip_case((_member("secret.html"), b"x"))())
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(b"secret.html")] != b"secret.html":
        at = data.index(b"PK\x01\x02", at + 4)
    data[at + 8] |= 0x01
    return bytes(data)


def _truncated_zip() -> bytes:
    return _zip_bytes(_package(_structure(_au())))[:-30]


DOCTYPE_XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE courseStructure [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    + _structure(_au(url="https://example.com/&x;")).split("?>", 1)[1]
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    f'<courseStructure xmlns="{NS}">&lol2;</courseStructure>'
)

AU1 = "https://example.com/au/1"
OBJ = "https://example.com/objective/1"

# (id, build the package's bytes, fragments that one error must all contain)
BAD_PACKAGES: list[tuple[str, Callable[[], bytes], tuple[str, ...]]] = [
    # What the file is (cmi5 §14).
    ("neither-zip-nor-xml", lambda: b"\x00\x01\x02 not a package", ("neither a zip nor an XML",)),
    ("empty-file", lambda: b"", ("neither a zip nor an XML",)),
    ("corrupt-zip", _truncated_zip, ("package: corrupt zip file",)),
    ("zip-without-cmi5-xml", _bad_zip_case({"index.html": "x"}), ("no cmi5.xml at the root",)),
    (
        "cmi5-xml-not-at-root",
        _bad_zip_case({"course/cmi5.xml": _structure(_au()), "course/index.html": "x"}),
        ("no cmi5.xml at the root", "found 'course/cmi5.xml'", "§14.1"),
    ),
    # cmi5.xml as XML, and the XSD (cmi5 §13.2).
    ("not-well-formed", _bad_xml_case("<courseStructure><course>"), ("not well-formed XML",)),
    ("doctype-xxe", _bad_xml_case(DOCTYPE_XXE), ("cmi5.xml: a DOCTYPE is not allowed",)),
    ("billion-laughs", _bad_xml_case(BILLION_LAUGHS), ("cmi5.xml: a DOCTYPE is not allowed",)),
    (
        "wrong-root",
        _bad_xml_case('<courseStructure xmlns="urn:other"/>'),
        ("cmi5.xml line 1", "courseStructure", "XSD, cmi5 §13.2"),
    ),
    (
        "au-without-url",
        _bad_xml_case(_structure(_au().replace("<url>index.html</url>", ""))),
        ("cmi5.xml line 5", "Element 'au'", "XSD, cmi5 §13.2"),
    ),
    (
        "move-on-not-in-the-xsd",
        _bad_xml_case(_structure(_au(url="https://e.com/", attrs='moveOn="Sometimes"'))),
        ("cmi5.xml line 5", "'moveOn'", "'Sometimes'", "enumeration"),
    ),
    (
        "launch-method-not-in-the-xsd",
        _bad_xml_case(_structure(_au(url="https://e.com/", attrs='launchMethod="Popup"'))),
        ("cmi5.xml line 5", "'launchMethod'", "enumeration"),
    ),
    (
        "mastery-score-over-1",
        _bad_xml_case(_structure(_au(url="https://e.com/", attrs='masteryScore="1.5"'))),
        ("cmi5.xml line 5", "'masteryScore'", "maxInclusive"),
    ),
    (
        "mastery-score-under-0",
        _bad_xml_case(_structure(_au(url="https://e.com/", attrs='masteryScore="-0.1"'))),
        ("'masteryScore'", "minInclusive"),
    ),
    (
        "mastery-score-not-a-number",
        _bad_xml_case(_structure(_au(url="https://e.com/", attrs='masteryScore="high"'))),
        ("cmi5.xml line 5", "'masteryScore'", "'high' is not a valid value", "XSD"),
    ),
    # Ids (cmi5 §3.0: absolute IRIs; §13.1.1-13.1.4: unique).
    (
        "au-id-not-an-iri",
        _bad_xml_case(_structure(_au("au1", "https://e.com/"))),
        ("au[id=au1]: id has no scheme", "§3.0, §13.1.4", "line 5"),
    ),
    (
        "course-id-not-an-iri",
        _bad_xml_case(_structure(_au(url="https://e.com/"), course_id="course-1")),
        ("course[id=course-1]: id has no scheme", "§3.0, §13.1.1"),
    ),
    (
        "block-id-not-an-iri",
        _bad_xml_case(_structure(_block("/blocks/1", _au(url="https://e.com/")))),
        ("block[id=/blocks/1]: id has no scheme", "§13.1.2"),
    ),
    (
        "objective-id-not-an-iri",
        _bad_xml_case(_structure(_au(url="https://e.com/"), objectives=_objective("obj-1"))),
        ("objective[id=obj-1]: id has no scheme", "§13.1.3"),
    ),
    (
        "id-with-a-space",
        _bad_xml_case(_structure(_au("https://e.com/a b", "https://e.com/"))),
        ("au[id=https://e.com/a b]: id contains a space",),
    ),
    (
        "http-id-without-host",
        _bad_xml_case(_structure(_au("https:///au", "https://e.com/"))),
        ("au[id=https:///au]: id has no host",),
    ),
    (
        "duplicate-au-id",
        _bad_xml_case(_structure(_au(AU1, "https://e.com/1"), _au(AU1, "https://e.com/2"))),
        (f"au[id={AU1}]: id already used by the au on line 5", "unique", "line 6"),
    ),
    (
        "duplicate-block-id",
        _bad_xml_case(
            _structure(
                _block("https://e.com/b", _au("https://e.com/a1", "https://e.com/")),
                _block("https://e.com/b", _au("https://e.com/a2", "https://e.com/")),
            )
        ),
        ("block[id=https://e.com/b]: id already used by the block on line 5", "§13.1.2"),
    ),
    (
        "duplicate-objective-id",
        _bad_xml_case(
            _structure(_au(url="https://e.com/"), objectives=_objective(OBJ) + _objective(OBJ))
        ),
        (f"objective[id={OBJ}]: id already used by the objective", "§13.1.3"),
    ),
    (
        "au-id-same-as-block-id",
        _bad_xml_case(
            _structure(_block("https://e.com/x", _au("https://e.com/x", "https://e.com/")))
        ),
        ("au[id=https://e.com/x]: id already used by the block on line 5",),
    ),
    (
        "au-id-same-as-course-id",
        _bad_xml_case(_structure(_au(COURSE, "https://e.com/"))),
        (f"au[id={COURSE}]: id already used by the course on line 3",),
    ),
    # Objective references (cmi5 §13.1.3).
    (
        "undeclared-objective-from-au",
        _bad_xml_case(
            _structure(
                _au(url="https://e.com/", objectives='<objective idref="https://e.com/nope"/>'),
                objectives=_objective(OBJ),
            )
        ),
        (
            f"au[id={AU1}]/objectives/objective[idref=https://e.com/nope]",
            "names no objective declared",
            "§13.1.3",
        ),
    ),
    (
        "undeclared-objective-from-block",
        _bad_xml_case(
            _structure(
                _block(
                    "https://e.com/b",
                    _au(url="https://e.com/"),
                    objectives='<objective idref="https://e.com/nope"/>',
                )
            )
        ),
        ("block[id=https://e.com/b]/objectives/objective[idref=https://e.com/nope]",),
    ),
    (
        "objective-reference-without-idref",
        _bad_xml_case(_structure(_au(url="https://e.com/", objectives="<objective/>"))),
        (f"au[id={AU1}]/objectives/objective: reference without an idref",),
    ),
    # AU URLs (cmi5 §13.1.4, §14.1, §14.2, §8.1).
    (
        "relative-url-in-a-bare-cmi5-xml",
        _bad_xml_case(_structure(_au(url="a.html"))),
        (f"au[id={AU1}]/url: relative URL 'a.html' needs a zip package", "cmi5 §14.2", "line 5"),
    ),
    (
        "relative-url-to-a-missing-file",
        _bad_zip_case(_package(_structure(_au(url="lesson/start.html?x=1#top")))),
        (
            f"au[id={AU1}]/url: relative URL 'lesson/start.html?x=1#top' names",
            "'lesson/start.html', which is not a file in the zip",
            "cmi5 §14.1",
        ),
    ),
    (
        "relative-url-leaving-the-package",
        _bad_zip_case(_package(_structure(_au(url="../index.html")))),
        ("/url: relative URL '../index.html' leads outside the package", "§14.1"),
    ),
    (
        "root-relative-url",
        _bad_zip_case(_package(_structure(_au(url="/index.html")))),
        ("/url: relative URL '/index.html' is not a path relative to cmi5.xml",),
    ),
    (
        "relative-url-to-a-folder",
        _bad_zip_case(_package(_structure(_au(url="lesson/")), **{"lesson/a.html": "x"})),
        ("/url: relative URL 'lesson/' names 'lesson', which is not a file in the zip",),
    ),
    (
        "scheme-relative-url",
        _bad_zip_case(_package(_structure(_au(url="//cdn.example.com/au.html")))),
        ("/url: scheme-relative URL '//cdn.example.com/au.html'",),
    ),
    (
        "ftp-url",
        _bad_xml_case(_structure(_au(url="ftp://example.com/au.html"))),
        ("/url: absolute URL 'ftp://example.com/au.html' is not http or https", "§13.1.4"),
    ),
    (
        "javascript-url",
        _bad_zip_case(_package(_structure(_au(url="javascript:alert(1)")))),
        ("/url: absolute URL 'javascript:alert(1)' is not http or https",),
    ),
    (
        "http-url-without-host",
        _bad_xml_case(_structure(_au(url="http:///au.html"))),
        ("/url: absolute URL 'http:///au.html' has no host",),
    ),
    (
        "url-with-a-space",
        _bad_xml_case(_structure(_au(url="https://exa mple.com/"))),
        ("/url: 'https://exa mple.com/' is not a valid URL",),
    ),
    (
        "url-with-a-bad-percent-escape",
        _bad_zip_case(_package(_structure(_au(url="index%zz.html")))),
        ("cmi5.xml line 5", "Element 'url'", "'index%zz.html' is not a valid value", "XSD"),
    ),
    (
        "url-with-a-bad-port",
        _bad_xml_case(_structure(_au(url="https://example.com:99999/"))),
        ("/url: 'https://example.com:99999/' is not a valid URL",),
    ),
    (
        "url-with-launch-parameter-endpoint",
        _bad_zip_case(_package(_structure(_au(url="index.html?endpoint=https://lrs.example/")))),
        ("/url: query string already uses the cmi5 launch parameter(s) endpoint", "§8.1"),
    ),
    (
        "url-with-launch-parameters-fetch-and-activity-id",
        _bad_xml_case(_structure(_au(url="https://e.com/au?activityId=1&amp;fetch=2&amp;a=3"))),
        ("launch parameter(s) fetch, activityId", "which the LMS adds at launch"),
    ),
    (
        "url-with-launch-parameters-actor-and-registration",
        _bad_xml_case(_structure(_au(url="https://e.com/au?actor=x&amp;registration="))),
        ("launch parameter(s) actor, registration",),
    ),
    # Zip safety.
    (
        "zip-slip",
        _raw_zip_case((_member("../evil.html"), b"x")),
        ("zip member '../evil.html': '..' segment leads outside the package", "zip slip"),
    ),
    (
        "zip-slip-nested",
        _raw_zip_case((_member("a/../../evil.html"), b"x")),
        ("zip member 'a/../../evil.html': '..' segment",),
    ),
    (
        "zip-slip-backslash",
        _raw_zip_case((_member("..\\evil.html"), b"x")),
        ("'..' segment leads outside the package (a backslash counts as a separator)",),
    ),
    (
        "absolute-path",
        _raw_zip_case((_member("/etc/evil.html"), b"x")),
        ("zip member '/etc/evil.html': absolute path",),
    ),
    (
        "absolute-path-backslash",
        _raw_zip_case((_member("\\\\server\\share\\evil.html"), b"x")),
        ("absolute path (a backslash counts as a separator)",),
    ),
    (
        "drive-letter",
        _raw_zip_case((_member("C:/Windows/evil.html"), b"x")),
        ("zip member 'C:/Windows/evil.html': drive letter",),
    ),
    (
        "name-longer-than-a-file-system-takes",  # found by the fuzz tests: a 500 at extraction
        _raw_zip_case((_member("a" * 256 + ".html"), b"x")),
        ("is longer than 255 bytes",),
    ),
    (
        "path-longer-than-kept",
        _raw_zip_case((_member("/".join(["d" * 200] * 6) + "/x.html"), b"x")),
        ("its path is longer than 1024 bytes",),
    ),
    (
        "symlink-member",
        _raw_zip_case((_member("link.html", mode=stat.S_IFLNK | 0o777), b"/etc/passwd")),
        ("zip member 'link.html': symbolic link",),
    ),
    (
        "fifo-member",
        _raw_zip_case((_member("pipe", mode=stat.S_IFIFO | 0o644), b"")),
        ("zip member 'pipe': special file",),
    ),
    (
        "encrypted-member",
        _encrypted_member_zip,
        ("zip member 'secret.html': encrypted",),
    ),
    (
        "same-file-twice",
        _raw_zip_case((_member("./index.html"), b"y")),
        ("zip member './index.html': same file as 'index.html'",),
    ),
    (
        "zip-bomb",
        # 2 MiB of zeros deflate to about 2 KiB: far over 200:1 for a member over 1 MiB.
        _raw_zip_case((_member("zeros.bin"), bytes(2 * 1024**2))),
        ("zip member 'zeros.bin': compression ratio", "over 200:1", "zip bomb"),
    ),
]


@pytest.mark.parametrize(
    ("build", "fragments"),
    [pytest.param(build, fragments, id=case) for case, build, fragments in BAD_PACKAGES],
)
def test_bad_packages_are_refused_naming_element_and_rule(build, fragments, tmp_path):
    data = build()
    path = _write(tmp_path, data, "upload.bin")  # detected by content, not by name
    _one_error_with(_refusal(path), *fragments)
    _one_error_with(_refusal(io.BytesIO(data)), *fragments)

    # extract_to checks again: a package read when valid, whose file is then replaced by the
    # bad one, is refused at extraction and writes nothing.
    good = _write(tmp_path, _zip_bytes(_package(_structure(_au()))), "swapped.zip")
    package = read_package(good)
    good.write_bytes(data)
    target = tmp_path / "extracted"
    with pytest.raises(PackageError):
        package.extract_to(target)
    assert _files_under(target) == []


def test_every_xsd_error_is_reported_with_its_line(tmp_path):
    structure = _structure(
        _au("https://e.com/1", "https://e.com/", attrs='moveOn="Never"'),
        _au("https://e.com/2", "https://e.com/", attrs='masteryScore="2"'),
        _au("https://e.com/3", "https://e.com/", attrs='launchMethod="Tab"'),
    )
    errors = _refusal(_write(tmp_path, structure.encode(), "cmi5.xml"))
    assert len(errors) == 3
    _one_error_with(errors, "line 5", "moveOn")
    _one_error_with(errors, "line 6", "masteryScore")
    _one_error_with(errors, "line 7", "launchMethod")


def test_every_rule_breach_is_reported_at_once(tmp_path):
    structure = _structure(
        _au("au-1", "a.html"),
        _au("au-1", "ftp://e.com/x", objectives='<objective idref="https://e.com/o"/>'),
    )
    errors = _refusal(_write(tmp_path, structure.encode(), "cmi5.xml"))
    assert len(errors) == 6  # two bad ids, one duplicate, two bad URLs, one dangling idref
    error = str(PackageError(errors))
    assert error.count("\n") == 5


def test_zip_limits_are_enforced(tmp_path):
    data = _zip_bytes(_package(_structure(_au()), **{f"f{n}.html": "x" * 100 for n in range(5)}))
    path = _write(tmp_path, data)
    _one_error_with(_refusal(path, max_files=6), "package: 7 zip members, more than the 6 allowed")
    _one_error_with(_refusal(path, max_total_bytes=500), "bytes uncompressed, more than the 500")
    package = read_package(path, max_files=7, max_total_bytes=1500)
    assert len(package.files()) == 7

    # The limits hold again at extraction: a zip grown past them is refused, nothing written.
    path.write_bytes(_zip_bytes(_package(_structure(_au()), big="x" * 2000)))
    target = tmp_path / "out"
    with pytest.raises(PackageError, match="more than the 1500 allowed"):
        package.extract_to(target)
    assert not target.exists()


# -- what is accepted --------------------------------------------------------------------------


def test_relative_urls_ignore_query_and_fragment_and_decode_escapes(tmp_path):
    structure = _structure(
        _au("https://e.com/1", "index.html?page=2&amp;mode=review#top"),
        _au("https://e.com/2", "./lessons/my%20lesson.html"),
        _au("https://e.com/3", "https://cdn.example.com/au?lang=en"),
    )
    files = _package(structure, **{"lessons/my lesson.html": "x"})
    package = read_package(_write(tmp_path, _zip_bytes(files)))
    assert [au.url for au, _ in assignable_units(package.structure)] == [
        "index.html?page=2&mode=review#top",
        "./lessons/my%20lesson.html",
        "https://cdn.example.com/au?lang=en",
    ]


def test_files_are_normalised_and_folders_left_out(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cmi5.xml", _structure(_au(url="lesson/a.html")))
        archive.writestr("lesson/", "")
        archive.writestr("lesson\\a.html", "A")  # written by a Windows tool
    package = read_package(_write(tmp_path, buffer.getvalue()))
    assert package.files() == ["cmi5.xml", "lesson/a.html"]
    with package.open("lesson/a.html") as member:
        assert member.read() == b"A"
    with pytest.raises(KeyError):
        package.open("missing.html")
    target = tmp_path / "out"
    package.extract_to(target)
    assert (target / "lesson" / "a.html").read_bytes() == b"A"


def test_bare_structure_is_detected_by_content(tmp_path):
    xml = ("\ufeff" + _structure(_au(url="https://e.com/au"))).encode()  # with a UTF-8 BOM
    package = read_package(_write(tmp_path, xml, "course.zip"))
    assert not package.is_zip
    assert package.files() == []
    with pytest.raises(KeyError):
        package.open("cmi5.xml")
    target = tmp_path / "out"
    package.extract_to(target)
    assert _files_under(target) == []

    zipped = read_package(_write(tmp_path, _zip_bytes(_package(_structure(_au()))), "cmi5.xml"))
    assert zipped.is_zip


def test_langstrings_without_lang_and_extensions(tmp_path):
    structure = _structure(_au(url="https://e.com/au")).replace(
        '<title><langstring lang="en-US">Course</langstring>',
        '<title><langstring>Course</langstring><langstring lang="ro">Curs</langstring>'
        '<langstring lang="ro">Second</langstring>',
    )
    package = read_package(_write(tmp_path, structure.encode(), "cmi5.xml"))
    assert package.structure.title == {"und": "Course", "ro": "Curs"}


# -- ZIP64 (cmi5 §14) and extraction -----------------------------------------------------------


def test_zip64_package(tmp_path, monkeypatch):
    """cmi5 §14: an LMS MUST support Zip64. Members written with force_zip64 carry ZIP64 local
    headers; with zipfile's limits lowered while writing, the central directory, its ZIP64
    end record and locator are ZIP64 too, as in a package over 4 GiB."""
    path = tmp_path / "zip64.zip"
    with monkeypatch.context() as patch:
        patch.setattr(zipfile, "ZIP64_LIMIT", 16)
        patch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 1)
        with zipfile.ZipFile(
            path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
        ) as archive:
            with archive.open("cmi5.xml", "w", force_zip64=True) as member:
                member.write(_structure(_au(url="lesson/index.html")).encode())
            with archive.open("lesson/index.html", "w", force_zip64=True) as member:
                member.write(b"<html>zip64</html>")
    data = path.read_bytes()
    assert b"PK\x06\x06" in data  # ZIP64 end of central directory record
    assert b"PK\x06\x07" in data  # ZIP64 end of central directory locator
    with zipfile.ZipFile(path) as archive:
        # Every central directory record has the ZIP64 extra field (header id 0x0001).
        assert all(info.extra.startswith(b"\x01\x00") for info in archive.infolist())

    package = read_package(path)
    assert package.files() == ["cmi5.xml", "lesson/index.html"]
    with package.open("lesson/index.html") as member:
        assert member.read() == b"<html>zip64</html>"
    package.extract_to(tmp_path / "out")
    assert (tmp_path / "out" / "lesson" / "index.html").read_bytes() == b"<html>zip64</html>"


def test_extract_to_never_overwrites_and_leaves_nothing_on_failure(tmp_path):
    path = _write(tmp_path, _zip_bytes(_package(_structure(_au()), **{"a/b/c.html": "c"})))
    package = read_package(path)
    target = tmp_path / "out"
    target.mkdir()
    (target / "index.html").write_text("mine")
    with pytest.raises(PackageError, match="already exists"):
        package.extract_to(target)
    assert [p.name for p in target.iterdir()] == ["index.html"]
    assert (target / "index.html").read_text() == "mine"


def test_extract_to_refuses_a_link_planted_in_the_target(tmp_path):
    package = read_package(
        _write(tmp_path, _zip_bytes(_package(_structure(_au()), **{"a/b.html": "b"})))
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "out"
    target.mkdir()
    (target / "a").symlink_to(outside, target_is_directory=True)
    with pytest.raises(PackageError, match="outside"):
        package.extract_to(target)
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in target.iterdir()) == ["a"]


def test_a_member_corrupt_past_the_central_directory_stops_extraction_cleanly(tmp_path):
    """read_package never decompresses more than cmi5.xml; a damaged member is found while
    extracting, and what was already written is removed."""
    payload = b"A" * 4096
    data = _zip_bytes(
        {"cmi5.xml": _structure(_au()), "index.html": "<html></html>", "z.bin": payload},
        compression=zipfile.ZIP_STORED,
    )
    at = data.index(payload)
    damaged = data[:at] + b"B" + data[at + 1 :]
    package = read_package(_write(tmp_path, damaged))
    target = tmp_path / "new" / "out"
    with pytest.raises(PackageError, match="corrupt zip"):
        package.extract_to(target)
    assert not (tmp_path / "new").exists()


def test_a_changed_package_is_refused_at_extraction(tmp_path):
    path = _write(tmp_path, _zip_bytes(_package(_structure(_au()))))
    package = read_package(path)
    path.write_bytes(_zip_bytes(_package(_structure(_au()), extra="new file")))
    with pytest.raises(PackageError, match="changed since it was read"):
        package.extract_to(tmp_path / "out")
    assert not (tmp_path / "out").exists()
    # open() checks the member it reads: the same index.html still reads, a new one is refused.
    with package.open("index.html") as member:
        assert member.read() == b"<html></html>"
    path.write_bytes(_zip_bytes(_package(_structure(_au()), **{"index.html": "<html>2</html>"})))
    with pytest.raises(PackageError, match="changed since it was read"):
        package.open("index.html")


def test_a_stream_must_be_seekable():
    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

    with pytest.raises(PackageError, match="seekable"):
        read_package(Pipe())


# -- size: 1,000 AUs (cmi5 §6.1: an LMS MUST support more than 1000 AUs) ------------------------


def _thousand_aus(absolute: bool) -> tuple[str, dict[str, str]]:
    blocks, files = [], {}
    for b in range(10):
        units = []
        for n in range(b * 100, b * 100 + 100):
            url = f"https://cdn.example.com/au/{n}" if absolute else f"units/{n}/index.html?n={n}"
            units.append(
                _au(
                    f"https://example.com/au/{n}",
                    url,
                    attrs='moveOn="CompletedOrPassed" masteryScore="0.8"',
                    objectives=f'<objective idref="https://example.com/objective/{b}"/>',
                )
            )
            files[f"units/{n}/index.html"] = f"<html>{n}</html>"
        blocks.append(_block(f"https://example.com/block/{b}", *units))
    objectives = "".join(_objective(f"https://example.com/objective/{b}") for b in range(10))
    return _structure(*blocks, objectives=objectives), files


@pytest.mark.parametrize("absolute", [False, True], ids=["zip", "bare"])
def test_a_thousand_aus_import_quickly(absolute, tmp_path):
    structure, files = _thousand_aus(absolute)
    if absolute:
        path = _write(tmp_path, structure.encode(), "cmi5.xml")
    else:
        path = _write(tmp_path, _zip_bytes({"cmi5.xml": structure, **files}))
    started = time.perf_counter()
    package = read_package(path)
    units = assignable_units(package.structure)
    elapsed = time.perf_counter() - started
    assert len(units) == 1000
    assert [au.id for au, _ in units] == [f"https://example.com/au/{n}" for n in range(1000)]
    assert units[999][1][0].id == "https://example.com/block/9"
    assert units[0][0].mastery_score == Decimal("0.8")
    assert len(package.structure.objectives) == 10
    assert elapsed < 2.0, f"1,000 AUs took {elapsed:.2f} s"


# -- PackageError ------------------------------------------------------------------------------


def test_package_error_joins_pickles_and_is_bounded():
    error = PackageError(["a: one", "b: two"])
    assert str(error) == "a: one\nb: two"
    assert isinstance(error, ValueError)
    assert pickle.loads(pickle.dumps(error)).errors == ["a: one", "b: two"]  # noqa: S301
    assert PackageError("only").errors == ["only"]
    many = PackageError([f"e{n}" for n in range(500)])
    assert len(many.errors) == 51
    assert many.errors[-1] == "... and 450 more problems"


def test_a_broken_cmi5_xml_names_its_own_errors_not_an_earlier_uploads():
    """lxml's exception carries the thread's error log, which keeps every earlier parse's
    errors: the message would grow with each upload and show other people's (fuzz tests)."""
    for _ in range(3):
        with pytest.raises(PackageError) as caught:
            read_package(io.BytesIO(b"<?xml version='1.0'?><courseStructure><course>"))
        assert len(caught.value.errors) == 1, caught.value.errors
    with pytest.raises(PackageError) as caught:
        read_package(io.BytesIO(b"<?xml version='1.0'?><a></b>"))
    assert caught.value.errors == [
        "cmi5.xml line 1: not well-formed XML: Opening and ending tag mismatch: a line 1 and b"
    ]
