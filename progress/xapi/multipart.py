"""multipart/mixed statement requests and responses (xAPI 1.0.3 Communication §1.5.2).

A statement request that carries attachment data is a ``multipart/mixed`` body (RFC 2046 §5.1):
the first part holds the statements as ``application/json``, every further part holds the raw
octets of one attachment and names it by the SHA-2 of those octets in ``X-Experience-API-Hash``.

The body is parsed as bytes, never decoded: an attachment is binary and may contain CR, LF, NUL
and anything that looks like a boundary. Each delimiter is found with one ``bytes.find`` from
where the previous one ended, so parsing is linear in the size of the body.
"""

import hashlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lms.api import InvalidInput
from progress.xapi.signature import SIGNATURE_USAGE_TYPE

CRLF = b"\r\n"
# RFC 2046 §5.1.1: a boundary line may end in "transport padding" (linear white space).
_PADDED_LINE_END = re.compile(rb"[ \t]*\r\n")
# Generous bound on a part's header block, so a body without a blank line is not scanned whole.
MAX_HEADER_BYTES = 16 * 1024
# xAPI 1.0.3 Data §2.4.11 "sha2" and Communication §1.5.2.s4.b4: the hex length names the SHA-2.
_SHA2_BY_HEX_LENGTH = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}
_HEX = frozenset("0123456789abcdef")

HASH_HEADER = "x-experience-api-hash"
ENCODING_HEADER = "content-transfer-encoding"
TYPE_HEADER = "content-type"


class MultipartError(InvalidInput, ValueError):
    """The request is not a valid xAPI multipart/mixed statement request; the message says why."""


@dataclass(frozen=True)
class AttachmentPart:
    """One attachment part: its raw octets and the headers that describe them."""

    sha2: str  # the part's X-Experience-API-Hash, lower-cased
    content_type: str  # the part's Content-Type header, "" when it had none
    content: bytes


def parse_statement_request(body: bytes, content_type: str) -> tuple[bytes, list[AttachmentPart]]:
    """Split a multipart/mixed xAPI statement request into its JSON and its attachment parts.

    ``content_type`` is the request's Content-Type header. Returns the raw bytes of the first
    part (the statements; the caller parses them as JSON and answers 400 if they are not) and
    the other parts in order. Raises MultipartError, fit for a 400 body, when:

    - the Content-Type is not multipart/mixed or has no boundary (RFC 2046 §5.1.1);
    - the body has no delimiter line ``--boundary`` (lines end in CRLF), no part, or no close
      delimiter ``--boundary--`` (RFC 2046 §5.1.1; Communication §1.5.2.s2.b2);
    - a part's headers are not followed by a blank line or are malformed;
    - the first part is not ``application/json`` (Communication §1.5.2.s2.b2.b1, .b6);
    - a later part has no X-Experience-API-Hash (§1.5.2.s2.b2.b3) or no
      ``Content-Transfer-Encoding: binary`` (§1.5.2.s2.b2.b4; the conformance suite's
      XAPI-00135 answers 400 to any other encoding, and the requirement reads "does not have").

    The preamble before the first delimiter and the epilogue after the close delimiter are
    ignored, as RFC 2046 says. Whether the parts match the statements is check_attachments'.
    """
    boundary = _boundary(content_type)
    spans = list(_split(body, boundary))
    json_headers, json_body = _headers_and_content(body, spans[0], 1)
    first_type = json_headers.get(TYPE_HEADER)
    if first_type is None or _media_type(first_type) != "application/json":
        got = "no Content-Type" if first_type is None else f"Content-Type {first_type!r}"
        raise MultipartError(
            "The first part of a multipart/mixed statement request must be the statements with "
            f"Content-Type application/json (xAPI Communication 1.5.2); it has {got}."
        )
    parts = [_attachment_part(body, span, number) for number, span in enumerate(spans[1:], start=2)]
    return json_body, parts


def check_attachments(
    statements: list[dict[str, Any]], parts: list[AttachmentPart]
) -> dict[str, AttachmentPart]:
    """Cross-check the statements' attachment objects with the request's attachment parts.

    Returns the parts by their lower-case sha2 (one per distinct hash). Raises MultipartError,
    naming the sha2, when:

    - a part's content does not hash to its X-Experience-API-Hash with the SHA-2 its length
      implies (224/256/384/512 bits; Communication §1.5.2.s1.b4, Data §2.4.11);
    - a part is referenced by no attachment of any statement (Communication §1.5.2.s2.b2.b3;
      the suite's XAPI-00128 and XAPI-00132);
    - an attachment without a fileUrl has no part (Communication §1.5.2.s3.b5; XAPI-00129), or
      a signature attachment has no part whatever its fileUrl, since the LRS must check the JWS
      (Data §2.6.s4.b1, s5.b3; XAPI-00115);
    - a part's Content-Type names another media type than the attachment's contentType
      (Communication §1.5.2.s2.b2.b7; parameters such as charset are not compared, as the
      spec's own example sends ``text/plain; charset=ascii`` as ``text/plain``).

    Attachments of a SubStatement count as well (Data §2.4.11 allows them). The attachment's
    ``length`` is deliberately not compared with the part's size: the conformance suite sends
    attachments whose declared length differs from the octets sent and expects them stored.
    """
    by_sha2: dict[str, AttachmentPart] = {}
    for part in parts:
        sha2 = part.sha2.lower()
        _verify_hash(sha2, part.content)
        by_sha2.setdefault(sha2, part)

    attachments = list(_attachments(statements))
    referenced = {sha2 for sha2, _ in attachments}
    for sha2 in by_sha2:
        if sha2 not in referenced:
            raise MultipartError(
                f"The attachment part with X-Experience-API-Hash {sha2} is not referenced by "
                "the sha2 of any attachment in the statements (xAPI Communication 1.5.2)."
            )
    for sha2, attachment in attachments:
        found = by_sha2.get(sha2)
        if found is None:
            if attachment.get("usageType") == SIGNATURE_USAGE_TYPE:
                raise MultipartError(
                    f"The signature attachment {sha2} has no part in the request: a signed "
                    "statement must carry its JWS as an attachment part (xAPI Data 2.6)."
                )
            if "fileUrl" not in attachment:
                raise MultipartError(
                    f"The attachment {sha2} has no fileUrl and no part in the request with "
                    "that X-Experience-API-Hash (xAPI Communication 1.5.2)."
                )
            continue
        declared = attachment.get("contentType")
        if (
            found.content_type
            and isinstance(declared, str)
            and _media_type(found.content_type) != _media_type(declared)
        ):
            raise MultipartError(
                f"The part for attachment {sha2} has Content-Type {found.content_type!r} but the "
                f"attachment's contentType is {declared!r}; they must match "
                "(xAPI Communication 1.5.2)."
            )
    return by_sha2


def build_statement_response(json_body: bytes, parts: list[AttachmentPart]) -> tuple[bytes, str]:
    """The multipart/mixed body answering GET statements with ``attachments=true``.

    Communication §1.5.2.s3.b1 and §2.1.3: the statements (``json_body``) come first as
    application/json, then one part per distinct sha2 (§1.5.2.s2.b2.b5) with Content-Type,
    ``Content-Transfer-Encoding: binary`` and X-Experience-API-Hash. Returns the body and the
    Content-Type header value, whose fresh boundary appears nowhere in the content.
    """
    distinct: dict[str, AttachmentPart] = {}
    for part in parts:
        distinct.setdefault(part.sha2.lower(), part)
    contents = [json_body, *(part.content for part in distinct.values())]
    boundary = _fresh_boundary(contents)
    dash = b"--" + boundary.encode("ascii")

    chunks = [dash, CRLF, b"Content-Type: application/json", CRLF, CRLF, json_body]
    for sha2, part in distinct.items():
        chunks += [
            CRLF,
            dash,
            CRLF,
            b"Content-Type: ",
            _safe_header_value(part.content_type).encode("latin-1"),
            CRLF,
            b"Content-Transfer-Encoding: binary",
            CRLF,
            b"X-Experience-API-Hash: ",
            sha2.encode("ascii"),
            CRLF,
            CRLF,
            part.content,
        ]
    chunks += [CRLF, dash, b"--", CRLF]
    return b"".join(chunks), f"multipart/mixed; boundary={boundary}"


# --- Content-Type header ------------------------------------------------------------------


def _parse_header_value(value: str) -> tuple[str, dict[str, str]]:
    """A Content-Type value as (lower-case media type, parameters by lower-case name).

    Parameter values may be quoted strings with backslash escapes (RFC 2045 §5.1, RFC 822).
    """
    media_type, _, rest = value.partition(";")
    params: dict[str, str] = {}
    i, n = 0, len(rest)
    while i < n:
        while i < n and rest[i] in " \t;":
            i += 1
        start = i
        while i < n and rest[i] not in "=;":
            i += 1
        name = rest[start:i].strip().lower()
        if i >= n or rest[i] == ";":
            continue  # a parameter without a value: ignored
        i += 1  # past "="
        while i < n and rest[i] in " \t":
            i += 1
        if i < n and rest[i] == '"':
            i += 1
            chars: list[str] = []
            while i < n and rest[i] != '"':
                if rest[i] == "\\" and i + 1 < n:
                    i += 1
                chars.append(rest[i])
                i += 1
            i += 1  # past the closing quote
            param = "".join(chars)
        else:
            start = i
            while i < n and rest[i] != ";":
                i += 1
            param = rest[start:i].strip()
        if name and name not in params:
            params[name] = param
    return media_type.strip().lower(), params


def _media_type(value: str) -> str:
    return _parse_header_value(value)[0]


def _boundary(content_type: str) -> bytes:
    media_type, params = _parse_header_value(content_type or "")
    if media_type != "multipart/mixed":
        raise MultipartError(
            f"A statement request with attachments must be multipart/mixed, not {media_type!r} "
            "(xAPI Communication 1.5.2)."
        )
    boundary = params.get("boundary", "")
    if not boundary:
        raise MultipartError(
            "The multipart/mixed Content-Type has no boundary parameter (RFC 2046 5.1.1)."
        )
    if not boundary.isascii() or not boundary.isprintable():
        raise MultipartError("The multipart/mixed boundary must be printable ASCII (RFC 2046).")
    return boundary.encode("ascii")


# --- Body ---------------------------------------------------------------------------------


def _split(body: bytes, boundary: bytes) -> Iterator[tuple[int, int]]:
    """The (start, end) of each part between the first and the close delimiter (RFC 2046 §5.1.1).

    A delimiter is CRLF, "--", the boundary, optional transport padding and CRLF; the close
    delimiter has "--" right after the boundary. The first delimiter may open the body without
    the CRLF. A "--boundary" followed by anything else is content, not a delimiter.
    """
    dash = b"--" + boundary
    if body.startswith(dash) and (first := _delimiter_end(body, len(dash))) is not None:
        after, closed = first
    else:
        found = _next_delimiter(body, 0, dash)
        if found is None:
            hint = ""
            if b"\n" + dash in body or body.startswith(dash):
                hint = " Lines must end in CRLF (RFC 2046)."
            raise MultipartError(
                "The body has no boundary delimiter line "
                f"'--{boundary.decode('ascii')}' (RFC 2046 5.1.1).{hint}"
            )
        _, after, closed = found
    if closed:
        raise MultipartError("The multipart body has no parts; the first must be the statements.")
    while True:
        found = _next_delimiter(body, after, dash)
        if found is None:
            raise MultipartError(
                "The multipart body does not end with the close delimiter "
                f"'--{boundary.decode('ascii')}--' (RFC 2046 5.1.1)."
            )
        start, next_after, closed = found
        yield after, start
        if closed:
            return
        after = next_after


def _next_delimiter(body: bytes, start: int, dash: bytes) -> tuple[int, int, bool] | None:
    """The next delimiter at or after ``start``: (its index, index after it, is it the close)."""
    delimiter = CRLF + dash
    index = body.find(delimiter, start)
    while index >= 0:
        end = _delimiter_end(body, index + len(delimiter))
        if end is not None:
            return index, end[0], end[1]
        index = body.find(delimiter, index + 1)
    return None


def _delimiter_end(body: bytes, index: int) -> tuple[int, bool] | None:
    """After a "--boundary" at ``index``: (where the part starts, is it the close delimiter).

    None when what follows does not end a delimiter line, i.e. the bytes were content.
    """
    if body.startswith(b"--", index):
        return index + 2, True
    line_end = _PADDED_LINE_END.match(body, index)
    return (line_end.end(), False) if line_end else None


def _headers_and_content(
    body: bytes, span: tuple[int, int], number: int
) -> tuple[dict[str, str], bytes]:
    """A part's headers (by lower-case name) and its content (RFC 2046 §5.1.1 body-part).

    The content is the one copy made of the part's bytes.
    """
    start, end = span
    if start == end:
        return {}, b""
    if body.startswith(CRLF, start, end):
        return {}, body[start + 2 : end]
    blank = body.find(CRLF + CRLF, start, min(end, start + MAX_HEADER_BYTES))
    if blank < 0:
        raise MultipartError(
            f"Part {number} of the multipart body has no blank line (CRLF CRLF) ending its "
            f"headers within their first {MAX_HEADER_BYTES // 1024} KiB."
        )
    return _parse_headers(body[start:blank], number), body[blank + 4 : end]


def _parse_headers(block: bytes, number: int) -> dict[str, str]:
    headers: dict[str, str] = {}
    last = ""
    for line in block.decode("latin-1").split("\r\n"):
        if line[:1] in (" ", "\t") and last:  # a folded continuation line (RFC 822)
            headers[last] = f"{headers[last]} {line.strip()}".strip()
            continue
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if not colon or not name or any(c in name for c in " \t"):
            raise MultipartError(f"Part {number} of the multipart body has a malformed header.")
        value = value.strip()
        if name in headers and headers[name] != value:
            raise MultipartError(f"Part {number} of the multipart body has two {name} headers.")
        headers[name] = value
        last = name
    return headers


def _attachment_part(body: bytes, span: tuple[int, int], number: int) -> AttachmentPart:
    headers, content = _headers_and_content(body, span, number)
    sha2 = headers.get(HASH_HEADER, "")
    if not sha2:
        raise MultipartError(
            f"Part {number} of the multipart body has no X-Experience-API-Hash header; every "
            "attachment part must have one (xAPI Communication 1.5.2)."
        )
    encoding = headers.get(ENCODING_HEADER)
    if encoding is None or encoding.lower() != "binary":
        got = "none" if encoding is None else repr(encoding)
        raise MultipartError(
            f"The attachment part {sha2.lower()} must have Content-Transfer-Encoding: binary "
            f"(xAPI Communication 1.5.2); it has {got}."
        )
    return AttachmentPart(
        sha2=sha2.lower(), content_type=headers.get(TYPE_HEADER, ""), content=content
    )


# --- Attachments --------------------------------------------------------------------------


def _verify_hash(sha2: str, content: bytes) -> None:
    algorithm = _SHA2_BY_HEX_LENGTH.get(len(sha2))
    if algorithm is None or not _HEX.issuperset(sha2):
        raise MultipartError(
            f"The X-Experience-API-Hash {sha2!r} is not a hexadecimal SHA-224, SHA-256, "
            "SHA-384 or SHA-512 digest."
        )
    actual = hashlib.new(algorithm, content).hexdigest()
    if actual != sha2:
        raise MultipartError(
            f"The content of the attachment part with X-Experience-API-Hash {sha2} does not "
            f"match it: its {algorithm.upper()} is {actual} (xAPI Communication 1.5.2)."
        )


def _attachments(statements: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(lower-case sha2, attachment) for every attachment of the statements and SubStatements."""
    for number, statement in enumerate(statements, start=1):
        if not isinstance(statement, dict):
            continue
        targets = [statement]
        sub = statement.get("object")
        if isinstance(sub, dict) and sub.get("objectType") == "SubStatement":
            targets.append(sub)
        for target in targets:
            attachments = target.get("attachments", [])
            if not isinstance(attachments, list):
                raise MultipartError(f"Statement {number}: attachments must be an array.")
            for attachment in attachments:
                sha2 = attachment.get("sha2") if isinstance(attachment, dict) else None
                if not isinstance(sha2, str) or not sha2:
                    raise MultipartError(
                        f"Statement {number}: every attachment must be an object with a sha2."
                    )
                yield sha2.lower(), attachment


# --- Response -----------------------------------------------------------------------------


def _fresh_boundary(contents: list[bytes]) -> str:
    """A random boundary (hex, so any client's parser takes it) found in none of the contents."""
    while True:
        boundary = f"xapi-{uuid.uuid4().hex}"
        needle = b"--" + boundary.encode("ascii")
        if not any(needle in content for content in contents):
            return boundary


def _safe_header_value(content_type: str) -> str:
    """The stored contentType, unless it is empty or could break out of its header line."""
    if not content_type or not content_type.isascii() or not content_type.isprintable():
        return "application/octet-stream"
    return content_type
