"""E-mails as templates, and the one way they are sent.

Each e-mail is three templates in the owning app's ``templates/<app>/email/`` folder:
``<name>_subject.txt`` (one line), ``<name>.txt`` (the text part, ``{% autoescape off %}``) and
``<name>.html`` (the HTML part, extending ``lms/email/base.html``, autoescaped). They are
rendered here, in the recipient's language, before the e-mail is queued: the ``lms.send_email``
task only delivers, once the transaction that caused the e-mail commits.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from lms.tasks import send_email


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, *, context: dict[str, Any], language: str | None) -> RenderedEmail:
    """The parts of ``template`` ("certificates/email/expiry_reminder") in ``language`` (the
    site's when empty). The subject is one line whatever the data in it: a header cannot hold a
    line break (RFC 5322 §2.2)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        parts = {**context, "email_subject": subject}
        return RenderedEmail(
            subject=subject,
            text=render_to_string(f"{template}.txt", parts),
            html=render_to_string(f"{template}.html", parts),
        )


def send_templated_email(
    template: str,
    *,
    to: list[str],
    context: dict[str, Any],
    language: str | None,
    from_email: str = "",
) -> None:
    """Render ``template`` now, in ``language`` (the recipient's ``preferred_language``; the
    site's when None), and send it once the current transaction commits, by the worker."""
    email = render_email(template, context=context, language=language)
    queue_email(email, to=to, from_email=from_email)


def queue_email(
    email: RenderedEmail,
    *,
    to: list[str],
    from_email: str = "",
    headers: dict[str, str] | None = None,
) -> None:
    """Send a rendered e-mail, with extra ``headers`` if any, once the current transaction
    commits, by the worker."""
    recipients = list(to)
    extra = dict(headers or {})
    transaction.on_commit(
        lambda: send_email.delay(
            subject=email.subject,
            body=email.text,
            html_body=email.html,
            to=recipients,
            from_email=from_email,
            **({"headers": extra} if extra else {}),
        )
    )
