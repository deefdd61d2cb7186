"""Demo data of the lms app: one log-in per role. Other apps' demo modules attach roles to them.

Each app may have a ``demo.py`` with ``load(context: DemoContext) -> None``; ``manage.py demo``
runs them in layer order (INSTALLED_APPS order). Loaders must be idempotent: look up by a
natural key and update, never blindly create.
"""

from dataclasses import dataclass, field

from lms import services, verification
from lms.models import Profession, User
from lms.navigation import Role

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
    team: str
    job_title: str


@dataclass
class DemoContext:
    """What loaders share: the demo users by role, the organisation's other members, and lines
    to print at the end."""

    users: dict[Role, User] = field(default_factory=dict)
    members: list[DemoMember] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

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
_MEMBERS = [
    ("ioana.marin", "Ioana Marin", DemoStage.NOT_STARTED, "Case work team", "Case worker"),
    ("andrei.stan", "Andrei Stan", DemoStage.IN_PROGRESS, "Case work team", "Case worker"),
    ("maria.dobre", "Maria Dobre", DemoStage.OVERDUE, "Case work team", "Case worker"),
    ("radu.pop", "Radu Pop", DemoStage.CERTIFIED, "Case work team", "Senior case worker"),
    (
        "cristina.lazar",
        "Cristina Lazăr",
        DemoStage.COMPLETED,
        "Family support team",
        "Family worker",
    ),
    ("vlad.georgescu", "Vlad Georgescu", DemoStage.OVERDUE, "Family support team", "Family worker"),
    ("sorina.matei", "Sorina Matei", DemoStage.CERTIFIED, "Family support team", "Psychologist"),
    ("dan.ilie", "Dan Ilie", DemoStage.IN_PROGRESS, "Family support team", "Family worker"),
    ("alina.voicu", "Alina Voicu", DemoStage.NOT_STARTED, "Helpline team", "Helpline counsellor"),
    ("bogdan.nistor", "Bogdan Nistor", DemoStage.CERTIFIED, "Helpline team", "Helpline counsellor"),
    ("oana.tudor", "Oana Tudor", DemoStage.COMPLETED, "Helpline team", "Helpline counsellor"),
    ("paul.craciun", "Paul Crăciun", DemoStage.IN_PROGRESS, "Helpline team", "Team coordinator"),
]


def _demo_user(
    *,
    email: str,
    display_name: str,
    country: str,
    language: str,
    profession: str,
    reset_password: bool = True,
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
        if reset_password:
            # Reset the password so that the printed log-ins always work. (The members' are
            # not: hashing takes a quarter of a second each.)
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    # The demo's people own their (reserved) addresses: they may be CPD peers, say.
    verification.verify_email(user=user)
    return user


def load(context: DemoContext) -> None:
    for role, local_part, name, country, language, profession in _PEOPLE:
        context.users[role] = _demo_user(
            email=f"{local_part}@{DEMO_DOMAIN}",
            display_name=name,
            country=country,
            language=language,
            profession=profession,
        )
    context.members = [
        DemoMember(
            user=_demo_user(
                email=f"{local_part}@{DEMO_DOMAIN}",
                display_name=name,
                country="RO",
                language="ro",
                profession=Profession.SOCIAL_WORKER,
                reset_password=False,
            ),
            stage=stage,
            team=team,
            job_title=job_title,
        )
        for local_part, name, stage, team, job_title in _MEMBERS
    ]
    context.notes.append(
        f"The demo organisation's {len(context.members)} other members, at every stage of the "
        f"demo courses, log in with the same password too: {context.members[0].user.email}, ..."
    )
    staff = context.users[Role.STAFF]
    if not (staff.is_staff and staff.is_superuser):
        staff.is_staff = staff.is_superuser = True
        staff.save(update_fields=["is_staff", "is_superuser"])
