from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates and accreditation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certificates import translations

        translations.register()
        from certificates.audit.rounds import outcomes_for_learner
        from certificates.audit.selectors import roles_from_accreditation
        from certificates.audit.todo import accreditor_todo, learner_audit_todo
        from certificates.cpd import home as cpd_home
        from certificates.cpd import services as cpd_services
        from certificates.cpd.ledger import on_certificate_changed
        from certificates.cpd.todo import cpd_todo
        from certificates.credentials import chain, signals
        from certificates.credentials.lookup import CertificateLookup
        from certificates.credentials.ports import register_learner_outcomes
        from certificates.credentials.selectors import AccreditationLookup
        from certificates.tasks import on_completion_recorded
        from courses.api import register_accreditation_lookup, register_certificate_lookup
        from lms.api import (
            NavItem,
            Role,
            email_verified,
            register_home_section,
            register_nav_item,
            register_role_provider,
            register_todo_provider,
        )
        from progress.api import completion_recorded, register_live_reader

        register_role_provider("certificates", roles_from_accreditation)  # type: ignore[arg-type]
        register_nav_item(
            NavItem(
                _("Accreditation"), "certificates:workspace", frozenset({Role.ACCREDITOR}), order=45
            )
        )
        register_nav_item(
            NavItem(
                _("My certificates"), "my-certificates:list", frozenset({Role.LEARNER}), order=27
            )
        )
        register_nav_item(NavItem(_("My CPD"), "cpd-ledger", frozenset({Role.LEARNER}), order=28))
        register_nav_item(
            NavItem(
                _("Issue a certificate"), "certificates:issue", frozenset({Role.STAFF}), order=87
            )
        )
        # Anyone, signed in or not, may check a certificate they were shown.
        register_nav_item(NavItem(_("Verify a certificate"), "verify-start", public=True, order=95))
        register_home_section("certificates.cpd", cpd_home.home_section, order=20)
        register_todo_provider("certificates.cpd", cpd_todo)
        register_todo_provider("certificates.audit.learner", learner_audit_todo)
        register_todo_provider(
            "certificates.audit.accreditor", accreditor_todo, roles=frozenset({Role.ACCREDITOR})
        )
        register_accreditation_lookup(AccreditationLookup())
        register_certificate_lookup(CertificateLookup())
        for kind in (chain.ISSUED, chain.REVOKED, chain.REPLACED):
            register_live_reader(kind, chain.live_reader(kind))
        # A completion earns its certificate in the worker (the signal is sent on commit).
        completion_recorded.connect(
            on_completion_recorded, dispatch_uid="certificates.issue_on_completion"
        )
        # CPD discussions that named an address before its account confirmed it.
        email_verified.connect(
            cpd_services.on_email_verified, dispatch_uid="certificates.link_cpd_discussions"
        )
        # The CPD ledger follows the certificates, in the issuing transaction (synchronous
        # receivers of certificates.credentials.signals).
        for signal in (
            signals.certificate_issued,
            signals.certificate_revoked,
            signals.certificate_replaced,
        ):
            signal.connect(on_certificate_changed, dispatch_uid="certificates.cpd_ledger_follows")
        # The audit decisions a learner sees on /certificates/.
        register_learner_outcomes(outcomes_for_learner)
        # What each subject tells people of (lms.api.notify).
        from certificates.audit import notifications as audit_kinds
        from certificates.cpd import notifications as cpd_kinds
        from certificates.credentials import notifications as credential_kinds

        for subject in (credential_kinds, cpd_kinds, audit_kinds):
            subject.register_kinds()
