"""Every URL of certificates, mounted at the site root by lms.urls. Paths and names are those
each sub-package's urls.py lists; the mount points and namespaces are decided here:

- /verify/…, /api/verify/…, /.well-known/…, /credentials/… (no namespace): credentials;
- /certificates/ (``my-certificates:``): the learner's certificates (credentials);
- /certificates/audit-requests/ (no namespace, names ``audit-request…``): the learner's
  answers to auditors' requests for more information (audit);
- /cpd/ (no namespace, names ``cpd-…``): the CPD ledger;
- /accreditation/ (``certificates:``): the accreditor's workspace (audit) and the staff's
  issue page (credentials);
- /accreditation/… (no namespace, names ``audit-…``): audits, bundles and rounds.
"""

from django.urls import include, path

from certificates.audit import urls as audit_urls
from certificates.credentials import urls as credentials_urls

urlpatterns = [
    path("", include(credentials_urls.urlpatterns)),
    path("certificates/", include((credentials_urls.learner_patterns, "my-certificates"))),
    path("certificates/audit-requests/", include(audit_urls.learner_patterns)),
    path("cpd/", include("certificates.cpd.urls")),
    path(
        "accreditation/",
        include(
            ([*audit_urls.workspace_patterns, *credentials_urls.staff_patterns], "certificates")
        ),
    ),
    path("accreditation/", include(audit_urls.urlpatterns)),
]
