"""Zip safety (cmi5 §14), from the central directory only: member paths (absolute, drive
letters, ``..`` segments, backslashes), symlinks and special files, encryption, member count,
total uncompressed size, compression ratio; ``cmi5.xml`` (or ``tincan.xml``) at the root; and
extraction that leaves nothing behind when it fails."""

from __future__ import annotations

import contextlib
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from courses.cmi5.structure import STRUCTURE_NAME, TINCAN_NAME, PackageError

# cmi5.xml is read into memory to be parsed; a course of 1,000 AUs is about 1 MB.
MAX_STRUCTURE_BYTES = 64 * 1024**2
# What file systems take: a name of at most 255 bytes (ext4, XFS, APFS), paths kept short.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 1024
# A member larger than this that compresses better than MAX_COMPRESSION_RATIO:1 is a zip bomb.
RATIO_CHECK_MIN_BYTES = 1024**2
MAX_COMPRESSION_RATIO = 200

_COPY_CHUNK = 1024**2
_SUPPORTED_COMPRESSION = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


@dataclass(frozen=True)
class _Limits:
    max_total_bytes: int
    max_files: int


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
