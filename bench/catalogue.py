"""Catalogue benchmark (not a test): the catalogue page and API with many published courses.

    DATABASE_URL=postgres://... python bench/catalogue.py --courses 10000

Creates the courses once (bulk), then times the page and the API for typical searches and
filters (median of 30, in-process through the whole Django stack) and counts their queries.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

WORDS = [
    "child",
    "protection",
    "trauma",
    "interview",
    "report",
    "ethics",
    "family",
    "court",
    "school",
    "police",
    "health",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.models import Course, CourseLevel, CourseStatus, Theme

    rng = random.Random(3)
    themes = [
        Theme.objects.get_or_create(
            slug=f"bench-theme-{i}", defaults={"name": {"en": f"Theme {i}"}}
        )[0]
        for i in range(12)
    ]
    existing = Course.objects.filter(slug__startswith="bench-").count()
    batch = []
    for n in range(existing, args.courses):
        words = rng.sample(WORDS, 3)
        title = {"en": " ".join(words).title(), "ro": " ".join(reversed(words))}
        batch.append(Course(
            slug=f"bench-{n}", activity_iri=f"https://learn.example.org/bench/{n}", title=title,
            summary={"en": f"About {' '.join(words)}."}, languages=["en", "ro"],
            target_professions=rng.sample(["social_worker", "teacher", "police", "psychologist"], 2),
            level=rng.choice(CourseLevel.values), cpd_hours=rng.choice([1, 2, 4, 8]),
            estimated_minutes=rng.choice([15, 30, 60, 120]), status=CourseStatus.PUBLISHED,
            search_text=" ".join([*title.values(), " ".join(words)]).lower(),
        ))  # fmt: skip
        if len(batch) == 1000:
            Course.objects.bulk_create(batch)
            batch = []
    Course.objects.bulk_create(batch)
    through = Course.themes.through
    if not through.objects.filter(course__slug__startswith="bench-").exists():
        ids = list(Course.objects.filter(slug__startswith="bench-").values_list("id", flat=True))
        through.objects.bulk_create(
            [through(course_id=i, theme_id=rng.choice(themes).pk) for i in ids], batch_size=2000
        )
    print(f"published courses: {Course.objects.filter(status=CourseStatus.PUBLISHED).count():,}")

    client = Client()
    cases = {
        "page, no filter": "/courses/",
        "page, search 2 words": "/courses/?q=child+protection",
        "page, theme + level": f"/courses/?theme={themes[3].slug}&level=advanced",
        "page, profession + CPD, sort by CPD": "/courses/?profession=police&min_cpd=4&sort=cpd",
        "page 50": "/courses/?page=50",
        "API, search + language": "/api/courses/?q=trauma&language=ro",
    }
    for name, url in cases.items():
        samples = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            samples.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url, HTTP_HOST="127.0.0.1")
        print(f"{name:<38} median {statistics.median(samples):6.1f} ms  queries {len(queries)}")


if __name__ == "__main__":
    main()
