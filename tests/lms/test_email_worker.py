"""A real Celery worker delivers a templated e-mail: the rendered parts cross the broker and
leave as one multipart message, text and HTML."""

import os
import time
from email import message_from_bytes, policy

import pytest
from django.db import transaction
from kombu import Connection

from lms.celery import app
from lms.email import send_templated_email
from lms.tasks import send_email
from tests.lms.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NAME = '<b>Ana & "Ion"</b>'


@pytest.fixture
def mail_dir(monkeypatch, tmp_path):
    """Where the worker writes the e-mails it sends (set before worker_queue starts it)."""
    monkeypatch.setenv("EMAIL_URL", f"filemail:///{tmp_path}")  # an absolute path
    return tmp_path


def test_a_real_worker_sends_the_text_and_html_parts(mail_dir, worker_queue, monkeypatch):
    user = UserFactory(display_name=NAME, preferred_language="ro")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with Connection(os.environ["TEST_CELERY_BROKER_URL"]) as broker:
            # The call queued on commit goes to this test's queue and broker.
            monkeypatch.setattr(
                send_email,
                "delay",
                lambda **kwargs: send_email.apply_async(
                    kwargs=kwargs, queue=worker_queue, connection=broker
                ),
            )
            with transaction.atomic():
                send_templated_email(
                    "lms/email/verify_email",
                    to=[user.email],
                    context={"user": user, "url": "http://testserver/verify/x/", "hours": 72},
                    language=user.preferred_language,
                )
                assert not any(mail_dir.iterdir())  # nothing leaves before the commit
    finally:
        app.conf.task_always_eager = previous

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(mail_dir.iterdir()):
        time.sleep(0.1)
    (sent,) = mail_dir.iterdir()
    message = message_from_bytes(sent.read_bytes(), policy=policy.default)
    assert message["To"] == user.email
    assert message["Subject"] == "Confirmă-ți adresa de e-mail"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert text.startswith(f"Bună, {NAME},\n")
    assert '<html lang="ro"' in html
    assert "Bună, &lt;b&gt;Ana &amp; &quot;Ion&quot;&lt;/b&gt;," in html
