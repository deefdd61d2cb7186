"""cmi5 launch (cmi5 §8, §10, §11): launch URL, fetch token, LMS.LaunchData, ``launched``."""

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import orjson
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courses.content import content_base
from courses.models import (
    CourseUnit,
    Enrolment,
    LaunchMode,
    LaunchSession,
    MoveOn,
    SessionState,
    UnitKind,
)
from courses.ports import lrs
from lms.api import InvalidInput, User, language_tag

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
LAUNCHED = "http://adlnet.gov/expapi/verbs/launched"
SESSION_KEY_PREFIX = "cmi5-session/"


PLATFORM_TRACKED = frozenset({UnitKind.LINK, UnitKind.VIDEO, UnitKind.DOCUMENT})


class LaunchError(InvalidInput, ValueError):
    """The launch is refused (an inactive unit, a registration that is not the learner's...)."""


@dataclass(frozen=True)
class Launch:
    session: LaunchSession
    url: str


def learner_agent(learner: User) -> dict[str, Any]:
    """cmi5 §9.2: the actor is an Agent identified by an account (never an e-mail here)."""
    return {"objectType": "Agent", "name": learner.display_name, "account": learner.xapi_account()}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def unit_url(unit: CourseUnit) -> str:
    """The AU's URL: absolute as given, or under the version's content directory."""
    if urlsplit(unit.url).scheme:
        return unit.url
    return urljoin(content_base(unit.course), unit.url)


def _grouping(unit: CourseUnit) -> dict[str, Any]:
    # cmi5 §9.6.2.2: the AU's publisher id goes in the grouping context activities.
    return {"objectType": "Activity", "id": unit.activity_iri}


def context_template(unit: CourseUnit, session: LaunchSession) -> dict[str, Any]:
    """cmi5 §10.2.1 contextTemplate: what the AU must merge into every statement's context."""
    return {
        "contextActivities": {"grouping": [_grouping(unit)]},
        "extensions": {f"{EXT}sessionid": str(session.public_id)},
    }


@transaction.atomic
def launch_unit(
    *,
    learner: User,
    unit: CourseUnit,
    registration: uuid.UUID | None = None,
    launch_mode: str = LaunchMode.NORMAL,
    return_url: str = "",
) -> Launch:
    """Start a cmi5 session for ``learner`` in ``unit`` and return the launch URL (cmi5 §8.1).

    Writes, through the LRS, LMS.LaunchData (§10), the learner preferences profile when there is
    none (§11), and the ``launched`` statement (§9.3.1), all before the URL is handed out.
    """
    if not unit.is_active:
        raise LaunchError("This unit is no longer part of the course.")
    if unit.kind in PLATFORM_TRACKED:
        raise LaunchError("Links, videos and documents are opened with open_platform_unit.")
    if launch_mode not in LaunchMode.values:
        raise LaunchError(
            f"launchMode must be one of {', '.join(LaunchMode.values)}.", field="launch_mode"
        )
    enrolment = Enrolment.objects.filter(learner=learner, course=unit.course_id).first()
    if enrolment is None:
        raise LaunchError("The learner is not enrolled in this course.")
    if registration is not None and registration != enrolment.registration:
        raise LaunchError(
            "That registration is not this learner's enrolment in this course.",
            field="registration",
        )
    # cmi5 §9.3.6: a new launch abandons a session of this registration that never terminated.
    for stale in LaunchSession.objects.select_for_update().filter(
        enrolment=enrolment,
        unit=unit,
        state__in=[SessionState.LAUNCHED, SessionState.INITIALIZED],
    ):
        lrs().abandon_session(session=stale)
    session = LaunchSession.objects.create(
        enrolment=enrolment,
        unit=unit,
        registration=enrolment.registration,
        launch_mode=launch_mode,
        fetch_token=secrets.token_urlsafe(32),
        return_url=return_url,
    )
    if unit.kind == UnitKind.XAPI:
        return _launch_xapi_package(session, unit, learner)
    _write_launch_data(session, unit, learner)
    actor = learner_agent(learner)
    launch_url = unit_url(unit)
    query = urlencode(
        {
            "endpoint": f"{settings.SITE_URL}/xapi/",
            "fetch": f"{settings.SITE_URL}{reverse('cmi5-fetch', args=[session.fetch_token])}",
            "actor": orjson.dumps(actor).decode(),
            "registration": str(session.registration),
            "activityId": unit.lms_activity_iri,
        }
    )
    separator = "&" if urlsplit(launch_url).query else "?"
    # launchParameters reach the AU through LMS.LaunchData, not the URL (cmi5 §10.2.3).
    url = f"{launch_url}{separator}{query}"
    # cmi5 §9.6.3.4: the launched statement names the URL without the launch's own parameters.
    _record_launched(session, unit, actor, launch_url)
    return Launch(session=session, url=url)


def _launch_xapi_package(session: LaunchSession, unit: CourseUnit, learner: User) -> Launch:
    """A plain xAPI package: the conventional ("Tin Can") launch query string, with the
    credentials in it, as such packages expect (no fetch URL, no LMS.LaunchData)."""
    secret = secrets.token_urlsafe(32)
    session.secret_hash = _hash(secret)
    session.fetched_at = timezone.now()
    session.state = SessionState.INITIALIZED
    session.save(update_fields=["secret_hash", "fetched_at", "state"])
    auth = base64.b64encode(f"{SESSION_KEY_PREFIX}{session.public_id}:{secret}".encode()).decode()
    launch_url = unit_url(unit)
    query = urlencode(
        {
            "endpoint": f"{settings.SITE_URL}/xapi/",
            "auth": f"Basic {auth}",
            "actor": orjson.dumps(learner_agent(learner)).decode(),
            "registration": str(session.registration),
            "activity_id": unit.activity_iri,
        }
    )
    separator = "&" if urlsplit(launch_url).query else "?"
    return Launch(session=session, url=f"{launch_url}{separator}{query}")


def _write_launch_data(session: LaunchSession, unit: CourseUnit, learner: User) -> None:
    data: dict[str, Any] = {
        "contextTemplate": context_template(unit, session),
        "launchMode": session.launch_mode,
        "moveOn": unit.move_on or MoveOn.NOT_APPLICABLE,
    }
    if unit.mastery_score is not None:
        data["masteryScore"] = float(unit.mastery_score)
    if session.return_url:
        data["returnURL"] = session.return_url
    if unit.launch_parameters:
        data["launchParameters"] = unit.launch_parameters
    if unit.entitlement_key:
        data["entitlementKey"] = {"courseStructure": unit.entitlement_key}
    agent = learner_agent(learner)
    lrs().put_state(
        activity_iri=unit.lms_activity_iri,
        agent=agent,
        registration=str(session.registration),
        state_id="LMS.LaunchData",
        document=data,
    )
    # cmi5 §11: languagePreference is a list of RFC 5646 tags: the learner's.
    language = language_tag(learner.preferred_language or settings.LANGUAGE_CODE)
    lrs().put_agent_profile(
        agent=agent,
        profile_id="cmi5LearnerPreferences",
        document={"languagePreference": language, "audioPreference": "on"},
    )


def _record_launched(
    session: LaunchSession, unit: CourseUnit, actor: dict[str, Any], url: str
) -> None:
    lrs().record_statement(
        statement={
            "id": str(uuid.uuid4()),
            "actor": actor,
            "verb": {"id": LAUNCHED, "display": {"en-US": "launched"}},
            "object": {
                "objectType": "Activity",
                "id": unit.lms_activity_iri,
                "definition": {
                    "name": unit.title,
                    **({"description": unit.description} if unit.description else {}),
                },
            },
            "context": {
                "registration": str(session.registration),
                "contextActivities": {
                    "grouping": [_grouping(unit)],
                    "category": [{"objectType": "Activity", "id": CMI5_CATEGORY}],
                },
                "extensions": {
                    f"{EXT}sessionid": str(session.public_id),
                    f"{EXT}launchurl": url,
                    f"{EXT}launchmode": session.launch_mode,
                    f"{EXT}moveon": unit.move_on,
                    **(
                        {f"{EXT}masteryscore": float(unit.mastery_score)}
                        if unit.mastery_score is not None
                        else {}
                    ),
                    # cmi5 §9.6.3.7: as written in LMS.LaunchData, when the AU has them.
                    **(
                        {f"{EXT}launchparameters": unit.launch_parameters}
                        if unit.launch_parameters
                        else {}
                    ),
                },
            },
            "timestamp": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }
    )


@transaction.atomic
def fetch_auth_token(*, fetch_token: str) -> dict[str, str]:
    """cmi5 §8.2: the auth-token, once; afterwards error-code 1 (§8.2.3.1). The secret is made
    now and only its hash is kept, so no one, not even the LMS, can hand it out again."""
    session = LaunchSession.objects.select_for_update().filter(fetch_token=fetch_token).first()
    if session is None:
        return {"error-code": "2", "error-text": "This fetch URL is not valid."}
    if session.fetched_at is not None or session.state != SessionState.LAUNCHED:
        return {
            "error-code": "1",
            "error-text": "The authorization token has already been returned.",
        }
    secret = secrets.token_urlsafe(32)
    session.secret_hash = _hash(secret)
    session.fetched_at = timezone.now()
    session.save(update_fields=["secret_hash", "fetched_at"])
    token = base64.b64encode(f"{SESSION_KEY_PREFIX}{session.public_id}:{secret}".encode()).decode()
    return {"auth-token": token}


def session_for_credentials(key: str, secret: str) -> LaunchSession | None:
    """The open session these Basic credentials belong to (the LRS calls this)."""
    if not key.startswith(SESSION_KEY_PREFIX):
        return None
    try:
        public_id = uuid.UUID(key.removeprefix(SESSION_KEY_PREFIX))
    except ValueError:
        return None
    session = (
        LaunchSession.objects.select_related("unit", "enrolment__learner")
        .filter(public_id=public_id, fetched_at__isnull=False)
        .first()
    )
    if session is None or not hmac.compare_digest(session.secret_hash, _hash(secret)):
        return None
    return session


def open_platform_unit(*, learner: User, unit: CourseUnit) -> str:
    """Open a link, video or document for an enrolled learner: the platform records "launched"
    on their behalf (docs/architecture.md, "How data flows": every step is a statement) and
    returns where to go."""
    enrolment = Enrolment.objects.filter(learner=learner, course=unit.course_id).first()
    if enrolment is None:
        raise LaunchError("The learner is not enrolled in this course.")
    lrs().record_platform_unit(enrolment=enrolment, unit=unit, done=False)
    return unit_url(unit)


def mark_platform_unit_done(*, learner: User, unit: CourseUnit) -> None:
    enrolment = Enrolment.objects.filter(learner=learner, course=unit.course_id).first()
    if enrolment is None or unit.kind not in PLATFORM_TRACKED:
        raise LaunchError("Only an enrolled learner marks a link, video or document done.")
    lrs().record_platform_unit(enrolment=enrolment, unit=unit, done=True)
