"""Certificate PDF benchmark (not a test): the median time to draw one certificate.

Renders a full certificate (accredited, five competences and two more, two signatories, a QR
code, Romanian text) 50 times after one warm-up render (which registers the fonts), and prints
the median, the fastest and the slowest, and the PDF's size. No database is needed.

    DEBUG=1 python bench/certificates.py [--runs 50]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from certificates.credentials.pdf import render_certificate_pdf  # noqa: E402

SNAPSHOT = {
    "version": 1,
    "language": "ro",
    "recipient": {"name": "Ștefan Țurcanu", "public_id": "6f1c7a0e-0000-4000-8000-000000000000"},
    "achievement": {
        "kind": "course",
        "title": "Protecția copilului: evaluarea riscului și intervenția în situații de abuz",
    },
    "body": {
        "name": "Colegiul Național al Asistenților Sociali",
        "country": "RO",
        "country_name": "România",
        "cpd_unit": "points",
        "logo": "",
    },
    "accreditation": {"reference": "CNASR-2026-17"},
    "cpd": {"value": "12.50", "unit": "points"},
    "learning_outcomes": ["Evaluează riscul", "Planifică intervenția"],
    "competences": [
        {
            "code": f"A.{i}",
            "statement": f"Evaluează riscul în situații de abuz ({i})",
            "framework": "Cadrul național de competențe",
            "level_name": "Competent",
        }
        for i in range(7)
    ],
    "completed_on": "2026-01-31",
    "issued_on": "2026-02-01",
    "expires_on": "2028-02-01",
    "heading": "Certificat de formare profesională continuă",
    "signatories": [
        {"name": "Maria Popescu", "title": "Președinte"},
        {"name": "Ion Ionescu", "title": "Director executiv"},
    ],
    "serial": "PRA-2026-000123",
    "verification_url": "https://practica.example.org/verify/abcdefghijklmnopqrstuvwxyz234567",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    size = len(render_certificate_pdf(SNAPSHOT))  # warm-up: fonts registered once per process
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        render_certificate_pdf(SNAPSHOT)
        timings.append((time.perf_counter() - start) * 1000)
    print(
        f"certificate PDF: median {statistics.median(timings):.1f} ms over {runs} renders "
        f"(fastest {min(timings):.1f} ms, slowest {max(timings):.1f} ms), {size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
