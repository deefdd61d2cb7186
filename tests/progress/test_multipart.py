"""multipart/mixed statement requests (xAPI 1.0.3 Communication §1.5.2, RFC 2046 §5.1).

Bodies are built by hand, as the ADL conformance suite builds them (test/v1_0_3 and v2_0
Content-Types tests, helper.signStatement), with binary content that would trip a text parser.
"""

import hashlib
import time
from typing import Any

import jwt
import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from progress.xapi.multipart import (
    AttachmentPart,
    MultipartError,
    build_statement_response,
    check_attachments,
    parse_statement_request,
)
from progress.xapi.signature import SIGNATURE_USAGE_TYPE, find_signature, verify_signed_statement

# The boundary of the spec's example (Communication §1.5.2.s6): every special bchar of RFC 2046.
BOUNDARY = "abcABC0123'()+_,-./:=?"
CONTENT_TYPE = f'multipart/mixed; boundary="{BOUNDARY}"'
DASH = b"--" + BOUNDARY.encode()
CRLF = b"\r\n"

TEXT = b"here is a simple attachment"
# Binary content with CR, LF, NUL, a blank line, and byte sequences that look like delimiters
# but are not: the boundary without its CRLF, and CRLF--boundary followed by other bytes.
BINARY = (
    b"\x00\x01\r\n\r\n\x00\rLF\n"
    + DASH
    + b"\r\n"
    + CRLF
    + DASH
    + b"X not a delimiter"
    + CRLF
    + DASH[:-1]
    + b"\xff\xfe--\r\n"
)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def attachment(content: bytes, content_type: str = "text/plain", **extra: Any) -> dict[str, Any]:
    return {
        "usageType": "http://practica.example/usage/evidence",
        "display": {"en-US": "Evidence"},
        "contentType": content_type,
        "length": len(content),
        "sha2": sha256(content),
        **extra,
    }


def statement(*attachments: dict[str, Any]) -> dict[str, Any]:
    built: dict[str, Any] = {
        "actor": {"mbox": "mailto:ada@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://practica.example/units/1"},
    }
    if attachments:
        built["attachments"] = list(attachments)
    return built


def part(content: bytes, *headers: str) -> bytes:
    """One encapsulated part: header lines, a blank line, the content (RFC 2046 §5.1.1)."""
    return b"".join(h.encode() + CRLF for h in headers) + CRLF + content


def json_part(payload: Any, content_type: str = "application/json") -> bytes:
    return part(orjson.dumps(payload), f"Content-Type: {content_type}")


def file_part(content: bytes, content_type: str = "text/plain", sha2: str | None = None) -> bytes:
    return part(
        content,
        f"Content-Type: {content_type}",
        "Content-Transfer-Encoding: binary",
        f"X-Experience-API-Hash: {sha2 or sha256(content)}",
    )


def body(*parts: bytes, preamble: bytes = b"", epilogue: bytes = CRLF) -> bytes:
    """Parts between delimiters, closed by --boundary-- (RFC 2046 §5.1.1)."""
    opening = preamble + CRLF + DASH + CRLF if preamble else DASH + CRLF
    return opening + (CRLF + DASH + CRLF).join(parts) + CRLF + DASH + b"--" + epilogue


# --- Valid requests -----------------------------------------------------------------------


def test_statement_with_one_attachment():
    # The shape of Communication §1.5.2.s6's example, with its unusual boundary.
    sent = statement(attachment(TEXT, "text/plain; charset=ascii"))
    raw = body(json_part(sent), file_part(TEXT))

    json_body, parts = parse_statement_request(raw, CONTENT_TYPE)

    assert orjson.loads(json_body) == sent
    assert parts == [AttachmentPart(sha2=sha256(TEXT), content_type="text/plain", content=TEXT)]
    assert check_attachments([sent], parts) == {sha256(TEXT): parts[0]}


def test_binary_content_survives_byte_for_byte():
    image = bytes(range(256)) * 4 + BINARY
    sent = statement(attachment(BINARY, "application/octet-stream"), attachment(image, "image/png"))
    raw = body(
        json_part(sent),
        file_part(BINARY, "application/octet-stream"),
        file_part(image, "image/png"),
        file_part(TEXT + CRLF),
    )
    sent["attachments"].append(attachment(TEXT + CRLF))

    _, parts = parse_statement_request(raw, CONTENT_TYPE)

    assert [p.content for p in parts] == [BINARY, image, TEXT + CRLF]
    assert set(check_attachments([sent], parts)) == {
        sha256(BINARY),
        sha256(image),
        sha256(TEXT + CRLF),
    }


def test_preamble_epilogue_and_leading_crlf_are_ignored():
    sent = statement(attachment(TEXT))
    parts = (json_part(sent), file_part(TEXT))
    # The suite's signStatement opens the body with CRLF before the first delimiter.
    for raw in (
        body(*parts, preamble=b"This is a preamble.\r\n--not the boundary"),
        body(*parts, preamble=DASH + b"X, a boundary-like preamble"),
        CRLF + body(*parts),
        body(*parts, epilogue=b"\r\nepilogue with " + DASH + b"\r\n"),
        body(*parts, epilogue=b""),
    ):
        json_body, found = parse_statement_request(raw, CONTENT_TYPE)
        assert orjson.loads(json_body) == sent
        assert [p.content for p in found] == [TEXT]


def test_header_syntax_variants():
    # Unquoted boundary, header names in any case, no space after the colon, folded lines,
    # transport padding after the delimiter, a charset on the JSON part.
    boundary = "-------314159265358979323846"
    dash = b"--" + boundary.encode()
    sent = statement(attachment(TEXT))
    raw = (
        dash
        + b" \t\r\ncontent-type:Application/JSON; charset=UTF-8\r\n\r\n"
        + orjson.dumps(sent)
        + b"\r\n"
        + dash
        + b"\r\nCONTENT-TYPE:text/plain\r\ncontent-transfer-encoding:BINARY\r\n"
        + b"x-experience-api-hash:\r\n "
        + sha256(TEXT).upper().encode()
        + b"\r\n\r\n"
        + TEXT
        + b"\r\n"
        + dash
        + b"--"
    )

    json_body, parts = parse_statement_request(
        raw, f"Multipart/Mixed; charset=x; boundary={boundary}"
    )

    assert orjson.loads(json_body) == sent
    assert parts == [AttachmentPart(sha2=sha256(TEXT), content_type="text/plain", content=TEXT)]


def test_statements_without_attachment_parts():
    # Communication §1.5.2.s3.b8-b9: no attachments, or only fileUrl ones, in multipart/mixed.
    sent = [statement(), statement(attachment(TEXT, fileUrl="https://files.example/t.txt"))]
    json_body, parts = parse_statement_request(body(json_part(sent)), CONTENT_TYPE)
    assert orjson.loads(json_body) == sent
    assert parts == []
    assert check_attachments(sent, parts) == {}


def test_part_may_be_sent_for_an_attachment_with_a_file_url():
    sent = statement(attachment(TEXT, fileUrl="https://files.example/t.txt"))
    _, parts = parse_statement_request(body(json_part(sent), file_part(TEXT)), CONTENT_TYPE)
    assert list(check_attachments([sent], parts)) == [sha256(TEXT)]


def test_one_part_serves_the_same_attachment_in_several_statements():
    # Communication §1.5.2.s2.b2.b5: one copy of an attachment used by several statements.
    sent = [statement(attachment(TEXT)), statement(attachment(TEXT))]
    _, parts = parse_statement_request(body(json_part(sent), file_part(TEXT)), CONTENT_TYPE)
    assert list(check_attachments(sent, parts)) == [sha256(TEXT)]


def test_duplicate_parts_are_accepted_once():
    sent = statement(attachment(TEXT))
    raw = body(json_part(sent), file_part(TEXT), file_part(TEXT))
    _, parts = parse_statement_request(raw, CONTENT_TYPE)
    assert len(parts) == 2
    assert check_attachments([sent], parts) == {sha256(TEXT): parts[0]}


@pytest.mark.parametrize("algorithm", ["sha224", "sha256", "sha384", "sha512"])
def test_every_sha2_length_is_checked(algorithm):
    digest = hashlib.new(algorithm, BINARY).hexdigest()
    sent = statement(attachment(BINARY, sha2=digest))
    raw = body(json_part(sent), file_part(BINARY, sha2=digest))
    _, parts = parse_statement_request(raw, CONTENT_TYPE)
    assert list(check_attachments([sent], parts)) == [digest]


def test_substatement_attachments_need_their_parts():
    sub = {**statement(attachment(TEXT)), "objectType": "SubStatement"}
    sent = {**statement(), "object": sub}
    _, parts = parse_statement_request(body(json_part(sent), file_part(TEXT)), CONTENT_TYPE)
    assert list(check_attachments([sent], parts)) == [sha256(TEXT)]
    with pytest.raises(MultipartError, match=f"attachment {sha256(TEXT)} has no fileUrl"):
        check_attachments([sent], [])


def test_signed_statement_round_trip():
    # Data §2.6 as the suite's helper.signStatement sends it: alg-only header, the statement
    # signed before the signature attachment was added, the JWS as an octet-stream part.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    essay = statement(attachment(BINARY, "application/octet-stream"))
    jws = jwt.encode(essay, key, algorithm="RS256").encode()
    signature = attachment(jws, "application/octet-stream", usageType=SIGNATURE_USAGE_TYPE)
    sent = {**essay, "attachments": [*essay["attachments"], signature]}
    raw = CRLF + body(
        json_part(sent),
        file_part(BINARY, "application/octet-stream"),
        file_part(jws, "application/octet-stream"),
        epilogue=b"",
    )

    json_body, parts = parse_statement_request(raw, f"multipart/mixed; boundary={BOUNDARY}")
    received = orjson.loads(json_body)
    by_sha2 = check_attachments([received], parts)

    found = find_signature(received)
    assert found is not None
    verify_signed_statement(received, by_sha2[found["sha2"]].content)


def test_large_body_is_parsed_quickly():
    # 50 MB of bytes plus a megabyte of near-delimiters: parsing stays linear.
    big = bytes(range(256)) * (50 * 4096)
    decoys = (CRLF + DASH + b"!") * 20_000
    sent = statement(attachment(big, "video/mp4"), attachment(decoys, "application/x-decoys"))
    raw = body(
        json_part(sent), file_part(big, "video/mp4"), file_part(decoys, "application/x-decoys")
    )

    started = time.perf_counter()
    _, parts = parse_statement_request(raw, CONTENT_TYPE)
    check_attachments([sent], parts)
    elapsed = time.perf_counter() - started

    assert [len(p.content) for p in parts] == [len(big), len(decoys)]
    assert parts[0].content == big
    assert parts[1].content == decoys
    assert elapsed < 5


# --- Errors in the request's Content-Type -------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        # The suite: multipart/form-data is refused (XAPI-00127).
        (
            f"multipart/form-data; boundary={BOUNDARY}",
            "must be multipart/mixed, not 'multipart/form-data'",
        ),
        ("application/json", "must be multipart/mixed, not 'application/json'"),
        ("", "must be multipart/mixed, not ''"),
        # The suite: "multipart/mixed;" without a boundary (XAPI-00130/131).
        ("multipart/mixed;", "has no boundary parameter"),
        ('multipart/mixed; boundary=""', "has no boundary parameter"),
        ("multipart/mixed; charset=utf-8", "has no boundary parameter"),
    ],
)
def test_content_type_errors(content_type, message):
    raw = body(json_part(statement()))
    with pytest.raises(MultipartError, match=message):
        parse_statement_request(raw, content_type)


# --- Errors in the body's structure -------------------------------------------------------


def test_body_without_the_boundary():
    raw = b"Content-Type: application/json\r\n\r\n" + orjson.dumps(statement())
    with pytest.raises(MultipartError, match="has no boundary delimiter line"):
        parse_statement_request(raw, CONTENT_TYPE)


def test_body_with_bare_lf_line_ends():
    raw = body(json_part(statement())).replace(CRLF, b"\n")
    with pytest.raises(MultipartError, match="Lines must end in CRLF"):
        parse_statement_request(raw, CONTENT_TYPE)


def test_body_without_the_close_delimiter():
    sent = statement(attachment(TEXT))
    raw = DASH + CRLF + json_part(sent) + CRLF + DASH + CRLF + file_part(TEXT) + CRLF
    with pytest.raises(MultipartError, match="does not end with the close delimiter"):
        parse_statement_request(raw, CONTENT_TYPE)


def test_body_with_no_parts():
    with pytest.raises(MultipartError, match="has no parts"):
        parse_statement_request(DASH + b"--\r\n", CONTENT_TYPE)


def test_part_without_a_blank_line_after_its_headers():
    raw = DASH + CRLF + b"Content-Type: application/json" + CRLF + DASH + b"--"
    with pytest.raises(MultipartError, match=r"Part 1 .* has no blank line"):
        parse_statement_request(raw, CONTENT_TYPE)


def test_malformed_header_line():
    raw = body(json_part(statement()), part(TEXT, "X-Experience-API-Hash " + sha256(TEXT)))
    with pytest.raises(MultipartError, match="Part 2 of the multipart body has a malformed header"):
        parse_statement_request(raw, CONTENT_TYPE)


def test_conflicting_duplicate_headers():
    raw = body(
        json_part(statement()),
        part(
            TEXT,
            "Content-Transfer-Encoding: binary",
            f"X-Experience-API-Hash: {sha256(TEXT)}",
            f"X-Experience-API-Hash: {sha256(BINARY)}",
        ),
    )
    with pytest.raises(MultipartError, match="two x-experience-api-hash headers"):
        parse_statement_request(raw, CONTENT_TYPE)


# --- Errors in the first part (Communication §1.5.2.s2.b2.b1, .b6; suite XAPI-00134) -------


def test_first_part_must_be_application_json():
    raw = body(json_part(statement(attachment(TEXT)), "text/plain"), file_part(TEXT))
    with pytest.raises(MultipartError, match="it has Content-Type 'text/plain'"):
        parse_statement_request(raw, CONTENT_TYPE)


def test_first_part_must_have_a_content_type():
    raw = body(part(orjson.dumps(statement())), file_part(TEXT))
    with pytest.raises(MultipartError, match=r"application/json .*it has no Content-Type"):
        parse_statement_request(raw, CONTENT_TYPE)


def test_statements_before_the_first_boundary_are_a_preamble():
    # The suite's "boundary not provided in body" (XAPI-00131): what precedes the first
    # delimiter is preamble, so the first part is the attachment, which is not JSON.
    sent = statement(attachment(TEXT))
    raw = b"Content-Type: application/json\r\n\r\n" + orjson.dumps(sent) + CRLF + DASH + CRLF
    raw += file_part(TEXT) + CRLF + DASH + b"--\r\n"
    with pytest.raises(MultipartError, match="it has Content-Type 'text/plain'"):
        parse_statement_request(raw, CONTENT_TYPE)


def test_missing_boundary_between_statements_and_attachment():
    # The suite's XAPI-00130: no delimiter before the attachment's headers. The one part is
    # not JSON (the caller answers 400) and the attachment has no part.
    sent = statement(attachment(TEXT))
    raw = DASH + CRLF + json_part(sent) + CRLF + file_part(TEXT) + CRLF + DASH + b"--\r\n"
    json_body, parts = parse_statement_request(raw, CONTENT_TYPE)
    assert parts == []
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(json_body)
    with pytest.raises(
        MultipartError, match=f"attachment {sha256(TEXT)} has no fileUrl and no part"
    ):
        check_attachments([sent], parts)


# --- Errors in attachment parts (Communication §1.5.2.s2.b2.b3, .b4) -----------------------


def test_attachment_part_without_hash_header():
    # The suite's XAPI-00132 "missing header X-Experience-API-Hash".
    raw = body(
        json_part(statement(attachment(TEXT))),
        part(TEXT, "Content-Type: text/plain", "Content-Transfer-Encoding: binary"),
    )
    with pytest.raises(
        MultipartError, match="Part 2 of the multipart body has no X-Experience-API-Hash"
    ):
        parse_statement_request(raw, CONTENT_TYPE)


def test_statements_split_over_two_json_parts():
    # The suite's XAPI-00133: a second JSON part is an attachment part without a hash.
    sent = statement(attachment(TEXT))
    raw = body(json_part(sent), json_part(sent), file_part(TEXT))
    with pytest.raises(MultipartError, match=r"Part 2 .* no X-Experience-API-Hash"):
        parse_statement_request(raw, CONTENT_TYPE)


@pytest.mark.parametrize(
    ("encoding_header", "got"),
    [("Content-Transfer-Encoding: base64", "'base64'"), (None, "none")],
)
def test_attachment_part_must_be_binary(encoding_header, got):
    # The suite's XAPI-00135 sends base64 and expects 400.
    headers = ["Content-Type: text/plain", f"X-Experience-API-Hash: {sha256(TEXT)}"]
    if encoding_header:
        headers.append(encoding_header)
    raw = body(json_part(statement(attachment(TEXT))), part(TEXT, *headers))
    message = f"part {sha256(TEXT)} must have Content-Transfer-Encoding: binary .*it has {got}"
    with pytest.raises(MultipartError, match=message):
        parse_statement_request(raw, CONTENT_TYPE)


# --- Cross-checks (Communication §1.5.2.s1.b4, s2.b2.b3, s3.b5; Data §2.4.11) --------------


def test_hash_header_not_matching_the_content():
    # The suite's XAPI-00132 "does not match sha2": a well-formed hash of something else.
    wrong = sha256(b"something else")
    sent = statement(attachment(TEXT, sha2=wrong))
    _, parts = parse_statement_request(
        body(json_part(sent), file_part(TEXT, sha2=wrong)), CONTENT_TYPE
    )
    message = f"X-Experience-API-Hash {wrong} does not match it: its SHA256 is {sha256(TEXT)}"
    with pytest.raises(MultipartError, match=message):
        check_attachments([sent], parts)


@pytest.mark.parametrize("header", ["abc123", "z" * 64, sha256(TEXT)[:60]])
def test_hash_header_that_is_no_sha2_digest(header):
    part_ = AttachmentPart(sha2=header, content_type="text/plain", content=TEXT)
    with pytest.raises(MultipartError, match="is not a hexadecimal SHA-224, SHA-256"):
        check_attachments([statement(attachment(TEXT, sha2=header))], [part_])


def test_part_referenced_by_no_attachment():
    # The suite's XAPI-00128: a third part nobody references.
    first, second = b"first text\n", b"second text\n"
    sent = statement(attachment(first), attachment(second))
    raw = body(json_part(sent), file_part(first), file_part(second), file_part(TEXT))
    _, parts = parse_statement_request(raw, CONTENT_TYPE)
    message = f"X-Experience-API-Hash {sha256(TEXT)} is not referenced by the sha2 of any"
    with pytest.raises(MultipartError, match=message):
        check_attachments([sent], parts)


def test_attachment_without_file_url_or_part():
    # The suite's XAPI-00129: two attachments, one part.
    first, second = b"first text\n", b"second text\n"
    sent = statement(attachment(first), attachment(second))
    _, parts = parse_statement_request(body(json_part(sent), file_part(first)), CONTENT_TYPE)
    with pytest.raises(
        MultipartError, match=f"attachment {sha256(second)} has no fileUrl and no part"
    ):
        check_attachments([sent], parts)


def test_signature_attachment_needs_its_part_even_with_a_file_url():
    # Data §2.6: the LRS must check the JWS, so it must be in the request (suite XAPI-00115).
    jws = b"a.b.c"
    sig = attachment(
        jws, "application/octet-stream", usageType=SIGNATURE_USAGE_TYPE, fileUrl="https://e.x/s"
    )
    with pytest.raises(MultipartError, match=f"signature attachment {sha256(jws)} has no part"):
        check_attachments([statement(sig)], [])


def test_part_content_type_must_match_the_attachment():
    # Communication §1.5.2.s2.b2.b7: parameter and property match; media type parameters aside.
    sent = statement(attachment(TEXT, "image/png"))
    _, parts = parse_statement_request(body(json_part(sent), file_part(TEXT)), CONTENT_TYPE)
    message = f"part for attachment {sha256(TEXT)} has Content-Type 'text/plain' but"
    with pytest.raises(MultipartError, match=message):
        check_attachments([sent], parts)


def test_part_without_content_type_is_accepted():
    # Communication §1.5.2.s2.b2.b6: a Content-Type on attachment parts is only a SHOULD.
    sent = statement(attachment(TEXT))
    raw = body(
        json_part(sent),
        part(TEXT, "Content-Transfer-Encoding: binary", f"X-Experience-API-Hash: {sha256(TEXT)}"),
    )
    _, parts = parse_statement_request(raw, CONTENT_TYPE)
    assert parts[0].content_type == ""
    assert list(check_attachments([sent], parts)) == [sha256(TEXT)]


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        ([{"attachments": {"sha2": "x"}}], "Statement 1: attachments must be an array"),
        ([statement(), {"attachments": ["x"]}], "Statement 2: every attachment must be an object"),
        (
            [{"attachments": [{"usageType": "http://e.x"}]}],
            "every attachment must be an object with a sha2",
        ),
    ],
)
def test_malformed_attachment_objects(statements, message):
    with pytest.raises(MultipartError, match=message):
        check_attachments(statements, [])


# --- Response (Communication §1.5.2.s3.b1, §2.1.3 attachments=true) ------------------------


def test_response_round_trips_through_the_parser():
    image = bytes(range(256)) + BINARY
    stored = [
        statement(attachment(TEXT), attachment(image, "image/png")),
        statement(attachment(TEXT)),
    ]
    json_body = orjson.dumps({"statements": stored, "more": ""})
    parts = [
        AttachmentPart(sha2=sha256(TEXT), content_type="text/plain; charset=ascii", content=TEXT),
        AttachmentPart(sha2=sha256(image), content_type="image/png", content=image),
        AttachmentPart(sha2=sha256(TEXT), content_type="text/plain; charset=ascii", content=TEXT),
    ]

    response, content_type = build_statement_response(json_body, parts)

    assert content_type.startswith("multipart/mixed; boundary=")
    parsed_json, parsed_parts = parse_statement_request(response, content_type)
    assert parsed_json == json_body
    assert parsed_parts == parts[:2]  # one part per distinct attachment
    assert check_attachments(stored, parsed_parts).keys() == {sha256(TEXT), sha256(image)}


def test_response_layout():
    # What the suite's parser expects: "--boundary" CRLF headers CRLF CRLF content CRLF ...,
    # and each hash exactly twice, in the statement and in the part's header.
    stored = statement(attachment(TEXT))
    json_body = orjson.dumps(stored)
    response, content_type = build_statement_response(
        json_body, [AttachmentPart(sha2=sha256(TEXT), content_type="text/plain", content=TEXT)]
    )
    boundary = content_type.split("boundary=")[1].encode()
    dash = b"--" + boundary
    assert response == (
        dash
        + b"\r\nContent-Type: application/json\r\n\r\n"
        + json_body
        + b"\r\n"
        + dash
        + b"\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n"
        + b"X-Experience-API-Hash: "
        + sha256(TEXT).encode()
        + b"\r\n\r\n"
        + TEXT
        + b"\r\n"
        + dash
        + b"--\r\n"
    )
    assert response.count(sha256(TEXT).encode()) == 2
    assert boundary.replace(b"-", b"").isalnum()


def test_response_boundary_is_fresh_and_absent_from_the_content():
    first = build_statement_response(b"{}", [])[1]
    second = build_statement_response(b"{}", [])[1]
    assert first != second
    response, content_type = build_statement_response(b'{"statements": []}', [])
    assert parse_statement_request(response, content_type) == (b'{"statements": []}', [])


def test_response_replaces_unsafe_content_types():
    evil = AttachmentPart(
        sha2=sha256(TEXT), content_type="text/plain\r\nX-Injected: yes", content=TEXT
    )
    blank = AttachmentPart(sha2=sha256(BINARY), content_type="", content=BINARY)
    response, content_type = build_statement_response(b"[]", [evil, blank])
    assert b"X-Injected" not in response
    _, parts = parse_statement_request(response, content_type)
    assert [p.content_type for p in parts] == ["application/octet-stream"] * 2
    assert [p.content for p in parts] == [TEXT, BINARY]


def test_near_delimiters_with_long_padding_stay_linear():
    # A near-delimiter followed by megabytes of transport padding and no CRLF is content.
    decoy = CRLF + DASH + b" " * 5_000_000 + b"!"
    sent = statement(attachment(decoy, "application/octet-stream"))
    raw = body(json_part(sent), file_part(decoy, "application/octet-stream"))
    started = time.perf_counter()
    _, parts = parse_statement_request(raw, CONTENT_TYPE)
    assert time.perf_counter() - started < 2
    assert parts[0].content == decoy


@pytest.mark.django_db
def test_get_with_attachments_returns_a_part_sent_for_an_attachment_with_a_file_url(xapi):
    """§2.1.3.s2.b6: with attachments=true, "all Attachments" the LRS holds, including the
    raw data sent for an attachment that also has a fileUrl (the suite's XAPI-00161)."""
    sent = statement(attachment(TEXT, fileUrl="https://files.example/evidence.txt"))
    raw = body(json_part(sent), file_part(TEXT))
    response = xapi.request("POST", "statements", raw, content_type=CONTENT_TYPE)
    assert response.status_code == 200, response.content
    statement_id = response.json()[0]

    got = xapi.get(f"statementId={statement_id}&attachments=true")

    assert got["Content-Type"].startswith("multipart/mixed; boundary=")
    json_body, parts = parse_statement_request(got.content, got["Content-Type"])
    assert orjson.loads(json_body)["id"] == statement_id
    assert [(p.sha2, p.content) for p in parts] == [(sha256(TEXT), TEXT)]
    # Without attachments=true, JSON only (§2.1.3.s2.b7).
    assert xapi.get(f"statementId={statement_id}")["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_get_with_attachments_answers_a_file_url_attachment_without_data_with_no_part(xapi):
    sent = statement(attachment(b"elsewhere", fileUrl="https://files.example/elsewhere.txt"))
    response = xapi.post(sent)
    assert response.status_code == 200, response.content
    got = xapi.get(f"statementId={response.json()[0]}&attachments=true")
    _, parts = parse_statement_request(got.content, got["Content-Type"])
    assert parts == []


@pytest.mark.django_db
def test_a_read_mine_client_cannot_read_anothers_file_by_naming_its_hash(client, xapi):
    """A client that reads only its own statements gets only the data its statements brought:
    naming another client's sha2 with a fileUrl (which needs no data) hands nothing over."""
    from progress.clients import create_lrs_client
    from tests.progress.conftest import XAPIClient

    secret = b"another client's confidential file"
    owner = statement(attachment(secret))
    raw = body(json_part(owner), file_part(secret))
    assert xapi.request("POST", "statements", raw, content_type=CONTENT_TYPE).status_code == 200
    new = create_lrs_client(name="Nosy", scopes=["statements/write", "statements/read/mine"])
    nosy = XAPIClient(client, new.client.key, new.secret)
    probe = statement(attachment(secret, fileUrl="https://nosy.example/guess"))
    probe_id = nosy.post(probe).json()[0]
    got = nosy.get(f"statementId={probe_id}&attachments=true")
    assert got.status_code == 200
    _, parts = parse_statement_request(got.content, got["Content-Type"])
    assert parts == []
    # Its own file, sent with a fileUrl attachment, it reads back.
    mine = statement(attachment(TEXT, fileUrl="https://nosy.example/own.txt"))
    sent = nosy.request(
        "POST", "statements", body(json_part(mine), file_part(TEXT)), content_type=CONTENT_TYPE
    )
    got = nosy.get(f"statementId={sent.json()[0]}&attachments=true")
    _, parts = parse_statement_request(got.content, got["Content-Type"])
    assert [p.content for p in parts] == [TEXT]
