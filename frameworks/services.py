"""Writes of the frameworks app besides imports (case.py, moodle.py): alignments and role
profiles."""

from typing import Any

from django.db import transaction

from frameworks.models import Alignment, AlignmentRelation, Competence, RoleProfile, RoleTarget


@transaction.atomic
def align(
    *,
    competence: Competence,
    course: Any = None,
    unit: Any = None,
    journey: Any = None,
    level: int | None = None,
    relation: str = AlignmentRelation.TEACHES,
) -> Alignment:
    """Align one course, unit or journey to a competence (or change the level and relation of
    the alignment already there). Raises ValidationError naming the field."""
    target = {"course": course, "unit": unit, "journey": journey}
    alignment = Alignment.objects.filter(
        competence=competence, **{k: v for k, v in target.items() if v is not None}
    ).first() or Alignment(competence=competence, **target)
    alignment.level = level
    alignment.relation = relation
    alignment.full_clean(validate_unique=False, validate_constraints=False)
    alignment.save()
    return alignment


def remove_alignment(*, alignment: Alignment) -> None:
    alignment.delete()


@transaction.atomic
def set_role_profile(
    *,
    slug: str,
    framework: Any,
    name: dict[str, str],
    description: dict[str, str] | None = None,
    targets: list[tuple[Competence, int]],
) -> RoleProfile:
    """Create or replace a role profile and its targets (competence, level) in one step."""
    profile, _ = RoleProfile.objects.update_or_create(
        slug=slug,
        defaults={"framework": framework, "name": name, "description": description or {}},
    )
    profile.targets.all().delete()
    RoleTarget.objects.bulk_create(
        [RoleTarget(profile=profile, competence=c, level=level) for c, level in targets]
    )
    return profile
