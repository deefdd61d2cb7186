"""Validation of xAPI Statements as received from clients, for xAPI 1.0.x and 2.0.x.

This module enforces every requirement the specifications put on Statement *content* that an
LRS must reject with ``400 Bad Request``:

* xAPI 1.0.3 Part Two (Data) §2.2 formatting, §2.3.2 voiding, §2.4 statement properties and
  §4 special data types (extensions, language maps, IRIs, UUIDs, timestamps, durations). The
  1.0.3 rules apply to every 1.0.x request: the data model did not change within 1.0.
* xAPI 2.0 (IEEE 9274.1.1), as exercised by the ADL LRS conformance test suite: context agents
  and context groups, time zones required in timestamps, statements of version 2.0.x.

It is hand-written for speed, since it runs on the LRS hot path for every statement: one pass,
frozensets of allowed keys, direct type checks and precompiled regular expressions; no schema
walk. Validation stops at the first violation, raised as :class:`StatementValidationError`
whose ``path`` names the offending property, e.g.
``statement.context.contextActivities.parent[0].id``.

Where the specifications leave a choice to the LRS ("MAY use best-effort validation" for IRIs,
IRLs and language tags, 1.0.3 Data §2.2.s4.b6-b7), the checks follow the grammar of RFC 3987
and RFC 5646 without resolving anything or consulting registries.
"""

from progress.xapi.validation.actor import validate_agent
from progress.xapi.validation.attachments import SIGNATURE_USAGE_TYPE
from progress.xapi.validation.errors import StatementValidationError
from progress.xapi.validation.scalars import (
    MAX_EXTENSION_DEPTH,
    duration_seconds,
    find_nul,
    parse_timestamp,
    validate_duration,
    validate_iri,
    validate_language_map,
    validate_uuid,
)
from progress.xapi.validation.statement import VOIDED_VERB, validate_statement

__all__ = [
    "MAX_EXTENSION_DEPTH",
    "SIGNATURE_USAGE_TYPE",
    "VOIDED_VERB",
    "StatementValidationError",
    "duration_seconds",
    "find_nul",
    "parse_timestamp",
    "validate_agent",
    "validate_duration",
    "validate_iri",
    "validate_language_map",
    "validate_statement",
    "validate_uuid",
]
