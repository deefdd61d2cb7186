"""Who may read a package's files (cmi5 §14: the AU is served from the content root).

The files of a free, published course are public, like its catalogue page. Those of a paid or
unpublished course are read only through a signed, expiring path that the launch hands to an
enrolled learner: ``/content/s/<token>/<course>/v<n>/...``. The token signs the version's
directory and lasts ``CONTENT_LINK_HOURS``; relative URLs inside the package keep it, so every
file the AU loads is covered, and nothing else is.
"""

import uuid

from django.conf import settings
from django.core import signing

from courses.models import Course, CourseStatus

SIGNED = "s"
_SALT = "courses.content"


def is_protected(course: Course) -> bool:
    return course.is_paid or course.status != CourseStatus.PUBLISHED


def content_base(course: Course) -> str:
    """The URL of the course version's directory, signed when the course is protected."""
    if not is_protected(course):
        return f"{settings.SITE_URL}/content/{course.content_path}/"
    token = signing.dumps(course.content_path, salt=_SALT, compress=True)
    return f"{settings.SITE_URL}/content/{SIGNED}/{token}/{course.content_path}/"


def readable_path(path: str) -> str | None:
    """The file path under the content root a request for ``path`` may read, or None.

    A signed path is readable while its token is valid, for the directory it names; a plain
    path only for a free, published course's files."""
    if path.startswith(f"{SIGNED}/"):
        token, _, rest = path[len(SIGNED) + 1 :].partition("/")
        try:
            directory = signing.loads(token, salt=_SALT, max_age=settings.CONTENT_LINK_HOURS * 3600)
        except signing.BadSignature:
            return None
        if not isinstance(directory, str) or not rest.startswith(f"{directory}/"):
            return None
        return rest
    course_id = path.partition("/")[0]
    course = (
        Course.objects.filter(public_id=course_id).only("is_paid", "status").first()
        if _is_uuid(course_id)
        else None
    )
    if course is None or is_protected(course):
        return None
    return path


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
