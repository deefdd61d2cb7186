"""The site's signing keys: RSA 2048 for RS256 (OB 3.0 §8.2.3), encrypted at rest, published
without private material, rotated without losing what old keys signed; Ed25519 keys made before
the switch stay published and give way to an RSA key at the first signature."""

import base64
import json
from io import StringIO

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from jwcrypto import jwk

from certificates.credentials import keys
from certificates.models import SigningKey

pytestmark = pytest.mark.django_db

OTHER_SECRET = "another-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-for-tests-only"
RSA_PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth"}  # RFC 7518 §6.3.2


def legacy_ed25519_key():
    """An Ed25519 key as the site made them before the switch to RS256, still active."""
    key = keys._create_key(keys.EDDSA)
    assert (key.algorithm, key.retired_at) == ("EdDSA", None)
    return key


def b64url_uint(text):
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def test_active_key_creates_the_first_key_once():
    assert not SigningKey.objects.exists()
    first = keys.active_key()
    assert keys.active_key() == first
    assert SigningKey.objects.count() == 1
    assert first.retired_at is None


def test_new_keys_are_rsa_2048_for_rs256(settings):
    key = keys.active_key()
    assert key.algorithm == SigningKey.Algorithm.RS256 == "RS256"
    private = keys.private_key_of(key)
    assert isinstance(private, RSAPrivateKey)
    assert private.key_size == 2048  # SEC-11 §6.1: at least 2048 bits
    assert private.public_key().public_numbers().e == 65537
    # RFC 7518 §6.3.1: kty, n, e, as Base64urlUInt (no leading zero octet); nothing private.
    assert set(key.public_jwk) == {"kty", "n", "e"}
    assert key.public_jwk["kty"] == "RSA"
    assert key.public_jwk["e"] == "AQAB"
    assert b64url_uint(key.public_jwk["n"]) == private.public_key().public_numbers().n
    assert len(base64.urlsafe_b64decode(key.public_jwk["n"] + "==")) == 256


def test_private_key_is_stored_as_encrypted_pkcs8():
    key = keys.active_key()
    pem = key.private_key.encode()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):  # a database dump alone: no password
        serialization.load_pem_private_key(pem, password=None)
    # A wrong password fails to decrypt; now and then (a few times in a thousand) it decrypts to
    # garbage with valid CBC padding, which then fails to parse: refused all the same.
    with pytest.raises(ValueError, match=r"password|deserialize"):  # a guessed password
        serialization.load_pem_private_key(pem, password=b"practica")
    with pytest.raises(ValueError, match=r"password|deserialize"):  # from some other secret
        serialization.load_pem_private_key(pem, password=keys._password(OTHER_SECRET))


def test_private_key_opens_with_the_password_derived_from_secret_key(settings):
    key = keys.active_key()
    private = serialization.load_pem_private_key(
        key.private_key.encode(), password=keys._password(settings.SECRET_KEY)
    )
    assert isinstance(private, RSAPrivateKey)
    assert keys.public_jwk_of(private.public_key()) == key.public_jwk


def test_a_key_is_decrypted_once_per_process(settings):
    """Loading an RSA key checks it (tens of ms): a process does it once per key, not per
    signature; a retired key is refused all the same."""
    key = keys.active_key()
    assert keys.private_key_of(key) is keys.private_key_of(SigningKey.objects.get(pk=key.pk))
    keys.rotate_signing_key()
    key.refresh_from_db()
    with pytest.raises(keys.SigningKeyUnavailableError, match="retired"):
        keys.private_key_of(key)


def test_key_cannot_sign_once_secret_key_changes(settings):
    key = keys.active_key()
    keys.private_key_of(key)  # decrypted once already: the new secret must still be used
    settings.SECRET_KEY = OTHER_SECRET
    with pytest.raises(keys.SigningKeyUnavailableError, match="SECRET_KEY_FALLBACKS"):
        keys.private_key_of(key)


def test_old_secret_in_fallbacks_still_decrypts(settings):
    key = keys.active_key()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = OTHER_SECRET
    assert keys.public_jwk_of(keys.private_key_of(key).public_key()) == key.public_jwk


def test_a_key_opens_only_as_the_kind_its_algorithm_names():
    legacy = legacy_ed25519_key()
    assert isinstance(keys.private_key_of(legacy), Ed25519PrivateKey)
    legacy.algorithm = SigningKey.Algorithm.RS256  # an Ed25519 key said to be RSA
    with pytest.raises(keys.SigningKeyUnavailableError, match="not a key for RS256"):
        keys.private_key_of(legacy)
    with pytest.raises(ValueError, match="not a key for RS256"):
        keys.public_key_of(legacy)


def test_kid_is_the_rfc7638_thumbprint_an_independent_library_computes():
    key = keys.active_key()
    assert key.kid == jwk.JWK(**key.public_jwk).thumbprint()
    legacy = legacy_ed25519_key()
    assert legacy.kid == jwk.JWK(**legacy.public_jwk).thumbprint()


def test_rsa_thumbprint_uses_e_kty_n_only():
    """RFC 7638 §3.2: the required members of an RSA key, in order; no other member counts."""
    other = jwk.JWK.generate(kty="RSA", size=2048).export_public(as_dict=True)
    assert keys.thumbprint(other) == jwk.JWK(**other).thumbprint()
    decorated = {**other, "alg": "RS256", "use": "sig", "kid": "http://testserver/whatever"}
    assert keys.thumbprint(decorated) == keys.thumbprint(other)


def test_jwks_publishes_every_key_with_public_members_only():
    first = keys.active_key()
    second = keys.rotate_signing_key()
    published = keys.public_jwks()["keys"]
    assert [k["kid"] for k in published] == [keys.key_url(second.kid), keys.key_url(first.kid)]
    for entry in published:
        assert set(entry) == {"kid", "kty", "n", "e", "alg", "use"}
        assert (entry["kty"], entry["e"], entry["alg"], entry["use"]) == (
            "RSA",
            "AQAB",
            "RS256",
            "sig",
        )
    keyset = jwk.JWKSet.from_json(json.dumps(keys.public_jwks()))
    assert all(not k.has_private for k in keyset)
    assert keyset.get_key(keys.key_url(first.kid)) is not None


def test_jwks_publishes_the_old_ed25519_key_beside_the_rsa_one():
    legacy = legacy_ed25519_key()
    current = keys.active_key()
    by_kid = {entry["kid"]: entry for entry in keys.public_jwks()["keys"]}
    assert set(by_kid) == {keys.key_url(legacy.kid), keys.key_url(current.kid)}
    assert by_kid[keys.key_url(legacy.kid)] == {
        "kid": keys.key_url(legacy.kid), "kty": "OKP", "crv": "Ed25519",
        "x": legacy.public_jwk["x"], "alg": "EdDSA", "use": "sig",
    }  # fmt: skip
    assert by_kid[keys.key_url(current.kid)] == {
        "kid": keys.key_url(current.kid), "kty": "RSA", "n": current.public_jwk["n"],
        "e": "AQAB", "alg": "RS256", "use": "sig",
    }  # fmt: skip
    keyset = jwk.JWKSet.from_json(json.dumps(keys.public_jwks()))
    assert {(k["kty"], k.get("alg")) for k in keyset} == {("OKP", "EdDSA"), ("RSA", "RS256")}
    assert all(not k.has_private for k in keyset)


def test_published_key_never_carries_private_material_stored_by_mistake():
    key = keys.active_key()
    key.public_jwk = {**key.public_jwk, **dict.fromkeys(RSA_PRIVATE_MEMBERS, "c2VjcmV0")}
    key.save()
    legacy = legacy_ed25519_key()
    legacy.public_jwk = {**legacy.public_jwk, "d": "c2VjcmV0"}
    legacy.save()
    assert not set(keys.published_jwk(key)) & RSA_PRIVATE_MEMBERS
    assert "d" not in keys.published_jwk(legacy)
    assert all(not set(entry) & RSA_PRIVATE_MEMBERS for entry in keys.public_jwks()["keys"])
    assert "c2VjcmV0" not in json.dumps(keys.public_jwks())


def test_rotation_retires_the_active_key_and_erases_its_private_half():
    old = keys.active_key()
    new = keys.rotate_signing_key()
    old.refresh_from_db()
    assert new.kid != old.kid
    assert new.algorithm == "RS256"
    assert old.retired_at is not None
    assert old.private_key == ""
    assert old.public_jwk["n"]  # still published: what it signed stays verifiable
    assert keys.active_key() == new
    with pytest.raises(keys.SigningKeyUnavailableError, match="retired"):
        keys.private_key_of(old)


def test_rotation_without_any_key_makes_the_first():
    key = keys.rotate_signing_key()
    assert keys.active_key() == key
    assert SigningKey.objects.count() == 1


def test_active_key_moves_from_an_ed25519_key_to_a_new_rsa_key(django_assert_num_queries):
    """A site upgraded with an Ed25519 key still active: the first signature is RS256."""
    legacy = legacy_ed25519_key()
    new = keys.active_key()
    legacy.refresh_from_db()
    assert new != legacy
    assert new.algorithm == "RS256"
    assert legacy.retired_at is not None  # it signs no more...
    assert legacy.private_key == ""
    assert keys.published_jwk(legacy)["x"] == legacy.public_jwk["x"]  # ...but stays published
    assert keys.verification_keys()[keys.key_url(legacy.kid)] == legacy
    assert SigningKey.objects.filter(retired_at__isnull=True).get() == new
    with django_assert_num_queries(1):  # from now on, as before: one query
        assert keys.active_key() == new


def test_rotation_retires_an_ed25519_key_too():
    legacy = legacy_ed25519_key()
    new = keys.rotate_signing_key()
    legacy.refresh_from_db()
    assert (legacy.retired_at is not None, legacy.private_key) == (True, "")
    assert new.algorithm == "RS256"
    assert keys.active_key() == new


def test_rotate_signing_key_command_prints_the_new_kid():
    old = keys.active_key()
    out = StringIO()
    call_command("rotate_signing_key", stdout=out, stderr=StringIO())
    new = keys.active_key()
    assert out.getvalue().strip() == new.kid
    assert new.kid != old.kid
    assert SigningKey.objects.filter(retired_at__isnull=True).get() == new


def test_verification_keys_accept_the_url_and_the_bare_kid():
    key = keys.active_key()
    found = keys.verification_keys()
    assert found[key.kid] == key
    assert found[keys.key_url(key.kid)] == key


@pytest.mark.django_db(transaction=True)
def test_migration_marks_the_keys_made_before_it_as_ed25519():
    """certificates 0007: rows that exist are EdDSA keys; rows made afterwards default to RS256."""
    before, after = (
        ("certificates", "0006_cpd_profile_audits"),
        ("certificates", "0007_signingkey_algorithm"),
    )
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([before])
        old_model = executor.loader.project_state([before]).apps.get_model(
            "certificates", "SigningKey"
        )
        old_model.objects.create(kid="old", private_key="", public_jwk={"kty": "OKP"})
        executor.loader.build_graph()
        executor.migrate([after])
        new_model = executor.loader.project_state([after]).apps.get_model(
            "certificates", "SigningKey"
        )
        assert new_model.objects.get(kid="old").algorithm == "EdDSA"
        assert new_model.objects.create(kid="new", public_jwk={}).algorithm == "RS256"
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
