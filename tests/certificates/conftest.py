"""Signing keys for the certificates tests, made once and reused.

Making an RSA 2048 key takes about 75 ms and the first load of each (cryptography checks the key)
about 50 ms; many tests here sign, each with an empty database, so each would pay both. Here the
n-th key a test makes is the n-th key of every test: the same real key pair, made by keys.py
itself the first time it is asked for (so a test of the key's size or exponent still tests what
keys.py makes), encrypted under the SECRET_KEY in force then. Each test starts with an empty
database (and transactional tests end by emptying it), so no kid is ever seen twice in one."""

from collections import Counter

import pytest
from django.conf import settings

from certificates.credentials import keys

_made: dict[tuple[str, str, int], tuple[dict[str, str], str]] = {}


@pytest.fixture(autouse=True)
def _reused_key_pairs(monkeypatch):
    made_here: Counter[str] = Counter()
    make = keys._new_key_pair

    def reused(algorithm):
        slot = (algorithm, settings.SECRET_KEY, made_here[algorithm])
        made_here[algorithm] += 1
        if slot not in _made:
            _made[slot] = make(algorithm)
        jwk, pem = _made[slot]
        return dict(jwk), pem  # a copy: a test that changes its key's JWK changes no other

    monkeypatch.setattr(keys, "_new_key_pair", reused)
