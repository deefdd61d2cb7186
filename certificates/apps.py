from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates and accreditation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certificates.cpd import services as cpd_services
        from certificates.credentials import chain
        from certificates.credentials.selectors import AccreditationLookup, roles_from_accreditation
        from certificates.tasks import on_completion_recorded
        from courses.api import register_accreditation_lookup
        from lms.api import (
            NavItem,
            Role,
            email_verified,
            register_nav_item,
            register_role_provider,
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
        register_accreditation_lookup(AccreditationLookup())
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
