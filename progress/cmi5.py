"""What a cmi5 AU's statement must be to be recorded (cmi5 §7.1.3, §9): the rules one statement
keeps on its own, given its launch session. The rules that depend on what came before (verb
order, once per session or registration) are the projection's (``progress.projection``).

A statement that breaks a rule is refused whole, with 403 and a message naming the section
(cmi5 §9.3: the LMS rejects statements that do not conform; CATAPULT expects 403). Nothing of a
request with one refused statement is stored.
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from courses.models import CourseUnit, LaunchSession
from lms.api import NotAllowed
from progress.documents import Writer
from progress.xapi.validation import parse_timestamp

VERBS = "http://adlnet.gov/expapi/verbs/"
LAUNCHED, INITIALIZED, COMPLETED, PASSED, FAILED, TERMINATED = (
    f"{VERBS}launched", f"{VERBS}initialized", f"{VERBS}completed", f"{VERBS}passed",
    f"{VERBS}failed", f"{VERBS}terminated",
)  # fmt: skip
VOIDED = f"{VERBS}voided"
ADL_VERBS = "https://w3id.org/xapi/adl/verbs/"
ABANDONED, WAIVED, SATISFIED = (
    f"{ADL_VERBS}abandoned",
    f"{ADL_VERBS}waived",
    f"{ADL_VERBS}satisfied",
)
# cmi5 §9.3: the verbs of "cmi5 defined" statements; the AU may send the first five.
AU_VERBS = frozenset({INITIALIZED, COMPLETED, PASSED, FAILED, TERMINATED})
LMS_VERBS = frozenset({LAUNCHED, ABANDONED, WAIVED, SATISFIED})
JUDGED = frozenset({PASSED, FAILED})

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
SESSION_ID = f"{EXT}sessionid"
MASTERY_SCORE = f"{EXT}masteryscore"


class Cmi5RuleError(NotAllowed):
    """A statement an AU may not send: the message names the cmi5 section it breaks."""

    def __init__(self, section: str, message: str, *, path: str = "statement") -> None:
        super().__init__(f"{path}: cmi5 §{section}: {message}", code="cmi5_rule", field=path)
        self.section = section


def categories(statement: dict[str, Any]) -> set[str]:
    activities = (statement.get("context") or {}).get("contextActivities") or {}
    found = activities.get("category") or ()
    if isinstance(found, dict):
        found = [found]
    return {str(c.get("id")) for c in found if isinstance(c, dict)}


def grouping(statement: dict[str, Any]) -> set[str]:
    activities = (statement.get("context") or {}).get("contextActivities") or {}
    found = activities.get("grouping") or ()
    if isinstance(found, dict):
        found = [found]
    return {str(g.get("id")) for g in found if isinstance(g, dict)}


def is_defined(statement: dict[str, Any]) -> bool:
    """cmi5 §7.1.3: a "cmi5 defined" statement carries the cmi5 category activity."""
    return CMI5_CATEGORY in categories(statement)


@dataclass(frozen=True)
class Launch:
    """What the AU was given at launch, against which its statements are checked."""

    session_id: str
    registration: str
    activity_id: str  # the LMS's activity id of the AU (cmi5 §8.1.5)
    publisher_id: str  # the AU's id in the course structure (cmi5 §9.6.2.3)
    mastery_score: Decimal | None

    @classmethod
    def of(cls, session: LaunchSession, unit: CourseUnit) -> "Launch":
        return cls(
            session_id=str(session.public_id),
            registration=str(session.registration),
            activity_id=unit.lms_activity_iri,
            publisher_id=unit.activity_iri,
            mastery_score=unit.mastery_score,
        )


def check_au_statement(statement: dict[str, Any], launch: Launch, *, path: str) -> None:
    """Refuse (Cmi5RuleError) a statement of an AU session that breaks a cmi5 rule that holds
    for every statement, or for every cmi5 defined statement, whatever came before."""
    rules = _Rules(statement, launch, path)
    rules.every_statement()
    if is_defined(statement):
        rules.defined_statement()
    elif MOVEON_CATEGORY in rules.categories:
        # cmi5 §9.6.2.2: only defined statements with success or completion carry moveOn.
        raise rules.refuse("9.6.2.2", "only a cmi5 defined statement may carry the moveOn category")


class _Rules:
    def __init__(self, statement: dict[str, Any], launch: Launch, path: str) -> None:
        self.statement, self.launch, self.path = statement, launch, path
        self.verb: str = statement["verb"]["id"]
        result = statement.get("result")
        self.result: dict[str, Any] = result if isinstance(result, dict) else {}
        self.categories = categories(statement)

    def refuse(self, section: str, message: str) -> Cmi5RuleError:
        return Cmi5RuleError(section, message, path=self.path)

    def every_statement(self) -> None:
        statement, launch = self.statement, self.launch
        # cmi5 §6.3: the AU's credentials cannot void statements.
        if self.verb == VOIDED:
            raise self.refuse("6.3", "an AU may not void statements")
        # cmi5 §9.1: the AU assigns every statement's id.
        if "id" not in statement:
            raise self.refuse("9.1", "the AU must give every statement an id")
        # cmi5 §9.7: every statement has a timestamp, in UTC.
        if "timestamp" not in statement:
            raise self.refuse("9.7", "every statement must have a timestamp")
        if parse_timestamp(statement["timestamp"], f"{self.path}.timestamp").utcoffset():
            raise self.refuse("9.7", "the timestamp must be in UTC (Z or +00:00)")
        context = statement.get("context")
        if not isinstance(context, dict):
            raise self.refuse("9.6", "a statement needs the context of the contextTemplate")
        # cmi5 §9.6.3.1: the session id of the launch, in every defined and allowed statement.
        if (context.get("extensions") or {}).get(SESSION_ID) != launch.session_id:
            raise self.refuse("9.6.3.1", "context.extensions must carry the launch's session id")
        # cmi5 §9.6.1 (and §8.1.4): the registration the LMS gave at launch.
        registration = context.get("registration")
        if registration is None and is_defined(statement):
            raise self.refuse("9.6.1", "context.registration is required")
        if registration is not None and str(registration).lower() != launch.registration:
            raise self.refuse("9.6.1", "context.registration must be the launch's registration")
        # cmi5 §9.6.2, §10.2.1: the contextTemplate's contextActivities (the publisher id).
        if launch.publisher_id not in grouping(statement):
            raise self.refuse(
                "9.6.2.3", "contextActivities.grouping must keep the AU's publisher id"
            )

    def defined_statement(self) -> None:
        # cmi5 §9.3: an AU sends only the verbs defined for it (launched, abandoned, waived and
        # satisfied are the LMS's).
        if self.verb not in AU_VERBS:
            raise self.refuse("9.3", f"an AU may not send a cmi5 defined {_name(self.verb)}")
        self.actor_and_object()
        self.score()
        self.success_and_completion()
        # cmi5 §9.5.4.1: terminated, completed, passed and failed carry a duration.
        if self.verb != INITIALIZED and "duration" not in self.result:
            raise self.refuse("9.5.4.1", f"{_name(self.verb)} needs result.duration")
        if self.verb in JUDGED and self.launch.mastery_score is not None:
            self.mastery(self.launch.mastery_score)

    def actor_and_object(self) -> None:
        # cmi5 §9.2: the actor is an Agent identified by an account.
        actor = self.statement["actor"]
        if actor.get("objectType", "Agent") != "Agent":
            raise self.refuse("9.2", "the actor of a cmi5 defined statement must be an Agent")
        if "account" not in actor:
            raise self.refuse("9.2", "the actor of a cmi5 defined statement needs an account")
        # cmi5 §9.4, §8.1.5: the object is the AU, by the activityId of the launch URL.
        obj = self.statement["object"]
        if obj.get("objectType", "Activity") != "Activity" or obj.get("id") != (
            self.launch.activity_id
        ):
            raise self.refuse("9.4", "the object must be the AU, with the launch's activityId")

    def score(self) -> None:
        # cmi5 §9.5.1: a score only in passed and failed; raw needs min and max.
        score = self.result.get("score")
        if score is None:
            return
        if self.verb not in JUDGED:
            raise self.refuse("9.5.1", "only passed and failed statements may carry a score")
        if "raw" in score and ("min" not in score or "max" not in score):
            raise self.refuse("9.5.1", "a raw score needs min and max")

    def success_and_completion(self) -> None:
        verb, result = self.verb, self.result
        # cmi5 §9.5.2: success is true in passed, false in failed, absent elsewhere.
        expected_success = {PASSED: True, FAILED: False}.get(verb)
        if expected_success is None and "success" in result:
            raise self.refuse("9.5.2", "only passed and failed statements carry result.success")
        if expected_success is not None and result.get("success") is not expected_success:
            raise self.refuse(
                "9.5.2", f"{_name(verb)} needs result.success {str(expected_success).lower()}"
            )
        # cmi5 §9.5.3: completion is true in completed, absent elsewhere.
        if verb == COMPLETED and result.get("completion") is not True:
            raise self.refuse("9.5.3", "completed needs result.completion true")
        if verb != COMPLETED and "completion" in result:
            raise self.refuse("9.5.3", "only completed statements carry result.completion")
        # cmi5 §9.6.2.2: the moveOn category where success or completion is set, nowhere else.
        moves_on = "success" in result or "completion" in result
        if moves_on != (MOVEON_CATEGORY in self.categories):
            needs = "needs" if moves_on else "may not carry"
            raise self.refuse("9.6.2.2", f"{_name(verb)} {needs} the moveOn category activity")

    def mastery(self, mastery: Decimal) -> None:
        # cmi5 §9.6.3.2: passed and failed judged against the masteryScore (they carry a score)
        # carry it, as launched ("required, when present and evaluated").
        extensions = self.statement["context"].get("extensions") or {}
        if MASTERY_SCORE not in extensions:
            if "score" in self.result:
                raise self.refuse(
                    "9.6.3.2", f"{_name(self.verb)} with a score needs the masteryScore extension"
                )
            return
        try:
            given = Decimal(str(extensions[MASTERY_SCORE]))
        except (InvalidOperation, ValueError) as exc:
            raise self.refuse("9.6.3.2", "the masteryScore extension must be a number") from exc
        if given != mastery:
            raise self.refuse(
                "9.6.3.2", f"the masteryScore extension must be the launch's ({mastery})"
            )
        # cmi5 §9.3.4, §9.3.5: a scaled score agrees with the verb.
        scaled = (self.result.get("score") or {}).get("scaled")
        if scaled is None:
            return
        if self.verb == PASSED and Decimal(str(scaled)) < mastery:
            raise self.refuse("9.3.4", "passed needs a scaled score of at least the masteryScore")
        if self.verb == FAILED and Decimal(str(scaled)) >= mastery:
            raise self.refuse("9.3.5", "failed needs a scaled score below the masteryScore")


def _name(verb: str) -> str:
    return verb.rsplit("/", 1)[-1]


# --- What an AU's credentials may do besides sending statements (cmi5 §8.2.2, §10, §11) -------

LAUNCH_DATA = "LMS.LaunchData"
LEARNER_PREFERENCES = "cmi5LearnerPreferences"
# RFC 5646 language tags, as a comma-separated list without spaces (cmi5 §11.1).
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def content_writer(session: LaunchSession) -> Writer:
    """The cmi5 content of a course, as the creator of documents: it may change only those it
    created, in any session of the course (cmi5 §8.2.2: the token is the AU's, not the LRS's)."""
    return Writer(f"cmi5:course:{session.unit.course_id}", own_only=True)


def check_state_write(
    session: LaunchSession, *, registration: str | None, state_id: str | None
) -> None:
    """An AU writes only its own registration's state, and never ``LMS.LaunchData``."""
    if state_id is None:
        raise Cmi5RuleError(
            "10.2.1", "an AU deletes its state documents one by one (stateId)", path="stateId"
        )
    if state_id == LAUNCH_DATA:
        # cmi5 §10.2.1: the AU MUST NOT modify or delete the LMS.LaunchData document.
        raise Cmi5RuleError("10.2.1", "an AU may not change LMS.LaunchData", path="stateId")
    if registration is None or registration.lower() != str(session.registration):
        raise Cmi5RuleError(
            "8.1.4",
            "an AU writes state only within its launch's registration",
            path="registration",
        )


def check_activity_profile_write(session: LaunchSession, activity_iri: str) -> None:
    """An AU writes the profile of its own activity only (by its launch or publisher id)."""
    unit = session.unit
    if activity_iri not in (unit.lms_activity_iri, unit.activity_iri):
        raise Cmi5RuleError(
            "8.2.2", "an AU may change only its own activity's profile", path="activityId"
        )


def check_learner_preferences(content: bytes, content_type: str) -> None:
    """cmi5 §11: the document is a JSON object with ``languagePreference`` (a comma-separated
    list of RFC 5646 tags) and ``audioPreference`` ("on" or "off"); anything else is refused with
    403, which §11 lets the LMS answer and the AU must accept."""
    if content_type.partition(";")[0].strip().lower() != "application/json":
        raise Cmi5RuleError("11.0", "learner preferences are application/json", path="body")
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Cmi5RuleError("11.0", "learner preferences are a JSON object", path="body") from exc
    if not isinstance(document, dict):
        raise Cmi5RuleError("11.0", "learner preferences are a JSON object", path="body")
    languages = document.get("languagePreference")
    if not isinstance(languages, str) or not all(
        _LANGUAGE_TAG.fullmatch(tag) for tag in languages.split(",")
    ):
        raise Cmi5RuleError(
            "11.1",
            'languagePreference is a comma-separated list of language tags, e.g. "ro,en-GB"',
            path="body.languagePreference",
        )
    if document.get("audioPreference") not in ("on", "off"):
        raise Cmi5RuleError("11.2", 'audioPreference is "on" or "off"', path="body.audioPreference")


def may_read_statements(session: LaunchSession, registration: str | None) -> None:
    """An AU reads back its own registration's statements, and nothing else."""
    if registration is None or registration.lower() != str(session.registration):
        raise NotAllowed(
            "registration: a cmi5 AU reads only its own registration's statements.",
            field="registration",
        )


def mark_preferences_read(session: LaunchSession) -> None:
    """cmi5 §11: the AU read the learner preferences; it may now send initialized."""
    if not session.preferences_read:
        LaunchSession.objects.filter(pk=session.pk).update(preferences_read=True)
        session.preferences_read = True
