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


@dataclass
class DemoContext:
    """What loaders share: the demo users by role, and lines to print at the end."""

    users: dict[Role, User] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


_PEOPLE = [
    (Role.LEARNER, "learner", "Ana Popescu", "RO", "ro", Profession.SOCIAL_WORKER),
    (Role.SUPERVISOR, "supervisor", "Mihai Ionescu", "RO", "ro", Profession.SOCIAL_WORKER),
    (Role.ORGANISATION_ADMIN, "orgadmin", "Elena Dumitrescu", "RO", "en", Profession.NGO_STAFF),
    (Role.ACCREDITOR, "accreditor", "Milica Jovanović", "RS", "en", Profession.PSYCHOLOGIST),
    (Role.STAFF, "staff", "Practica Staff", "", "en", Profession.OTHER),
]


def _demo_user(
    *, email: str, display_name: str, country: str, language: str, profession: str
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
    staff = context.users[Role.STAFF]
    if not (staff.is_staff and staff.is_superuser):
        staff.is_staff = staff.is_superuser = True
        staff.save(update_fields=["is_staff", "is_superuser"])
