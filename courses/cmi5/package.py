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

This module is the door: ``read_package`` and ``Package``. Step 2 is ``archive.py``, step 3
``schema.py`` and ``course_xml.py`` (with step 4), a tincan.xml ``tincan.py``; what is read,
and ``PackageError``, ``structure.py``.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path
from typing import IO

from courses.cmi5.archive import (
    MAX_STRUCTURE_BYTES,
    _check_members,
    _current_info,
    _extract,
    _Limits,
    _normalise,
    _read_zip,
    _snapshot,
)
from courses.cmi5.course_xml import _parse_structure
from courses.cmi5.structure import (
    LAUNCH_METHODS,
    LAUNCH_PARAMETER_NAMES,
    MOVE_ON_VALUES,
    NAMESPACE,
    STRUCTURE_NAME,
    AssignableUnit,
    Block,
    CourseStructure,
    Objective,
    PackageError,
    assignable_units,
)
from courses.cmi5.tincan import _parse_tincan

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
