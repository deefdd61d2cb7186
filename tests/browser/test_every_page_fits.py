"""Every page of every role fits a phone (375 px) and a desktop (1,280 px) without scrolling
sideways, and weighs (HTML and CSS) under 100 KB.

The pages are not picked by hand: the test walks the URL patterns, fills each parameter from
objects it made (the demo's people and organisation, plus a certificate, audit rounds, a bundle,
an invitation, a seat and a report export), asks each role for each page with the test client,
and opens in the browser every page that role gets as HTML. A new page with a parameter fails the
test until ``_parameters`` fills it (or ``SKIPPED`` says why not)."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from certificates.api import add_accreditor
from certificates.audit.answers import answer_request
from certificates.audit.bundles import request_bundle
from certificates.audit.rounds import decide, draw_round
from certificates.cpd.models import CpdEntry, RequirementRuleSet
from certificates.credentials import services as issuance
from certificates.credentials.models import Certificate
from courses.models import LearningJourney
from frameworks.models import Framework
from lms.demo import DEMO_DOMAIN
from lms.models import Notification, User
from lms.notifications.tokens import make_token
from organisations.core.models import Organisation, Unit
from organisations.invitations.services import invite
from organisations.reports.models import ReportExport
from organisations.seats.models import SeatPool
from organisations.seats.services import assign_seat
from progress.models import CompletionRecord
from tests.browser.fit import sideways_overflow
from tests.certificates.evidence import completed
from tests.certificates.factories import AccreditationFactory, IssuanceRuleFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1280]
PAGE_BUDGET_BYTES = 100 * 1024
ROLES = ["learner", "supervisor", "orgadmin", "accreditor", "staff"]

# Whole families that are not pages of the site: the REST API, the LRS, Django's admin.
SKIPPED_NAMESPACES = {"admin", "api", "xapi"}
SKIPPED_NAMESPACE_SUFFIX = "-api"
# Single URL names that are not pages people see, and why.
SKIPPED = {
    "logout": "ends the session",
    "log_out_everywhere": "ends the session",
    "set_language": "a form target",
    "healthz": "a probe",
    "verify_email": "a one-time link from an e-mail",
    "password_reset_confirm": "a one-time link from an e-mail",
    "organisations:invitation-accept": "a one-time link from an e-mail (its token is not kept)",
    "cmi5-fetch": "a one-time token for content",
    "content:file": "a course's own files",
    "credential-key": "JSON",
    "cpd-transcript": "a download",
    "api-verify": "JSON",
    "chain-head-api": "JSON",
    "courses:launch": "starts a session and leaves for the content",
    "translation:download": "a download",
    "content_translation:export": "a download",
    "translation:upload": "a form target (POST)",
    "translation:apply": "a form target (POST)",
    # django-rosetta's editor is the library's own interface (lms/translation, README).
    "rosetta-old-home-redirect": "django-rosetta's own pages",
    "rosetta-file-list-redirect": "django-rosetta's own pages",
    "rosetta-file-list": "django-rosetta's own pages",
    "rosetta-form": "django-rosetta's own pages",
    "rosetta-download-file": "django-rosetta's own pages",
    "rosetta.translate_text": "django-rosetta's own pages",
}


def _user(role: str) -> User:
    return User.objects.get(email=f"{role}@{DEMO_DOMAIN}")


def _world() -> dict[str, dict[str, object]]:
    """The demo, plus what it lacks for every page to have something to show; returns each
    parameterised URL name's keyword arguments."""
    call_command("demo", "--force", stdout=StringIO())
    learner, accreditor, admin = _user("learner"), _user("accreditor"), _user("orgadmin")
    # An accreditation as the audit's tests make it, with completions (long names), one of
    # them the demo learner's, certified.
    accreditation = AccreditationFactory(
        reference="CNASR-2024-17-SUPERVIZARE-SI-PRACTICA-REFLEXIVA",
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2030, 12, 31),
    )
    IssuanceRuleFactory(course=accreditation.course, accreditation=accreditation)
    add_accreditor(body=accreditation.body, user=accreditor)
    records = [
        completed(accreditation, name=name, day=day)
        for day, name in enumerate(["Alexandra-Ioana Constantinescu-Popovici", "Dan Radu"], 3)
    ]
    record = completed(accreditation, name="Ana", day=5, certify=False)
    CompletionRecord.objects.filter(pk=record.pk).update(learner=learner)
    record.refresh_from_db()
    issuance.issue_certificate(record=record)
    certificate = Certificate.objects.get(record=record)
    audit_round = draw_round(by=accreditor, accreditation=accreditation, size=3, seed=7)
    # The learner is asked for more information about their record, and answers with a file.
    asked = decide(
        sample=audit_round.samples.get(record=record),
        decision="more_information",
        notes="Trimite fișa de prezență a sesiunii practice de supervizare și reflecție " * 3,
        by=accreditor,
    )
    answer = answer_request(
        sample=asked,
        by=learner,
        text="Fișa-de-prezență-semnată-de-supervizor-și-de-toți-participanții " * 3,
        file=ContentFile(b"%PDF-1.4", name="fisa-de-prezenta-supervizare-practica-2024.pdf"),
    )
    rule_set = RequirementRuleSet.objects.first()
    assert rule_set is not None
    cpd_round = draw_round(by=accreditor, rule_set=rule_set, size=1, seed=7)
    cpd_sample = cpd_round.samples.first()
    bundle = request_bundle(accreditation=accreditation, by=accreditor, audit_round=audit_round)
    organisation = Organisation.objects.first()
    assert organisation is not None
    invitation, _token = invite(
        organisation=organisation,
        email="alexandra-ioana.constantinescu-popovici@example.org",
        name="Alexandra-Ioana Constantinescu-Popovici",
        by=admin,
    )
    pool = SeatPool.objects.get(organisation=organisation)
    seat = assign_seat(pool=pool, member=learner, by=admin)
    export = ReportExport.objects.create(
        organisation=organisation, requested_by=admin, kind="team", format="csv"
    )
    course = accreditation.course
    entry = CpdEntry.objects.filter(learner=learner).first()
    pending = CpdEntry.objects.filter(discussion_with__isnull=False).last()
    assert entry is not None
    assert pending is not None
    assert cpd_sample is not None
    evidenced = CpdEntry.objects.filter(learner=cpd_sample.registration.learner).first()
    assert evidenced is not None
    journey = LearningJourney.objects.first()
    framework = Framework.objects.first()
    assert journey is not None
    assert framework is not None
    unit = Unit.objects.filter(organisation=organisation).first()
    assert unit is not None
    org = {"public_id": organisation.public_id}
    told = Notification.objects.filter(recipient=learner).first()  # the certificate, the seat
    assert told is not None
    return {
        **{
            f"notifications:{name}": {"notification_id": told.pk}
            for name in ("read", "open")
        },
        "notifications:unsubscribe": {
            "token": make_token(user_id=learner.pk, kind="certificate_issued")
        },
        "frameworks:course-alignments": {"slug": course.slug},
        "frameworks:course-alignment-remove": {"slug": course.slug, "pk": 1},
        "frameworks:detail": {"identifier": framework.identifier},
        **{
            f"content_translation:{name}": {"language": "ro"}
            for name in ("language", "import")
        },
        "content_translation:edit": {"language": "ro", "key": "course", "pk": course.pk},
        "courses:journey": {"slug": journey.slug},
        "courses:journey-join": {"slug": journey.slug},
        "courses:detail": {"slug": course.slug},
        "courses:settings": {"slug": course.slug},
        "courses:unit": {"slug": course.slug, "index": 0},
        "courses:enrol": {"slug": course.slug},
        "progress:course-learners": {"slug": course.slug},
        "progress:course-learner": {"slug": course.slug, "learner": learner.public_id},
        "progress:abandon-session": {
            "slug": course.slug, "learner": learner.public_id, "session": learner.public_id,
        },
        "progress:waive-unit": {"slug": course.slug, "learner": learner.public_id, "index": 0},
        **{
            f"organisations:{name}": org
            for name in (
                "detail", "units", "assignments", "invitations", "invitations-preview",
                "invitations-confirm", "seats", "team-report", "team-remind", "summary-report",
                "coverage-report", "audit-outcomes", "access-log", "team-cpd",
            )
        },
        "organisations:unit-remove-member": {**org, "unit_id": unit.public_id},
        "organisations:unit-delete": {**org, "unit_id": unit.public_id},
        "organisations:invitation-resend": {**org, "invitation_id": invitation.public_id},
        "organisations:my-invitation-accept": {"invitation_id": invitation.public_id},
        "organisations:invitation-revoke": {**org, "invitation_id": invitation.public_id},
        "organisations:seat-pool": {**org, "pool": pool.public_id},
        "organisations:seat-assign": {**org, "pool": pool.public_id},
        "organisations:seat-renew": {**org, "pool": pool.public_id},
        **{
            f"organisations:{name}": {**org, "pool": pool.public_id, "seat_id": seat.pk}
            for name in ("seat-history", "seat-release", "seat-revoke")
        },
        "organisations:report-export": {**org, "export_id": export.public_id},
        "organisations:report-export-download": {**org, "export_id": export.public_id},
        "verify": {"code": certificate.verification_code},
        "credential-download": {"public_id": certificate.public_id},
        "my-certificates:pdf": {"public_id": certificate.public_id},
        "cpd-entry-edit": {"public_id": entry.public_id},
        "cpd-entry-delete": {"public_id": entry.public_id},
        "cpd-entry-evidence": {"public_id": entry.public_id},
        "cpd-confirmation-answer": {"public_id": pending.public_id},
        "cpd-transcript-other": {"slug": rule_set.slug},
        "cpd-unregister": {"slug": rule_set.slug},
        "audit-record": {"record_id": records[0].public_id},
        "audit-accreditation": {"public_id": accreditation.public_id},
        "audit-bundle-new": {"public_id": accreditation.public_id},
        "audit-bundle": {"bundle_id": bundle.public_id},
        "audit-bundle-download": {"bundle_id": bundle.public_id},
        "audit-round-new": {"public_id": accreditation.public_id},
        "audit-round": {"round_id": audit_round.public_id},
        "audit-round-decide": {
            "round_id": audit_round.public_id, "sample_id": audit_round.samples.first().pk,
        },
        "audit-round-close": {"round_id": audit_round.public_id},
        "audit-cpd-round-new": {"public_id": rule_set.public_id},
        "audit-request": {"round_id": audit_round.public_id, "sample_id": asked.pk},
        "audit-answer-file": {"answer_id": answer.public_id},
        "audit-round-answer-file": {
            "round_id": audit_round.public_id, "answer_id": answer.public_id,
        },
        "audit-cpd-profile": {"round_id": cpd_round.public_id, "sample_id": cpd_sample.pk},
        "audit-cpd-evidence": {
            "round_id": cpd_round.public_id, "sample_id": cpd_sample.pk,
            "entry_id": evidenced.public_id,
        },
    }  # fmt: skip


def _names(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            space = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            found += _names(pattern, space)
        elif pattern.name:
            found.append((f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern))
    return found


def _skipped(name: str) -> bool:
    namespace = name.rpartition(":")[0]
    return (
        name in SKIPPED
        or namespace in SKIPPED_NAMESPACES
        or namespace.endswith(SKIPPED_NAMESPACE_SUFFIX)
    )


def _pages(parameters: dict[str, dict[str, object]]) -> tuple[list[str], list[str]]:
    """Every page's URL, and the names this test does not know how to fill."""
    urls, unknown = [], []
    for name, pattern in _names(get_resolver()):
        if _skipped(name):
            continue
        wanted = set(pattern.pattern.regex.groupindex)
        if wanted and name not in parameters:
            unknown.append(name)
            continue
        urls.append(reverse(name, kwargs=parameters.get(name) or None))
    return sorted(set(urls)), unknown


def _weight(html: str) -> int:
    """The HTML and its site stylesheets, in bytes."""
    size = len(html.encode("utf-8"))
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        path = finders.find(href.removeprefix(settings.STATIC_URL))
        assert path, href
        size += Path(path).stat().st_size
    return size


def test_no_page_of_any_role_scrolls_sideways_or_weighs_over_100_kb(browser, live_server):
    parameters = _world()
    urls, unknown = _pages(parameters)
    assert unknown == [], f"Fill these pages' parameters (or skip them, saying why): {unknown}"
    failures: list[str] = []
    seen = 0
    for role in ROLES:
        client = Client()
        client.force_login(_user(role))
        pages = []
        for url in urls:
            response = client.get(url)
            response.close()  # a download's file handle
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages.append(url)
            weight = _weight(response.content.decode("utf-8"))
            if weight > PAGE_BUDGET_BYTES:
                failures.append(f"{role} {url}: {weight:,} bytes")
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        for width in WIDTHS:
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": width, "height": 800}
            )
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            for url in pages:
                page.goto(url)
                overflow, culprits = sideways_overflow(page)
                if overflow > 0:
                    failures.append(
                        f"{role} at {width} px {url}: {overflow} px too wide {culprits}"
                    )
            context.close()
        seen += len(pages)
    assert seen > 5 * len(ROLES), seen
    assert failures == [], "\n".join(failures)
