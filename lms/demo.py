"""Demo data of the lms app: one log-in per role, and the members of the demo organisation (at
the stages of the demo courses ``DemoStage`` names). Other apps' demo modules attach roles and
records to them.

Each app may have a ``demo.py`` with ``load(context: DemoContext) -> None``; ``manage.py demo``
runs them in layer order (INSTALLED_APPS order). Loaders must be idempotent: look up by a
natural key and update, never blindly create.

The demo speaks English, Romanian or Ukrainian (``manage.py demo --language uk``). What is stored
as a language map (course titles, themes, certificate headings) holds the three; what is one string
(organisation, units, job titles, CPD entries) is written in the demo's language, its text
given in English and Romanian (``DemoText``, ``DemoContext.text``; Ukrainian reads English there
unless given). Loading again in the other language
rewrites the same rows: a loader finds them by a key or by either language's text.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from lms import services, verification
from lms.models import Profession, User
from lms.navigation import Role

DEMO_LANGUAGES = ("en", "ro", "uk")
# A demo text in English and Romanian (and Ukrainian where given), for what is stored as one
# string; a language it lacks reads the English.
DemoText = dict[str, str]

DEMO_PASSWORD = "practica-demo-2026"  # noqa: S105 - printed on purpose: demo data only.
DEMO_DOMAIN = "demo.practica.test"


class DemoStage:
    """Where a demo member stands in the demo courses; each app's loader does its part (courses
    enrols, progress records the statements, certificates issues, organisations assigns)."""

    NOT_STARTED = "not_started"  # enrolled, nothing done yet
    IN_PROGRESS = "in_progress"  # one unit of two done
    OVERDUE = "overdue"  # assigned with a due date in the past, opened but not done
    COMPLETED = "completed"  # completed a course no certificate is issued for
    CERTIFIED = "certified"  # completed the accredited course: a certificate


@dataclass(frozen=True)
class DemoMember:
    """A member of the demo organisation with no role of their own; ``team`` names their unit."""

    user: User
    stage: str
    team: str  # the unit's key in organisations/demo.py (its English name)
    job_title: str


@dataclass
class DemoContext:
    """What loaders share: the demo users by role, the organisation's other members, and lines
    to print at the end."""

    users: dict[Role, User] = field(default_factory=dict)
    members: list[DemoMember] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    language: str = "en"  # one of DEMO_LANGUAGES

    def text(self, variants: DemoText) -> str:
        """``variants`` in the demo's language, else in English."""
        return variants.get(self.language) or variants["en"]

    def members_at(self, *stages: str) -> list[User]:
        return [member.user for member in self.members if member.stage in stages]


_PEOPLE = [
    (Role.LEARNER, "learner", "Ana Popescu", "RO", "ro", Profession.SOCIAL_WORKER),
    (Role.SUPERVISOR, "supervisor", "Mihai Ionescu", "RO", "ro", Profession.SOCIAL_WORKER),
    (Role.ORGANISATION_ADMIN, "orgadmin", "Elena Dumitrescu", "RO", "en", Profession.NGO_STAFF),
    (Role.ACCREDITOR, "accreditor", "Milica Jovanović", "RS", "en", Profession.PSYCHOLOGIST),
    (Role.STAFF, "staff", "Practica Staff", "", "en", Profession.OTHER),
]


# The demo organisation's members at each stage, by team (organisations/demo.py's unit tree).
_CASE_WORKER = {"en": "Case worker", "ro": "Asistent social"}
_FAMILY_WORKER = {"en": "Family worker", "ro": "Consilier pentru familii"}
_HELPLINE = {"en": "Helpline counsellor", "ro": "Consilier la linia de urgență"}
_MEMBERS: list[tuple[str, str, str, str, DemoText]] = [
    ("ioana.marin", "Ioana Marin", DemoStage.NOT_STARTED, "Case work team", _CASE_WORKER),
    ("andrei.stan", "Andrei Stan", DemoStage.IN_PROGRESS, "Case work team", _CASE_WORKER),
    ("maria.dobre", "Maria Dobre", DemoStage.OVERDUE, "Case work team", _CASE_WORKER),
    (
        "radu.pop",
        "Radu Pop",
        DemoStage.CERTIFIED,
        "Case work team",
        {"en": "Senior case worker", "ro": "Asistent social principal"},
    ),
    (
        "cristina.lazar",
        "Cristina Lazăr",
        DemoStage.COMPLETED,
        "Family support team",
        _FAMILY_WORKER,
    ),
    ("vlad.georgescu", "Vlad Georgescu", DemoStage.OVERDUE, "Family support team", _FAMILY_WORKER),
    (
        "sorina.matei",
        "Sorina Matei",
        DemoStage.CERTIFIED,
        "Family support team",
        {"en": "Psychologist", "ro": "Psiholog"},
    ),
    ("dan.ilie", "Dan Ilie", DemoStage.IN_PROGRESS, "Family support team", _FAMILY_WORKER),
    ("alina.voicu", "Alina Voicu", DemoStage.NOT_STARTED, "Helpline team", _HELPLINE),
    ("bogdan.nistor", "Bogdan Nistor", DemoStage.CERTIFIED, "Helpline team", _HELPLINE),
    ("oana.tudor", "Oana Tudor", DemoStage.COMPLETED, "Helpline team", _HELPLINE),
    (
        "paul.craciun",
        "Paul Crăciun",
        DemoStage.IN_PROGRESS,
        "Helpline team",
        {"en": "Team coordinator", "ro": "Coordonator de echipă"},
    ),
]


class _DemoPassword:
    """The demo password hashed once per load (a hash takes a quarter of a second or more)."""

    def __init__(self) -> None:
        self._encoded = ""

    @property
    def encoded(self) -> str:
        if not self._encoded:
            self._encoded = make_password(DEMO_PASSWORD)
        return self._encoded


def _demo_user(
    *,
    email: str,
    display_name: str,
    country: str,
    language: str,
    profession: str,
    password: _DemoPassword,
) -> User:
    user = User.objects.filter(email__iexact=email).first()
    profile = {
        "display_name": display_name,
        "country": country,
        "preferred_language": language,
        "profession": profession,
    }
    if user is None:
        user = services.register_user(email=email, password=DEMO_PASSWORD, **profile)
    else:
        services.update_profile(user=user, **profile)
        # Reset the password so that the printed log-ins always work.
        user.password = password.encoded
        user.save(update_fields=["password"])
    # The demo's people own their (reserved) addresses: they may be CPD peers, say.
    verification.verify_email(user=user)
    return user


def _demo_members(password: _DemoPassword, language: str) -> list[DemoMember]:
    """The organisation's members, created together (one insert); their password is the demo's,
    set once: they are not among the printed log-ins."""
    emails = [f"{local_part}@{DEMO_DOMAIN}" for local_part, *_rest in _MEMBERS]
    found = {u.email: u for u in User.objects.filter(email__in=emails)}
    new = []
    for email, (_local_part, name, *_rest) in zip(emails, _MEMBERS, strict=True):
        if email in found:
            continue
        user = User(
            email=email,
            display_name=name,
            country="RO",
            preferred_language="ro",
            profession=Profession.SOCIAL_WORKER,
            password=password.encoded,
        )
        user.full_clean(exclude=["password"], validate_constraints=False)
        new.append(user)
    for user in User.objects.bulk_create(new):
        found[user.email] = user
    for user in found.values():
        # Once each: the apps above hear of it (no member is named as a CPD peer by address).
        verification.verify_email(user=user)
    return [
        DemoMember(
            user=found[email],
            stage=stage,
            team=team,
            job_title=job_title.get(language) or job_title["en"],
        )
        for email, (_local_part, _name, stage, team, job_title) in zip(
            emails, _MEMBERS, strict=True
        )
    ]


def load(context: DemoContext) -> None:
    password = _DemoPassword()
    for role, local_part, name, country, language, profession in _PEOPLE:
        context.users[role] = _demo_user(
            email=f"{local_part}@{DEMO_DOMAIN}",
            display_name=name,
            country=country,
            language=language,
            profession=profession,
            password=password,
        )
    context.members = _demo_members(password, context.language)
    context.notes.append(
        f"The demo organisation's {len(context.members)} other members, at every stage of the "
        f"demo courses, log in with the same password too: {context.members[0].user.email}, ..."
    )
    staff = context.users[Role.STAFF]
    if not (staff.is_staff and staff.is_superuser):
        staff.is_staff = staff.is_superuser = True
        staff.save(update_fields=["is_staff", "is_superuser"])
