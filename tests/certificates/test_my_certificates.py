"""A learner's certificates page and downloads: their own only."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from certificates.models import CertificateStatus
from tests.certificates.stored import stored_certificate
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_learner_lists_and_downloads_their_own_certificates(client):
    mine = stored_certificate(credential="eyJhbGciOiJFZERTQSJ9.e30.c2ln")
    mine.pdf.save("x.pdf", ContentFile(b"%PDF-1.7 as issued"))
    replaced = stored_certificate(learner=mine.learner, status=CertificateStatus.REPLACED)
    someone_elses = stored_certificate()
    client.force_login(mine.learner)
    html = client.get(reverse("my-certificates:list")).content.decode()
    assert mine.serial in html
    assert replaced.serial not in html
    assert someone_elses.serial not in html
    pdf = client.get(reverse("my-certificates:pdf", args=[mine.public_id]))
    assert b"".join(pdf.streaming_content) == b"%PDF-1.7 as issued"
    jwt = client.get(reverse("credential-download", args=[mine.public_id]))
    assert jwt.content == b"eyJhbGciOiJFZERTQSJ9.e30.c2ln"
    for name in ("my-certificates:pdf", "credential-download"):
        assert client.get(reverse(name, args=[someone_elses.public_id])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("my-certificates:list"))
    assert response.status_code == 302


def test_staff_may_fetch_any_pdf(client):
    certificate = stored_certificate()
    certificate.pdf.save("y.pdf", ContentFile(b"%PDF"))
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("my-certificates:pdf", args=[certificate.public_id]))
    assert b"".join(response.streaming_content) == b"%PDF"
