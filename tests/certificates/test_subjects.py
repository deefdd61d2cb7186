"""The subjects of certificates (credentials, cpd, audit) and how they meet: issuing announces
certificate events with certificates.credentials.signals, the CPD ledger follows them in the
issuing transaction, and credentials imports neither the ledger nor the audits."""

import sys
from decimal import Decimal
from pathlib import Path

import grimp
import pytest
from django.db import transaction

from certificates.credentials import services as issuance
from certificates.credentials import signals
from certificates.models import Certificate, CertificateStatus, CpdEntry, CpdSource
from tests.certificates.factories import AccreditationFactory, IssuanceRuleFactory, make_record
from tests.lms.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def issued(learner=None):
    accreditation = AccreditationFactory(cpd_value=Decimal("3.00"))
    rule = IssuanceRuleFactory(course=accreditation.course, accreditation=accreditation)
    record = make_record(learner=learner or UserFactory(), course=rule.course)
    return issuance.issue_certificate(record=record)


@pytest.mark.django_db
def test_issuing_a_certificate_puts_it_in_the_learners_cpd_ledger():
    learner = UserFactory()
    certificate = issued(learner)
    entry = CpdEntry.objects.get()
    assert (entry.certificate, entry.learner, entry.source) == (
        certificate, learner, CpdSource.CERTIFICATE,
    )  # fmt: skip
    assert entry.hours == Decimal("3.00")


@pytest.mark.django_db
def test_revoking_and_reissuing_reach_the_ledger_through_the_signals():
    heard = []

    def listen(sender, *, certificate, **kwargs):
        heard.append(
            (kwargs["signal"], certificate.pk, transaction.get_connection().in_atomic_block)
        )

    for signal in (
        signals.certificate_issued,
        signals.certificate_revoked,
        signals.certificate_replaced,
    ):
        signal.connect(listen, dispatch_uid="test-listen")
    try:
        staff = UserFactory(is_staff=True)
        certificate = issued()
        new = issuance.reissue_certificate(certificate=certificate, by=staff)
        assert CpdEntry.objects.get().certificate == new
        issuance.revoke_certificate(certificate=new, reason="Issued in error", by=staff)
        assert not CpdEntry.objects.exists()
    finally:
        for signal in (
            signals.certificate_issued,
            signals.certificate_revoked,
            signals.certificate_replaced,
        ):
            signal.disconnect(dispatch_uid="test-listen")
    assert [(signal, pk) for signal, pk, _atomic in heard] == [
        (signals.certificate_issued, certificate.pk),
        (signals.certificate_issued, new.pk),
        (signals.certificate_replaced, certificate.pk),
        (signals.certificate_revoked, new.pk),
    ]
    # Sent inside the service's transaction, as the direct call was.
    assert all(atomic for _signal, _pk, atomic in heard)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REPLACED


@pytest.mark.django_db
def test_a_failing_ledger_rolls_the_issue_back(monkeypatch):
    from certificates.cpd import ledger

    def broken(certificate):
        raise RuntimeError("ledger down")

    monkeypatch.setattr(ledger, "sync_certificate_entry", broken)
    with pytest.raises(RuntimeError):
        issued()
    assert not CpdEntry.objects.exists()
    assert not Certificate.objects.exists()


def test_credentials_imports_neither_the_cpd_ledger_nor_the_audits():
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("certificates", include_external_packages=False)
    for upper in ("certificates.cpd", "certificates.audit"):
        assert not graph.chain_exists(
            importer="certificates.credentials", imported=upper, as_packages=True
        ), upper
    assert not graph.chain_exists(
        importer="certificates.cpd", imported="certificates.audit", as_packages=True
    )
