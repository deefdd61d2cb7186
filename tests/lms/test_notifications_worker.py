"""A real Celery worker delivers a notification's e-mail with its one-click unsubscribe header
fields (RFC 2369 §3.2, RFC 8058 §3.1): the headers cross the broker with the rendered parts."""

import os
import time
from email import message_from_bytes, policy

import pytest
from django.db import transaction
from kombu import Connection

from lms.api import notify
from lms.celery import app
from lms.tasks import send_email
from tests.lms.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_dir(monkeypatch, tmp_path):
    """Where the worker writes the e-mails it sends (set before worker_queue starts it)."""
    monkeypatch.setenv("EMAIL_URL", f"filemail:///{tmp_path}")
    return tmp_path


def test_a_real_worker_sends_the_unsubscribe_header_fields(mail_dir, worker_queue, monkeypatch):
    person = UserFactory()
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with Connection(os.environ["TEST_CELERY_BROKER_URL"]) as broker:
            monkeypatch.setattr(
                send_email,
                "delay",
                lambda **kwargs: send_email.apply_async(
                    kwargs=kwargs, queue=worker_queue, connection=broker
                ),
            )
            with transaction.atomic():
                notify(
                    "certificate_expiring",
                    recipient=person,
                    template="lms/email/verify_email",
                    context={"user": person, "url": "http://testserver/x/", "hours": 72},
                    url="/certificates/",
                )
    finally:
        app.conf.task_always_eager = previous

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(mail_dir.iterdir()):
        time.sleep(0.1)
    (sent,) = mail_dir.iterdir()
    message = message_from_bytes(sent.read_bytes(), policy=policy.default)
    assert message["To"] == person.email
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long field may be folded onto the next line (RFC 5322 §2.2.3): unfolded, one address.
    link = str(message["List-Unsubscribe"]).strip()
    assert link.startswith("<http://testserver/notifications/unsubscribe/")
    assert link.endswith(">")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "/notifications/preferences/" in text
