"""What certificates.credentials asks of the subjects above it: the audit decisions a learner
sees beside their certificates on /certificates/. ``certificates.audit`` registers its reader in
``CertificatesConfig.ready()``; until then there are none. Registering again replaces."""

from collections.abc import Callable, Sequence

from lms.api import User

LearnerOutcomes = Callable[[User], Sequence[object]]


def _none(learner: User) -> Sequence[object]:
    return ()


_readers: dict[str, LearnerOutcomes] = {"outcomes": _none}


def register_learner_outcomes(reader: LearnerOutcomes) -> None:
    _readers["outcomes"] = reader


def learner_outcomes(learner: User) -> Sequence[object]:
    """The decided audit outcomes of ``learner``'s records and CPD profiles."""
    return _readers["outcomes"](learner)
