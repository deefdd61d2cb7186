"""The site's Ed25519 signing keys: encrypted at rest, published without private material,
rotated without losing what old keys signed."""

import json
from io import StringIO

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from jwcrypto import jwk

from certificates import keys
from certificates.models import SigningKey

pytestmark = pytest.mark.django_db

OTHER_SECRET = "another-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-for-tests-only"


def test_active_key_creates_the_first_key_once():
    assert not SigningKey.objects.exists()
    first = keys.active_key()
    assert keys.active_key() == first
    assert SigningKey.objects.count() == 1
    assert first.retired_at is None


def test_private_key_is_stored_as_encrypted_pkcs8():
    key = keys.active_key()
    pem = key.private_key.encode()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):  # a database dump alone: no password
        serialization.load_pem_private_key(pem, password=None)
    with pytest.raises(ValueError, match="password"):  # a guessed password
        serialization.load_pem_private_key(pem, password=b"practica")
    with pytest.raises(ValueError, match="password"):  # derived from some other secret
        serialization.load_pem_private_key(pem, password=keys._password(OTHER_SECRET))


def test_private_key_opens_with_the_password_derived_from_secret_key(settings):
    key = keys.active_key()
    private = serialization.load_pem_private_key(
        key.private_key.encode(), password=keys._password(settings.SECRET_KEY)
    )
    assert isinstance(private, Ed25519PrivateKey)
    assert keys.public_jwk_of(private.public_key()) == key.public_jwk


def test_key_cannot_sign_once_secret_key_changes(settings):
    key = keys.active_key()
    settings.SECRET_KEY = OTHER_SECRET
    with pytest.raises(keys.SigningKeyUnavailableError, match="SECRET_KEY_FALLBACKS"):
        keys.private_key_of(key)


def test_old_secret_in_fallbacks_still_decrypts(settings):
    key = keys.active_key()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = OTHER_SECRET
    assert keys.public_jwk_of(keys.private_key_of(key).public_key()) == key.public_jwk


def test_kid_is_the_rfc7638_thumbprint_an_independent_library_computes():
    key = keys.active_key()
    assert key.kid == jwk.JWK(**key.public_jwk).thumbprint()


def test_jwks_publishes_every_key_with_public_members_only():
    first = keys.active_key()
    second = keys.rotate_signing_key()
    published = keys.public_jwks()["keys"]
    assert [k["kid"] for k in published] == [keys.key_url(second.kid), keys.key_url(first.kid)]
    for entry in published:
        assert set(entry) == {"kid", "kty", "crv", "x", "alg", "use"}
        assert (entry["kty"], entry["crv"], entry["alg"], entry["use"]) == (
            "OKP",
            "Ed25519",
            "EdDSA",
            "sig",
        )
        assert "d" not in entry
    keyset = jwk.JWKSet.from_json(json.dumps(keys.public_jwks()))
    assert all(not k.has_private for k in keyset)
    assert keyset.get_key(keys.key_url(first.kid)) is not None


def test_published_key_never_carries_private_material_stored_by_mistake():
    key = keys.active_key()
    key.public_jwk = {**key.public_jwk, "d": "c2VjcmV0"}
    key.save()
    assert "d" not in keys.published_jwk(key)
    assert all("d" not in entry for entry in keys.public_jwks()["keys"])


def test_rotation_retires_the_active_key_and_erases_its_private_half():
    old = keys.active_key()
    new = keys.rotate_signing_key()
    old.refresh_from_db()
    assert new.kid != old.kid
    assert old.retired_at is not None
    assert old.private_key == ""
    assert old.public_jwk["x"]  # still published: what it signed stays verifiable
    assert keys.active_key() == new
    with pytest.raises(keys.SigningKeyUnavailableError, match="retired"):
        keys.private_key_of(old)


def test_rotation_without_any_key_makes_the_first():
    key = keys.rotate_signing_key()
    assert keys.active_key() == key
    assert SigningKey.objects.count() == 1


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
