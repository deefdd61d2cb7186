"""The sample cmi5 package offered on the import page: the bundled demo lesson
(``courses/demo_content/``, Practica's own files, AGPL-3.0-or-later) under a course id of its
own, so that importing it makes a new course rather than a version of the demo course."""

import io
import zipfile
from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "demo_content"
DEMO_COURSE_IRI = "urn:practica:demo:course:safeguarding-basics"
SAMPLE_COURSE_IRI = "urn:practica:sample:course:safeguarding-basics"


def sample_package() -> bytes:
    """A small, valid cmi5 zip: cmi5.xml at its root, the lesson page and its script."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(CONTENT.iterdir()):
            data = path.read_bytes()
            if path.name == "cmi5.xml":
                data = data.replace(DEMO_COURSE_IRI.encode(), SAMPLE_COURSE_IRI.encode())
            archive.writestr(path.name, data)
    return buffer.getvalue()
