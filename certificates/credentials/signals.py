"""What certificates.credentials announces to the subjects above it (the CPD ledger follows
them; ``CertificatesConfig.ready()`` connects its receiver).

Each is sent by ``certificates.credentials.services`` with ``certificate=`` inside the
transaction that changes the certificate, so a receiver's writes commit or roll back with it.
"""

from django.dispatch import Signal

# A new certificate was issued (also the new one of a reissue).
certificate_issued = Signal()
# A certificate was revoked.
certificate_revoked = Signal()
# A certificate was replaced by a reissue (``certificate`` is the old one, marked replaced).
certificate_replaced = Signal()
