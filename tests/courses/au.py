"""A conforming cmi5 AU, played over Django's test client (cmi5 §8-§11): launched, it fetches its
token, reads LMS.LaunchData and the learner preferences, and builds every statement on the
launch's contextTemplate. Tests break one rule at a time by changing what ``statement`` returns.
"""

import copy
import html
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import orjson

from courses.launch import launch_unit
from courses.models import LaunchMode
from tests.paths import CMI5

SCENARIOS = CMI5 / "aicc" / "samples" / "scenarios"
VERBS = "http://adlnet.gov/expapi/verbs/"
CMI5_CATEGORY = {
    "objectType": "Activity",
    "id": "https://w3id.org/xapi/cmi5/context/categories/cmi5",
}
MOVEON_CATEGORY = {
    "objectType": "Activity",
    "id": "https://w3id.org/xapi/cmi5/context/categories/moveon",
}
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
# The spec's sample statements (AICC cmi5 samples), one per verb the AU sends.
INITIALIZED = "04-completed_or_passed-completed/03-initialized_statement.json"
COMPLETED = "04-completed_or_passed-completed/04-completed_statement.json"
TERMINATED = "04-completed_or_passed-completed/06-terminated_statement.json"
PASSED = "08-passed-masteryScore-passed/04-passed_statement.json"
FAILED = "05-completed_or_passed-failed_completed/04-failed_statement.json"


def opened_url(client: Any, response: Any) -> str:
    """Where a launch from the course page leads: its redirect is to the unit's page, whose
    link opens the content: the first link of a paragraph that leads off the course pages (found
    by its place, not its words: the page is in the learner's language)."""
    page = client.get(response.url).content.decode()
    return html.unescape(re.search(r'<p><a href="((?!/courses/)[^"]+)"', page).group(1))


def launch_params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


class AU:
    def __init__(
        self,
        client: Any,
        learner: Any,
        unit: Any,
        mode: str = LaunchMode.NORMAL,
        *,
        read_preferences: bool = True,
    ) -> None:
        self.client = client
        self.launch = launch_unit(learner=learner, unit=unit, launch_mode=mode)
        self.params = launch_params(self.launch.url)
        fetch = urlsplit(self.params["fetch"]).path
        self.token = client.post(fetch).json()["auth-token"]
        self.actor = json.loads(self.params["actor"])
        query = (
            f"stateId=LMS.LaunchData&activityId={quote(self.params['activityId'])}"
            f"&agent={quote(self.params['actor'])}&registration={self.params['registration']}"
        )
        self.launch_data = self.request("GET", f"activities/state?{query}").json()
        if read_preferences:
            self.read_preferences()

    @property
    def session_id(self) -> str:
        return str(self.launch.session.public_id)

    def read_preferences(self):
        """cmi5 §11: the AU reads the learner preferences before it sends initialized."""
        return self.request(
            "GET",
            f"agents/profile?profileId=cmi5LearnerPreferences&agent={quote(self.params['actor'])}",
        )

    def request(self, method: str, path: str, body: Any = None, **headers: str):
        data = body if isinstance(body, bytes | str) else orjson.dumps(body) if body else b""
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        extra.setdefault("HTTP_AUTHORIZATION", f"Basic {self.token}")
        return self.client.generic(
            method, f"/xapi/{path}", data=data, content_type="application/json",
            HTTP_X_EXPERIENCE_API_VERSION="1.0.3", **extra,
        )  # fmt: skip

    def statement(self, sample: str, **result: Any) -> dict[str, Any]:
        """The sample statement as this AU sends it: its id, actor, object, timestamp and the
        contextTemplate (registration, publisher id, session id); ``result`` merged in, and for
        passed and failed the launch's masteryScore when it has one (cmi5 §9.6.3.2)."""
        statement = json.loads((SCENARIOS / sample).read_text())
        statement["id"] = str(uuid.uuid4())
        statement["actor"] = copy.deepcopy(self.actor)
        statement["object"] = {"objectType": "Activity", "id": self.params["activityId"]}
        statement["timestamp"] = datetime.now(UTC).isoformat(timespec="milliseconds")
        template = copy.deepcopy(self.launch_data["contextTemplate"])
        context = statement.setdefault("context", {})
        context["registration"] = self.params["registration"]
        activities = context.setdefault("contextActivities", {})
        activities["grouping"] = template["contextActivities"]["grouping"]
        context["extensions"] = {**context.get("extensions", {}), **template["extensions"]}
        if result:
            statement["result"] = {**statement.get("result", {}), **result}
        verb = statement["verb"]["id"]
        if verb in (f"{VERBS}passed", f"{VERBS}failed"):
            if "masteryScore" in self.launch_data:
                context["extensions"][f"{EXT}masteryscore"] = self.launch_data["masteryScore"]
            else:
                context["extensions"].pop(f"{EXT}masteryscore", None)
        return statement

    def send(self, sample_or_statement: str | dict[str, Any], **result: Any):
        statement = (
            sample_or_statement
            if isinstance(sample_or_statement, dict)
            else self.statement(sample_or_statement, **result)
        )
        return self.request("POST", "statements", statement)

    def put(self, statement: dict[str, Any]):
        return self.request("PUT", f"statements?statementId={statement['id']}", statement)
