"""Hypothesis settings and strategies shared by the property-based and fuzz tests.

Each test runs ``PROPERTY_EXAMPLES`` examples (25 by default: the suite stays fast), chosen
deterministically so that CI never fails on one run and passes on the next; a deeper, random
search: ``PROPERTY_EXAMPLES=1000 PROPERTY_RANDOM=1 make test-properties``. No example database
is kept, and Hypothesis's caches go to var/hypothesis (pyproject.toml), not into the checkout.
"""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "25"))

bounded = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("PROPERTY_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)

# Text as hostile content sends it: NUL and other control characters, lone surrogates are not
# in JSON text a client can send as UTF-8, so they are left to the byte-level strategies.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(
        alphabet=st.sampled_from("\x00\x01\n\r\t\u202e\ufeff<>&'\"%/\\?#:;= aé中𝄞"), max_size=40
    ),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "null",
            "[]",
            "{}",
            "0",
            "-1",
            "1e309",
            "9" * 40,
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999Z",
            "2026-02-30",
            "mailto:",
            "http://",
            "a" * 5000,
        ]
    ),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)

json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(hostile_text, children, max_size=4)
    ),
    max_leaves=12,
)

hostile_bytes = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"", b"\x00", b"\xff\xfe", b"{", b"[", b'{"a":', b"\xef\xbb\xbf{}"]),
)
