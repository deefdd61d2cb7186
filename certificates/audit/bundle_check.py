#!/usr/bin/env python3
"""Check a Practica evidence bundle offline (Python 3.9+, standard library only).

    python3 check_bundle.py DIRECTORY_OR_ZIP

Recomputes the SHA-256 of every file listed in manifest.json, the content hash and entry hash
of every chain entry, and compares each record (records.csv), its statements and each
certificate PDF with what the chain logged. Prints what it checked; exits 1 naming every
problem found.

This file is shipped inside each bundle; Practica's tests run it on bundles they build.
"""

# ruff: noqa: T201 - a command-line script: it prints what it checked
import csv
import hashlib
import io
import json
import sys
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

SHIPPED = {"manifest.json", "README.txt", "check_bundle.py"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bundle(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {
            str(found.relative_to(path)).replace("\\", "/"): found.read_bytes()
            for found in path.rglob("*")
            if found.is_file()
        }
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def entry_hash(entry: dict) -> str:
    fields = (
        str(entry["sequence"]),
        entry["kind"],
        entry["subject"],
        entry["content_hash"],
        entry["previous_hash"],
        entry["recorded_at"],
    )
    return sha256("\n".join(fields).encode("utf-8"))


def instant(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def check_files(manifest: dict, files: dict[str, bytes], problems: list[str]) -> None:
    listed = set()
    for item in manifest["files"]:
        listed.add(item["path"])
        data = files.get(item["path"])
        if data is None:
            problems.append(f"{item['path']}: listed in the manifest but missing")
        elif sha256(data) != item["sha256"]:
            problems.append(f"{item['path']}: its SHA-256 differs from the manifest's")
    problems.extend(f"{name}: not listed in the manifest" for name in set(files) - listed - SHIPPED)


def check_chain(manifest: dict, problems: list[str]) -> dict[str, dict]:
    """Each entry's hashes; returns the entries by entry hash."""
    by_hash = {}
    for entry in manifest["chain"]["entries"]:
        if sha256(entry["content"].encode("utf-8")) != entry["content_hash"]:
            problems.append(f"chain entry {entry['sequence']}: its content does not match its hash")
        if entry_hash(entry) != entry["entry_hash"]:
            problems.append(f"chain entry {entry['sequence']}: its entry hash does not hold")
        by_hash[entry["entry_hash"]] = entry
    return by_hash


def check_records(files: dict[str, bytes], by_hash: dict[str, dict], problems: list[str]) -> int:
    rows = list(csv.DictReader(io.StringIO(files.get("records.csv", b"").decode("utf-8"))))
    for line, row in enumerate(rows, start=2):
        entry = by_hash.get(row["chain_entry_hash"])
        if entry is None or entry["kind"] != "completion":
            problems.append(f"records.csv line {line}: no completion entry in the chain")
            continue
        logged = json.loads(entry["content"])
        same = (
            logged["record"] == row["record"]
            and logged["learner"] == row["learner"]
            and logged["registration"] == row["registration"]
            and instant(logged["completed_at"]) == instant(row["completed_at"])
            and int(float(logged["time_spent"])) == int(row["time_spent_seconds"])
            and (
                (logged["score_scaled"] is None and row["score_scaled"] == "")
                or (
                    logged["score_scaled"] is not None
                    and row["score_scaled"] != ""
                    and Decimal(logged["score_scaled"]) == Decimal(row["score_scaled"])
                )
            )
        )
        if not same:
            problems.append(f"records.csv line {line}: differs from its chain entry")
        statements = json.loads(files.get(f"statements/{row['registration']}.json", b"[]"))
        stored = {str(statement.get("id", "")).lower() for statement in statements}
        missing = [e for e in logged.get("evidence", []) if str(e).lower() not in stored]
        if missing:
            problems.append(
                f"records.csv line {line}: statements behind the record are missing: "
                + ", ".join(missing)
            )
    return len(rows)


def check_certificates(
    files: dict[str, bytes], by_hash: dict[str, dict], problems: list[str]
) -> int:
    issued = {}
    for entry in by_hash.values():
        if entry["kind"] == "certificate.issued":
            content = json.loads(entry["content"])
            issued[content["serial"]] = content
    pdfs = [name for name in files if name.startswith("certificates/") and name.endswith(".pdf")]
    for name in pdfs:
        serial = name.rsplit("/", 1)[-1][: -len(".pdf")]
        content = issued.get(serial)
        if content is None:
            problems.append(f"{name}: no issue of this certificate in the chain")
        elif content["pdf_sha256"] != sha256(files[name]):
            problems.append(f"{name}: differs from the PDF the chain logged when it was issued")
    return len(pdfs)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    files = read_bundle(Path(argv[1]))
    if "manifest.json" not in files:
        print("No manifest.json: not an evidence bundle.")
        return 1
    manifest = json.loads(files["manifest.json"])
    problems: list[str] = []
    check_files(manifest, files, problems)
    by_hash = check_chain(manifest, problems)
    records = check_records(files, by_hash, problems)
    certificates = check_certificates(files, by_hash, problems)
    head = manifest["chain"].get("head") or {}
    print(
        f"{records} records, {certificates} certificates, {len(by_hash)} chain entries checked; "
        f"chain head {head.get('entry_hash', '-')} at {head.get('recorded_at', '-')}"
    )
    for problem in problems:
        print(f"PROBLEM {problem}")
    print("OK: the bundle is intact." if not problems else f"{len(problems)} problem(s) found.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
