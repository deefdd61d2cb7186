"""The site shell: navigation adapts to roles, pages stay light, queries stay fixed."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from certificates.audit.services import add_accreditor
from organisations.models import MembershipRole
from tests.certificates.factories import AccreditingBodyFactory
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db

PAGE_BUDGET_BYTES = 100 * 1024


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.urls.append(attributes["href"] or "")
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"] or "")


def _page_weight(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Assets()
    parser.feed(response.content.decode())
    total = len(response.content)
    for asset in parser.urls:
        assert asset.startswith("/static/"), f"{url} loads {asset} from elsewhere"
        path = finders.find(asset.removeprefix("/static/"))
        assert path, f"{asset} is not a vendored static file"
        total += Path(path).stat().st_size
    return total


def _nav_labels(client) -> list[str]:
    """The entries a role gives (not those every visitor has)."""
    return [str(item.label) for item in client.get(reverse("home")).context["work_navigation"]]


@pytest.fixture
def organisation():
    return OrganisationFactory()


def test_anonymous_visitors_see_no_role_navigation(client):
    assert _nav_labels(client) == []


def test_every_visitor_has_the_catalogue_in_the_navigation(client, user):
    labels = [str(i.label) for i in client.get(reverse("home")).context["main_navigation"]]
    assert labels == ["Courses", "Frameworks", "Verify a certificate"]
    client.force_login(user)
    assert "Courses" in [
        str(i.label) for i in client.get(reverse("home")).context["main_navigation"]
    ]


def test_a_learner_sees_their_learning_only(client, user):
    client.force_login(user)
    assert _nav_labels(client) == ["My learning", "My competences", "My certificates", "My CPD"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (MembershipRole.MEMBER, ["My learning", "My competences", "My certificates", "My CPD"]),
        (
            MembershipRole.SUPERVISOR,
            ["My learning", "My competences", "My certificates", "My CPD", "Organisations"],
        ),
        (
            MembershipRole.ADMIN,
            ["My learning", "My competences", "My certificates", "My CPD", "Organisations"],
        ),
    ],
)
def test_members_navigation_follows_their_role(client, organisation, role, expected):
    member = make_member(organisation, role=role)
    client.force_login(member.user)
    assert _nav_labels(client) == expected


def test_accreditors_and_staff_get_their_entries(client):
    accreditor = UserFactory()
    add_accreditor(body=AccreditingBodyFactory(), user=accreditor)
    client.force_login(accreditor)
    assert _nav_labels(client) == [
        "My learning",
        "My competences",
        "My certificates",
        "My CPD",
        "Accreditation",
    ]
    client.force_login(UserFactory(is_staff=True))
    assert _nav_labels(client) == [
        "My learning",
        "My competences",
        "My certificates",
        "My CPD",
        "Import a course",
        "Import a framework",
        "Issue a certificate",
        "Content translations",
        "Administration",
    ]


def test_home_page_query_count_is_fixed(client, organisation, django_assert_num_queries):
    member = make_member(organisation, role=MembershipRole.ADMIN)
    client.force_login(member.user)
    # session, user, membership roles, accreditor roles; the home's sections (progress:
    # enrolments, completions, journeys; certificates: certificates, CPD registrations) and the
    # to-do providers (invitations, CPD, audit requests, the organisation's scopes and work),
    # once the
    # content types of the scope's permissions are cached
    client.get(reverse("home"))
    with django_assert_num_queries(17):
        client.get(reverse("home"))


@pytest.mark.smoke
def test_every_page_stays_under_100_kb_with_its_assets(client, organisation):
    for _ in range(20):  # a full catalogue page
        CourseFactory()
    anonymous_pages = [
        reverse("courses:catalogue"),
        reverse("home"),
        reverse("login"),
        reverse("signup"),
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("api:docs"),
    ]
    for url in anonymous_pages:
        assert _page_weight(client, url) < PAGE_BUDGET_BYTES, url
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    add_accreditor(body=AccreditingBodyFactory(), user=admin)
    client.force_login(admin)
    member_pages = [
        reverse("home"),
        reverse("profile"),
        reverse("password_change"),
        reverse("organisations:list"),
        reverse("organisations:detail", args=[organisation.public_id]),
        reverse("certificates:workspace"),
        reverse("frameworks:list"),
        reverse("frameworks:mine"),
        reverse("my-certificates:list"),
        reverse("cpd-ledger"),
        reverse("cpd-entry-new"),
        reverse("cpd-confirmations"),
        reverse("organisations:team-cpd", args=[organisation.public_id]),
        reverse("organisations:audit-outcomes", args=[organisation.public_id]),
        reverse("organisations:access-log", args=[organisation.public_id]),
    ]
    for url in member_pages:
        assert _page_weight(client, url) < PAGE_BUDGET_BYTES, url


def test_pages_load_no_javascript_and_nothing_from_other_origins(client):
    html = client.get(reverse("signup")).content.decode()
    assert "<script" not in html
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Not found" in response.content
