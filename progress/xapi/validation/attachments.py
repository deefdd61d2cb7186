"""Attachments (Data §2.4.11, §2.6)."""

from __future__ import annotations

from typing import Final

from progress.xapi.validation.errors import _MISSING, _fail
from progress.xapi.validation.scalars import (
    _MEDIA_TYPE_RE,
    _SHA2_RE,
    _unknown_key,
    validate_iri,
    validate_language_map,
)

_ATTACHMENT_KEYS: Final = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)
_ATTACHMENT_REQUIRED: Final = ("usageType", "display", "contentType", "length", "sha2")

SIGNATURE_USAGE_TYPE: Final = "http://adlnet.gov/expapi/attachments/signature"


def _attachments(value: object, path: str) -> None:
    if not isinstance(value, list):
        _fail(path, "must be an array of Attachment objects")
    for index, attachment in enumerate(value):
        _attachment(attachment, f"{path}[{index}]")


def _attachment(value: object, path: str) -> None:
    """Data §2.4.11.s2: usageType, display, contentType, length and sha2 are required."""
    if not isinstance(value, dict):
        _fail(path, "must be an Attachment object")
    if not _ATTACHMENT_KEYS.issuperset(value):
        _unknown_key(value, _ATTACHMENT_KEYS, path, "an Attachment")
    for key in _ATTACHMENT_REQUIRED:
        if key not in value:
            _fail(f"{path}.{key}", "is required")
    validate_iri(value["usageType"], f"{path}.usageType")
    validate_language_map(value["display"], f"{path}.display")
    description = value.get("description", _MISSING)
    if description is not _MISSING:
        validate_language_map(description, f"{path}.description")
    content_type = value["contentType"]
    if not isinstance(content_type, str) or _MEDIA_TYPE_RE.fullmatch(content_type) is None:
        _fail(f"{path}.contentType", "must be an Internet Media Type string")
    length = value["length"]
    if type(length) is not int:
        _fail(f"{path}.length", "must be an integer")
    if length < 0:
        _fail(f"{path}.length", "must not be negative")
    sha2 = value["sha2"]
    if not isinstance(sha2, str):
        _fail(f"{path}.sha2", "must be a string")
    if _SHA2_RE.fullmatch(sha2) is None:
        _fail(f"{path}.sha2", "must be the hex digits of a SHA-2 hash")
    file_url = value.get("fileUrl", _MISSING)
    if file_url is not _MISSING:
        validate_iri(file_url, f"{path}.fileUrl")
    if (
        value["usageType"] == SIGNATURE_USAGE_TYPE
        and content_type.partition(";")[0].strip().lower() != "application/octet-stream"
    ):
        # Data §2.6.s4.b1: a signature is sent as application/octet-stream.
        _fail(
            f"{path}.contentType",
            'a signature attachment must have contentType "application/octet-stream"',
        )
