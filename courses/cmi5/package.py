"""Read and validate a cmi5 course package: a zip with ``cmi5.xml`` at its root, or a bare
``cmi5.xml`` (cmi5 §14). Nothing is extracted to read the course structure.

Validation, in order; each step reports every problem it finds, and a package with any problem
is refused whole (:class:`PackageError`):

1. the file is a zip or XML, told apart by content (cmi5 §14: Zip32, Zip64 or an XML file);
2. zip safety, from the central directory only: member paths (absolute, drive letters, ``..``
   segments, backslashes), symlinks and special files, encryption, member count, total
   uncompressed size, compression ratio; then ``cmi5.xml`` at the root (cmi5 §14.1);
3. ``cmi5.xml`` is well-formed XML without a DOCTYPE (no entities, no XXE) and valid against
   the course structure XSD (cmi5 §13.2), with every schema error and its line;
4. the rules the XSD cannot express: ids are absolute IRIs (cmi5 §3.0) unique across the whole
   structure (§13.1.1-13.1.4), objective references resolve (§13.1.3), AU URLs are valid,
   http(s) when absolute, relative only inside a zip and then naming one of its files (§14.1,
   §14.2), without cmi5 launch parameters in their query string (§8.1, §13.1.4).

Text values follow the XSD's value space: ``xs:anyURI`` values (ids, ``url``) are whitespace
collapsed, so a ``url`` split over lines reads as one; langstrings, ``launchParameters`` and
``entitlementKey`` are stripped (an empty one reads as absent). A langstring without ``lang``
is keyed ``und`` (BCP 47 "undetermined"); of two langstrings in one language the first wins.
"""

from __future__ import annotations

import contextlib
import functools
import os
import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from lms.api import InvalidInput

__all__ = [
    "LAUNCH_METHODS",
    "LAUNCH_PARAMETER_NAMES",
    "MOVE_ON_VALUES",
    "NAMESPACE",
    "AssignableUnit",
    "Block",
    "CourseStructure",
    "Objective",
    "Package",
    "PackageError",
    "assignable_units",
    "read_package",
]

NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
_Q = "{" + NAMESPACE + "}"

MOVE_ON_VALUES = frozenset(
    {"NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed"}
)
LAUNCH_METHODS = frozenset({"AnyWindow", "OwnWindow"})
# The query string parameters the LMS adds to an AU's URL at launch (cmi5 §8.1).
LAUNCH_PARAMETER_NAMES = ("endpoint", "fetch", "actor", "registration", "activityId")

STRUCTURE_NAME = "cmi5.xml"
# A plain xAPI ("Tin Can") package describes its activities in tincan.xml at its root.
TINCAN_NAME = "tincan.xml"
TINCAN_NS = "http://projecttincan.com/tincan.xsd"
# cmi5.xml is read into memory to be parsed; a course of 1,000 AUs is about 1 MB.
MAX_STRUCTURE_BYTES = 64 * 1024**2
# What file systems take: a name of at most 255 bytes (ext4, XFS, APFS), paths kept short.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 1024
# A member larger than this that compresses better than MAX_COMPRESSION_RATIO:1 is a zip bomb.
RATIO_CHECK_MIN_BYTES = 1024**2
MAX_COMPRESSION_RATIO = 200
# At most this many problems are listed; a hostile zip could otherwise list 20,000.
MAX_REPORTED_ERRORS = 50
_COPY_CHUNK = 1024**2
_SUPPORTED_COMPRESSION = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)

# The cmi5 course structure XSD, cmi5 §13.2 (AICC/CMI-5_Spec_Current v1/CourseStructure.xsd,
# commit a384b694, Apache-2.0). Embedded so that validation never touches the network; only
# the over-long third line of the original is wrapped. A test compares it with the published
# file (canonical XML).
_COURSE_STRUCTURE_XSD = b"""\
<xs:schema xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           targetNamespace="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
           elementFormDefault="qualified"
           id="cmi5CourseStructure">
  <xs:element name="courseStructure" type="courseType"/>
  <xs:complexType name="courseType">
    <xs:sequence>
      <xs:element name="course">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="title" type="textType"/>
            <xs:element name="description" type="textType"/>
            <xs:group ref="anyElement"/>
          </xs:sequence>
          <xs:attributeGroup ref="anyAttribute"/>
          <xs:attribute name="id" type="xs:anyURI" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="objectives" type="objectivesType" minOccurs="0"/>
      <xs:choice minOccurs="1" maxOccurs="unbounded">
        <xs:element name="au" type="auType"/>
        <xs:element name="block" type="blockType"/>
      </xs:choice>
      <xs:group ref="anyElement"/>
    </xs:sequence>
    <xs:attributeGroup ref="anyAttribute"/>
  </xs:complexType>
  <xs:complexType name="blockType">
    <xs:sequence>
      <xs:element name="title" type="textType"/>
      <xs:element name="description" type="textType"/>
      <xs:element name="objectives" type="referencesObjectivesType" minOccurs="0"/>
      <xs:choice minOccurs="1" maxOccurs="unbounded">
        <xs:element name="au" type="auType"/>
        <xs:element name="block" type="blockType"/>
      </xs:choice>
      <xs:group ref="anyElement"/>
    </xs:sequence>
    <xs:attributeGroup ref="anyAttribute"/>
    <xs:attribute name="id" type="xs:anyURI" use="required"/>
  </xs:complexType>
  <xs:complexType name="auType">
    <xs:sequence>
      <xs:element name="title" type="textType"/>
      <xs:element name="description" type="textType"/>
      <xs:element name="objectives" type="referencesObjectivesType" minOccurs="0"/>
      <xs:element name="url">
        <xs:simpleType>
          <xs:restriction base="xs:anyURI">
            <xs:minLength value="1"/>
          </xs:restriction>
        </xs:simpleType>
      </xs:element>
      <xs:element name="launchParameters" minOccurs="0"/>
      <xs:element name="entitlementKey" minOccurs="0"/>
      <xs:group ref="anyElement"/>
    </xs:sequence>
    <xs:attributeGroup ref="anyAttribute"/>
    <xs:attribute name="id" type="xs:anyURI" use="required"/>
    <xs:attribute name="moveOn" default="NotApplicable">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="NotApplicable"/>
          <xs:enumeration value="Passed"/>
          <xs:enumeration value="Completed"/>
          <xs:enumeration value="CompletedAndPassed"/>
          <xs:enumeration value="CompletedOrPassed"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
    <xs:attribute name="masteryScore" use="optional">
      <xs:simpleType>
        <xs:restriction base="xs:decimal">
          <xs:minInclusive value="0"/>
          <xs:maxInclusive value="1"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
    <xs:attribute name="launchMethod" default="AnyWindow">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="AnyWindow"/>
          <xs:enumeration value="OwnWindow"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
    <xs:attribute name="activityType" use="optional" type="xs:string"/>
  </xs:complexType>
  <xs:complexType name="objectivesType">
    <xs:sequence>
      <xs:element name="objective" minOccurs="1" maxOccurs="unbounded">
        <xs:complexType>
          <xs:all>
            <xs:element name="title" type="textType"/>
            <xs:element name="description" type="textType"/>
          </xs:all>
          <xs:attribute name="id" type="xs:anyURI" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:group ref="anyElement"/>
    </xs:sequence>
    <xs:attributeGroup ref="anyAttribute"/>
  </xs:complexType>
  <xs:complexType name="referencesObjectivesType">
    <xs:sequence>
      <xs:element name="objective" maxOccurs="unbounded">
        <xs:complexType>
          <xs:attribute name="idref" type="xs:anyURI"></xs:attribute>
        </xs:complexType>
      </xs:element>
      <xs:group ref="anyElement"/>
    </xs:sequence>
    <xs:attributeGroup ref="anyAttribute"/>
  </xs:complexType>
  <xs:complexType name="textType">
    <xs:sequence>
      <xs:element name="langstring" maxOccurs="unbounded" minOccurs="1">
        <xs:complexType>
          <xs:simpleContent>
            <xs:extension base="xs:string">
              <xs:attribute name="lang" type="xs:language"/>
              <xs:attributeGroup ref="anyAttribute"/>
            </xs:extension>
          </xs:simpleContent>
        </xs:complexType>
      </xs:element>
      <xs:group ref="anyElement"/>
    </xs:sequence>
    <xs:attributeGroup ref="anyAttribute"/>
  </xs:complexType>
  <xs:simpleType name="baseLanguagesType">
    <xs:list itemType="xs:language"></xs:list>
  </xs:simpleType>
  <xs:complexType name="languagesType">
    <xs:simpleContent>
      <xs:extension base="baseLanguagesType">
        <xs:attributeGroup ref="anyAttribute"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>

  <xs:group name="anyElement">
    <xs:sequence>
      <xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:group>
  <xs:attributeGroup name="anyAttribute">
    <xs:anyAttribute namespace="##other" processContents="lax"/>
  </xs:attributeGroup>
</xs:schema>
"""


class PackageError(InvalidInput, ValueError):
    """The package is refused whole. ``errors`` lists every reason, each naming the element or
    file and the rule, e.g. "au[id=https://x/au1]/url: relative URL 'a.html' needs a zip
    package (cmi5 §14.2, cmi5.xml line 14)". ``str()`` joins them, one a line."""

    errors: list[str]
    default_field = "package"

    def __init__(self, errors: str | Iterable[str]) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        if len(self.errors) > MAX_REPORTED_ERRORS:
            more = len(self.errors) - MAX_REPORTED_ERRORS
            self.errors = [*self.errors[:MAX_REPORTED_ERRORS], f"... and {more} more problems"]
        super().__init__("\n".join(self.errors))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))

    @property
    def messages(self) -> list[str]:
        return self.errors


# -- the course structure (cmi5 §13.1) ------------------------------------------------------


@dataclass(frozen=True)
class Objective:
    """cmi5 §13.1.3. ``title`` and ``description`` are language maps."""

    id: str
    title: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class AssignableUnit:
    """cmi5 §13.1.4. ``url`` as written in cmi5.xml (whitespace collapsed): relative to the
    package root, or absolute. ``objectives`` are idrefs into ``CourseStructure.objectives``."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    url: str
    launch_method: str
    move_on: str
    mastery_score: Decimal | None
    launch_parameters: str | None
    entitlement_key: str | None
    activity_type: str | None
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """cmi5 §13.1.2: a group of AUs and blocks, in course order."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    children: tuple[Block | AssignableUnit, ...]
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class CourseStructure:
    """cmi5 §13.1.1: the course, its objectives (by id, in document order) and its AUs and
    blocks in course order."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    children: tuple[Block | AssignableUnit, ...]
    objectives: dict[str, Objective]


def assignable_units(
    structure: CourseStructure,
) -> list[tuple[AssignableUnit, tuple[Block, ...]]]:
    """Every AU, depth-first in course order, with the blocks above it (outermost first)."""
    found: list[tuple[AssignableUnit, tuple[Block, ...]]] = []
    stack: list[tuple[Iterator[Block | AssignableUnit], tuple[Block, ...]]] = [
        (iter(structure.children), ())
    ]
    while stack:
        children, above = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
        elif isinstance(child, Block):
            stack.append((iter(child.children), (*above, child)))
        else:
            found.append((child, above))
    return found


# -- the package -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Limits:
    max_total_bytes: int
    max_files: int


class Package:
    """A validated cmi5 package. The source is read again for :meth:`open` and
    :meth:`extract_to` (nothing is held open between calls): a path must stay in place, a
    stream must stay open; a zip that changed since it was read is refused."""

    structure: CourseStructure
    is_zip: bool
    #: "cmi5", or "xapi" for a package described by a tincan.xml (no cmi5.xml).
    kind: str = "cmi5"

    def __init__(
        self,
        structure: CourseStructure,
        *,
        source: Path | IO[bytes] | None,
        members: dict[str, zipfile.ZipInfo],
        limits: _Limits,
    ) -> None:
        self.structure = structure
        self.is_zip = source is not None
        self._source = source
        self._members = members
        self._limits = limits

    def __repr__(self) -> str:
        kind = "zip" if self.is_zip else "cmi5.xml"
        return f"<Package {kind} {self.structure.id} files={len(self._members)}>"

    def files(self) -> list[str]:
        """Member names in the zip, normalised ('/'-separated, no '.' segments), without
        directories; [] for a bare cmi5.xml."""
        return list(self._members)

    def open(self, name: str) -> IO[bytes]:
        """Read one member (a name from :meth:`files`). Close it when done."""
        info = self._members.get(_normalise(name))
        if info is None or self._source is None:
            raise KeyError(name)
        archive = self._open_zip()
        try:
            current = _current_info(archive, info)
            return archive.open(current)
        except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
            raise PackageError(f"package: corrupt zip, cannot read {name!r} ({exc})") from exc
        finally:
            archive.close()  # the member, if opened, keeps the file open until it is closed

    def extract_to(self, directory: Path) -> None:
        """Write every file of the zip under ``directory`` (created if missing). The zip is
        checked again first (limits, paths, links, and that it has not changed); a refused
        package or a failure half-way leaves nothing behind. Existing files are never
        overwritten. A bare cmi5.xml has no files: nothing is written."""
        if self._source is None:
            return
        with self._open_zip() as archive:
            members, errors = _check_members(archive.infolist(), self._limits)
            if not errors and _snapshot(members) != _snapshot(self._members):
                errors = ["package: the zip changed since it was read; read it again"]
            if errors:
                raise PackageError(errors)
            _extract(archive, members, Path(directory), self._limits)

    def _open_zip(self) -> zipfile.ZipFile:
        if self._source is None:
            raise KeyError(STRUCTURE_NAME)  # a bare cmi5.xml has no zip to open
        try:
            return zipfile.ZipFile(self._source)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise PackageError(f"package: not a readable zip file any more ({exc})") from exc


def read_package(
    source: Path | IO[bytes],
    *,
    max_total_bytes: int = 2 * 1024**3,
    max_files: int = 20_000,
) -> Package:
    """Read and validate a cmi5 package: a zip with cmi5.xml at its root, or a bare cmi5.xml,
    from a path or a seekable binary stream (read from its start). Raises PackageError with
    every problem found."""
    limits = _Limits(max_total_bytes=max_total_bytes, max_files=max_files)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        with path.open("rb") as stream:
            return _read(stream, path, limits)
    if not source.seekable():
        raise PackageError("package: the stream must be seekable (a zip is read from its end)")
    return _read(source, source, limits)


def _read(stream: IO[bytes], source: Path | IO[bytes], limits: _Limits) -> Package:
    stream.seek(0)
    head = stream.read(1024)
    stream.seek(0)
    if head.startswith(b"PK") or (not _looks_like_xml(head) and zipfile.is_zipfile(stream)):
        stream.seek(0)
        members, data, kind = _read_zip(stream, limits)
        if kind == "xapi":
            structure = _parse_tincan(data, members=frozenset(members))
        else:
            structure = _parse_structure(data, members=frozenset(members))
        package = Package(structure, source=source, members=members, limits=limits)
        package.kind = kind
        return package
    if not _looks_like_xml(head):
        raise PackageError(
            "package: neither a zip nor an XML file; a cmi5 package is a zip with cmi5.xml at "
            "its root, or a cmi5.xml (cmi5 §14)"
        )
    data = stream.read(MAX_STRUCTURE_BYTES + 1)
    if len(data) > MAX_STRUCTURE_BYTES:
        raise PackageError(f"cmi5.xml: larger than {MAX_STRUCTURE_BYTES} bytes")
    structure = _parse_structure(data, members=None)
    return Package(structure, source=None, members={}, limits=limits)


def _looks_like_xml(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 byte order marks
        return True
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _read_zip(stream: IO[bytes], limits: _Limits) -> tuple[dict[str, zipfile.ZipInfo], bytes, str]:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise PackageError(f"package: corrupt zip file ({exc}) (cmi5 §14.1)") from exc
    with archive:
        members, errors = _check_members(archive.infolist(), limits)
        if errors:
            raise PackageError(errors)
        info = members.get(STRUCTURE_NAME)
        kind = "cmi5"
        if info is None and TINCAN_NAME in members:
            info, kind = members[TINCAN_NAME], "xapi"
        if info is None:
            elsewhere = [n for n in members if posixpath.basename(n).lower() == STRUCTURE_NAME]
            hint = f"; found {', '.join(map(repr, elsewhere))}" if elsewhere else ""
            raise PackageError(
                f"package: no cmi5.xml at the root of the zip{hint} (cmi5 §14.1, §13.2)"
            )
        if info.file_size > MAX_STRUCTURE_BYTES:
            raise PackageError(f"cmi5.xml: larger than {MAX_STRUCTURE_BYTES} bytes")
        try:
            with archive.open(info) as member:
                data = member.read(MAX_STRUCTURE_BYTES + 1)
        except (zipfile.BadZipFile, EOFError, zlib.error, OSError, NotImplementedError) as exc:
            raise PackageError(f"cmi5.xml: corrupt zip member ({exc}) (cmi5 §14.1)") from exc
    return members, data, kind


# -- zip safety ------------------------------------------------------------------------------

_DRIVE = re.compile(r"^[A-Za-z]:")


def _normalise(name: str) -> str:
    parts = name.replace("\\", "/").split("/")
    return "/".join(part for part in parts if part not in ("", "."))


def _check_members(
    infos: list[zipfile.ZipInfo], limits: _Limits
) -> tuple[dict[str, zipfile.ZipInfo], list[str]]:
    """The files of a zip by normalised name, and every safety problem (from the central
    directory only: sizes are the declared ones, and extraction holds members to them)."""
    errors: list[str] = []
    if len(infos) > limits.max_files:
        return {}, [f"package: {len(infos)} zip members, more than the {limits.max_files} allowed"]
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        errors.append(
            f"package: {total} bytes uncompressed, more than the {limits.max_total_bytes} allowed"
        )
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        errors.extend(_member_problems(info))
        if info.is_dir() or info.filename.replace("\\", "/").endswith("/"):
            continue
        name = _normalise(info.filename)
        if not name:
            errors.append(f"zip member {info.filename!r}: empty file name")
        elif name in members:
            errors.append(f"zip member {info.filename!r}: same file as {members[name].filename!r}")
        else:
            members[name] = info
    return members, errors


def _member_problems(info: zipfile.ZipInfo) -> list[str]:
    raw = info.filename
    where = f"zip member {raw!r}"
    unified = raw.replace("\\", "/")
    via = " (a backslash counts as a separator)" if "\\" in raw else ""
    problems: list[str] = []
    if unified.startswith("/"):
        problems.append(f"{where}: absolute path{via} (zip slip)")
    elif _DRIVE.match(unified):
        problems.append(f"{where}: drive letter in path (zip slip)")
    elif ".." in unified.split("/"):
        problems.append(f"{where}: '..' segment leads outside the package{via} (zip slip)")
    if any(len(part.encode()) > MAX_NAME_BYTES for part in unified.split("/")):
        problems.append(f"{where}: a name in its path is longer than {MAX_NAME_BYTES} bytes")
    elif len(unified.encode()) > MAX_PATH_BYTES:
        problems.append(f"{where}: its path is longer than {MAX_PATH_BYTES} bytes")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        problems.append(f"{where}: symbolic link; a package holds only files and folders")
    elif stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        problems.append(f"{where}: special file; a package holds only files and folders")
    if info.flag_bits & 0x1:
        problems.append(f"{where}: encrypted; encrypted packages cannot be read")
    if info.compress_type not in _SUPPORTED_COMPRESSION:
        problems.append(f"{where}: unsupported compression method {info.compress_type}")
    compressed = max(info.compress_size, 1)
    if (
        info.file_size > RATIO_CHECK_MIN_BYTES
        and info.file_size > MAX_COMPRESSION_RATIO * compressed
    ):
        problems.append(
            f"{where}: compression ratio {info.file_size // compressed}:1 is over "
            f"{MAX_COMPRESSION_RATIO}:1 for {info.file_size} bytes (zip bomb)"
        )
    return problems


def _snapshot(members: dict[str, zipfile.ZipInfo]) -> dict[str, tuple[int, int, int]]:
    return {name: (i.file_size, i.compress_size, i.CRC) for name, i in members.items()}


def _current_info(archive: zipfile.ZipFile, known: zipfile.ZipInfo) -> zipfile.ZipInfo:
    try:
        current = archive.getinfo(known.filename)
    except KeyError:
        current = None
    if current is None or _snapshot({"": current}) != _snapshot({"": known}):
        raise PackageError("package: the zip changed since it was read; read it again")
    return current


def _extract(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    directory: Path,
    limits: _Limits,
) -> None:
    created: list[Path] = []
    missing = []
    folder = directory
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        created.append(path)
    root = directory.resolve()
    written = 0
    try:
        for name, info in members.items():
            target = root.joinpath(*name.split("/"))
            _make_folders(target.parent, root, created)
            if not target.parent.resolve().is_relative_to(root):
                raise PackageError(f"zip member {name!r}: would be written outside {directory}")
            try:
                sink = target.open("xb")  # never follows or replaces an existing file or link
            except FileExistsError as exc:
                raise PackageError(f"zip member {name!r}: {target} already exists") from exc
            created.append(target)
            with sink, archive.open(info) as member:
                size = 0
                while chunk := member.read(_COPY_CHUNK):
                    size += len(chunk)
                    written += len(chunk)
                    if size > info.file_size or written > limits.max_total_bytes:
                        raise PackageError(
                            f"zip member {name!r}: more data than its declared "
                            f"{info.file_size} bytes (zip bomb)"
                        )
                    sink.write(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as exc:
        _remove(created)
        raise PackageError(f"package: corrupt zip, extraction stopped ({exc})") from exc
    except OSError as exc:  # a name the file system refuses, say (found by the fuzz tests)
        _remove(created)
        raise PackageError(
            f"package: a file could not be written ({exc.strerror}); extraction stopped"
        ) from exc
    except BaseException:
        _remove(created)
        raise


def _make_folders(folder: Path, root: Path, created: list[Path]) -> None:
    missing: list[Path] = []
    while folder != root and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        created.append(path)


def _remove(created: list[Path]) -> None:
    for path in reversed(created):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()


# -- cmi5.xml --------------------------------------------------------------------------------


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(_COURSE_STRUCTURE_XSD, _xml_parser()))


def _xml_parser() -> etree.XMLParser:
    # No DTD, no entity expansion, no network: nothing in cmi5.xml can reach a file or a URL.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _parse_structure(data: bytes, *, members: frozenset[str] | None) -> CourseStructure:
    """Parse and validate cmi5.xml; ``members`` are the zip's files, None for a bare file."""
    parser = _xml_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        # The parser's own log: the exception's is the thread's, and holds the errors of every
        # file parsed before in this process (another upload's, found by the fuzz tests).
        errors = [
            f"cmi5.xml line {entry.line}: not well-formed XML: {entry.message}"
            for entry in parser.error_log
        ] or [f"cmi5.xml: not well-formed XML: {exc}"]
        raise PackageError(errors) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise PackageError(
            "cmi5.xml: a DOCTYPE is not allowed (entities could read files or expand without "
            "bound); cmi5.xml is checked against the XSD only (cmi5 §13.2)"
        )
    schema = _schema()
    if not schema.validate(root):
        raise PackageError(
            f"cmi5.xml line {entry.line}: {entry.message.replace(_Q, '')} (XSD, cmi5 §13.2)"
            for entry in schema.error_log
        )
    return _StructureReader(members).read(root)


_IRI_BAD = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`]")
_URL_BAD = re.compile(r"[\s\x00-\x1f\x7f<>\"\\]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _collapse(value: str | None) -> str:
    """The xs:anyURI / xs:token whitespace rule: trim, and runs of whitespace become one."""
    return " ".join((value or "").split())


def _iri_problem(value: str) -> str | None:
    match = _SCHEME.match(value)
    problem = None
    if not value:
        problem = "is empty"
    elif _IRI_BAD.search(value):
        problem = 'contains a space, a control character or one of <>"{}|\\^`'
    elif not match or len(value) == match.end():
        problem = "has no scheme (it is a relative reference)"
    elif _BAD_PERCENT.search(value):
        problem = "has a '%' that does not start a percent-escape"
    else:
        try:
            parts = urlsplit(value)
            if parts.scheme.lower() in ("http", "https") and not parts.hostname:
                problem = "has no host"
        except ValueError as exc:
            problem = f"is malformed ({exc})"
    return problem


class _StructureReader:
    """Walks a schema-valid courseStructure, building the dataclasses and collecting every
    problem the XSD cannot see."""

    def __init__(self, members: frozenset[str] | None) -> None:
        self.members = members
        self.errors: list[str] = []
        self.ids: dict[str, tuple[str, int]] = {}
        self.objective_ids: set[str] = set()

    def error(self, where: str, message: str, section: str, element: Any) -> None:
        line = element.sourceline
        self.errors.append(f"{where}: {message} (cmi5 §{section}, cmi5.xml line {line})")

    def read(self, root: Any) -> CourseStructure:
        course = root.find(_Q + "course")
        course_id = self.identifier("course", course, "13.1.1")
        objectives: dict[str, Objective] = {}
        declared = root.find(_Q + "objectives")
        if declared is not None:
            for element in declared.iterfind(_Q + "objective"):
                objective_id = self.identifier("objective", element, "13.1.3")
                self.objective_ids.add(objective_id)
                objectives.setdefault(
                    objective_id,
                    Objective(
                        id=objective_id,
                        title=_language_map(element.find(_Q + "title")),
                        description=_language_map(element.find(_Q + "description")),
                    ),
                )
        structure = CourseStructure(
            id=course_id,
            title=_language_map(course.find(_Q + "title")),
            description=_language_map(course.find(_Q + "description")),
            children=self.children(root),
            objectives=objectives,
        )
        if self.errors:
            raise PackageError(self.errors)
        return structure

    def identifier(self, kind: str, element: Any, section: str) -> str:
        value = _collapse(element.get("id"))
        where = f"{kind}[id={value}]"
        problem = _iri_problem(value)
        if problem:
            self.error(
                where, f"id {problem}; an id is an absolute IRI", "3.0, §" + section, element
            )
        earlier = self.ids.get(value)
        if earlier is not None:
            self.error(
                where,
                f"id already used by the {earlier[0]} on line {earlier[1]}; ids are unique "
                "across the course structure",
                section,
                element,
            )
        else:
            self.ids[value] = (kind, element.sourceline)
        return value

    def children(self, parent: Any) -> tuple[Block | AssignableUnit, ...]:
        found: list[Block | AssignableUnit] = []
        for element in parent:
            if element.tag == _Q + "au":
                found.append(self.assignable_unit(element))
            elif element.tag == _Q + "block":
                found.append(self.block(element))
        return tuple(found)

    def block(self, element: Any) -> Block:
        block_id = self.identifier("block", element, "13.1.2")
        return Block(
            id=block_id,
            title=_language_map(element.find(_Q + "title")),
            description=_language_map(element.find(_Q + "description")),
            objectives=self.references(f"block[id={block_id}]", element, "13.1.2"),
            children=self.children(element),
        )

    def references(self, where: str, element: Any, section: str) -> tuple[str, ...]:
        container = element.find(_Q + "objectives")
        if container is None:
            return ()
        idrefs: list[str] = []
        for reference in container.iterfind(_Q + "objective"):
            idref = _collapse(reference.get("idref"))
            if not idref:
                self.error(
                    f"{where}/objectives/objective",
                    "reference without an idref",
                    section,
                    reference,
                )
            elif idref not in self.objective_ids:
                self.error(
                    f"{where}/objectives/objective[idref={idref}]",
                    "idref names no objective declared in courseStructure/objectives",
                    "13.1.3",
                    reference,
                )
            elif idref not in idrefs:
                idrefs.append(idref)
        return tuple(idrefs)

    def assignable_unit(self, element: Any) -> AssignableUnit:
        au_id = self.identifier("au", element, "13.1.4")
        where = f"au[id={au_id}]"
        url_element = element.find(_Q + "url")
        url = _collapse(url_element.text)
        for message, section in self.url_problems(url):
            self.error(f"{where}/url", message, section, url_element)
        move_on = element.get("moveOn", "NotApplicable")
        if move_on not in MOVE_ON_VALUES:  # the XSD says so too
            self.error(
                where, f"moveOn {move_on!r} is not one of the cmi5 values", "13.1.4", element
            )
        launch_method = element.get("launchMethod", "AnyWindow")
        if launch_method not in LAUNCH_METHODS:
            self.error(
                where,
                f"launchMethod {launch_method!r} is not one of the cmi5 values",
                "13.1.4",
                element,
            )
        return AssignableUnit(
            id=au_id,
            title=_language_map(element.find(_Q + "title")),
            description=_language_map(element.find(_Q + "description")),
            url=url,
            launch_method=launch_method,
            move_on=move_on,
            mastery_score=self.mastery_score(where, element),
            launch_parameters=_text(element.find(_Q + "launchParameters")),
            entitlement_key=_text(element.find(_Q + "entitlementKey")),
            activity_type=(element.get("activityType") or "").strip() or None,
            objectives=self.references(where, element, "13.1.4"),
        )

    def mastery_score(self, where: str, element: Any) -> Decimal | None:
        raw = element.get("masteryScore")
        if raw is None:
            return None
        try:
            score = Decimal(raw.strip())
        except InvalidOperation:
            score = None
        if score is None or not score.is_finite() or not 0 <= score <= 1:
            self.error(where, f"masteryScore {raw!r} is not a decimal in [0, 1]", "13.1.4", element)
            return None
        return score

    def url_problems(self, url: str) -> Iterator[tuple[str, str]]:
        if not url:
            yield "empty URL", "13.1.4"
            return
        if _URL_BAD.search(url) or _BAD_PERCENT.search(url):
            yield (
                (
                    f'{url!r} is not a valid URL (a space, a control character, one of <>"\\ '
                    "or a '%' that starts no escape)"
                ),
                "13.1.4",
            )
            return
        try:
            parts = urlsplit(url)
            _ = parts.port  # raises on a port that is not a number in range
        except ValueError as exc:
            yield f"{url!r} is not a valid URL ({exc})", "13.1.4"
            return
        if parts.scheme:
            if parts.scheme.lower() not in ("http", "https"):
                yield f"absolute URL {url!r} is not http or https", "13.1.4"
            elif not parts.hostname:
                yield f"absolute URL {url!r} has no host", "13.1.4"
        elif parts.netloc:
            yield (
                (
                    f"scheme-relative URL {url!r}: write an absolute http(s) URL, or a path "
                    "relative to cmi5.xml"
                ),
                "13.1.4, §14.1",
            )
        elif self.members is None:
            yield (
                (
                    f"relative URL {url!r} needs a zip package; a cmi5.xml on its own needs "
                    "absolute URLs"
                ),
                "14.2",
            )
        else:
            yield from self.member_problems(url, unquote(parts.path))
        names = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
        clashes = [name for name in LAUNCH_PARAMETER_NAMES if name in names]
        if clashes:
            yield (
                (
                    f"query string already uses the cmi5 launch parameter(s) {', '.join(clashes)}, "
                    "which the LMS adds at launch"
                ),
                "8.1, §13.1.4",
            )

    def member_problems(self, url: str, path: str) -> Iterator[tuple[str, str]]:
        members = self.members or frozenset()
        if not path or path.startswith("/"):
            yield f"relative URL {url!r} is not a path relative to cmi5.xml", "14.1"
            return
        target = posixpath.normpath(path)
        if target == ".." or target.startswith("../"):
            yield f"relative URL {url!r} leads outside the package", "14.1"
        elif target not in members:
            yield (
                f"relative URL {url!r} names {target!r}, which is not a file in the zip",
                "14.1",
            )


def _language_map(element: Any) -> dict[str, str]:
    """A textType element (cmi5 §13.1: langstrings) as a language map."""
    values: dict[str, str] = {}
    if element is None:
        return values
    for langstring in element.iterfind(_Q + "langstring"):
        language = (langstring.get("lang") or "").strip() or "und"
        values.setdefault(language, (langstring.text or "").strip())
    return values


def _text(element: Any) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip() or None


def _parse_tincan(data: bytes, *, members: frozenset[str]) -> CourseStructure:
    """A tincan.xml package as a one-unit course: its launchable activity is the unit, which
    completes on "completed" or "passed" for that activity. Same XML safety as cmi5.xml."""
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"tincan.xml: not well-formed XML ({exc})") from exc
    ns = {"t": TINCAN_NS}
    launchable = root.xpath("//t:activity[t:launch]", namespaces=ns)
    if not launchable:
        raise PackageError("tincan.xml: no activity has a <launch> element")
    activity = launchable[0]
    activity_id = _collapse(activity.get("id"))
    errors = []
    if not activity_id or (problem := _iri_problem(activity_id)):
        errors.append(f"tincan.xml activity/@id: {problem if activity_id else 'missing'}")
    launch = _collapse(activity.xpath("string(t:launch)", namespaces=ns))
    target = posixpath.normpath(launch.split("?")[0].split("#")[0]) if launch else ""
    if not launch or urlsplit(launch).scheme:
        errors.append("tincan.xml activity/launch: a relative URL of a file in the package")
    elif target not in members:
        errors.append(f"tincan.xml activity/launch: {launch!r} is not a file in the package")
    if errors:
        raise PackageError(errors)

    def texts(tag: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for element in activity.xpath(f"t:{tag}", namespaces=ns):
            text = " ".join((element.text or "").split())
            if text:
                found.setdefault(element.get("lang") or "und", text)
        return found

    title = texts("name") or {"und": activity_id}
    unit = AssignableUnit(
        id=activity_id,
        title=title,
        description=texts("description"),
        url=launch,
        launch_method="AnyWindow",
        move_on="CompletedOrPassed",
        mastery_score=None,
        launch_parameters=None,
        entitlement_key=None,
        activity_type=activity.get("type"),
        objectives=(),
    )
    return CourseStructure(
        id=activity_id,
        title=title,
        description=texts("description"),
        children=(unit,),
        objectives={},
    )
