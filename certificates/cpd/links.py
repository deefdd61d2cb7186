"""Links to the CPD pages that the ledger's e-mails carry."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def _page_url(name: str, fallback: str) -> str:
    try:
        path = reverse(name)
    except NoReverseMatch:
        path = fallback
    return settings.SITE_URL.rstrip("/") + path


def confirmations_url() -> str:
    """Where a peer confirms or declines the discussions they were named in."""
    return _page_url("cpd-confirmations", "/cpd/confirmations/")


def ledger_url() -> str:
    """Where a learner sees their ledger and standing."""
    return _page_url("cpd-ledger", "/cpd/")


# --- activities -------------------------------------------------------------------------------
