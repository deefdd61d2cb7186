"""Where the suite's third-party data lives: ``tests/data/``, inside the repository.

Each folder there says where its files come from, at which commit, under which licence
(``tests/data/README.md``). Tests read real files only through these paths.
"""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CMI5 = DATA / "cmi5"
CASE = DATA / "case"
MOODLE = DATA / "moodle"
CATAPULT = DATA / "catapult"
