"""Framework import benchmark (not a test): a generated CASE package of N items, imported and
re-imported, timed; shows the command's progress bar.

    DATABASE_URL=postgres://... python bench/frameworks.py --items 10000
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]


def package(items: int) -> dict:
    document_id = str(uuid.uuid4())
    document = {
        "title": "Bench framework",
        "identifier": document_id,
        "uri": f"urn:bench:{document_id}",
    }
    nodes = [
        {"title": f"C{i}", "identifier": str(uuid.uuid4()), "uri": f"urn:bench:{i}"}
        for i in range(items)
    ]
    cf_items = [
        {
            "identifier": n["identifier"],
            "uri": n["uri"],
            "fullStatement": f"Competence {i} of the bench framework",
            "humanCodingScheme": f"{i // 100}.{i % 100}",
        }
        for i, n in enumerate(nodes)
    ]
    associations = [
        {"identifier": str(uuid.uuid4()), "associationType": "isChildOf", "originNodeURI": n,
         "destinationNodeURI": document if i < 100 else nodes[i // 100 - 1], "sequenceNumber": i}
        for i, n in enumerate(nodes)
    ]  # fmt: skip
    return {
        "CFDocument": {
            "identifier": document_id,
            "title": "Bench framework",
            "uri": document["uri"],
        },
        "CFItems": cf_items,
        "CFAssociations": associations,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        handle.write(orjson.dumps(package(args.items)))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings"}
    for attempt in ("import", "re-import (update by identifier)"):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "import_framework", handle.name],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(
            f"{attempt}: {args.items:,} items in {time.perf_counter() - start:.2f} s (process included)"
        )
    Path(handle.name).unlink()


if __name__ == "__main__":
    main()
