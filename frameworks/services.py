"""Writes of the frameworks app besides imports (case.py, moodle.py): alignments and role
profiles."""

from typing import Any

import orjson
from django.db import transaction

from frameworks import case
from frameworks.models import (
    Alignment,
    AlignmentRelation,
    Competence,
    Framework,
    RoleProfile,
    RoleTarget,
)
from frameworks.moodle import to_case_package


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


# --- importing a framework file ---------------------------------------------------------------


def detect_format(content: bytes) -> str:
    """ "case" for CASE JSON, "moodle" for a Moodle framework CSV."""
    return "case" if content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "moodle"


def import_file(
    content: bytes, *, file_format: str = "", progress: case.Progress = case.silent
) -> Framework:
    """Import a CASE package or a Moodle framework CSV (detected unless given)."""
    if (file_format or detect_format(content)) == "moodle":
        progress("reading the CSV", 5)
        return case.import_package(orjson.dumps(to_case_package(content)), progress=progress)
    return case.import_package(content, progress=progress)
