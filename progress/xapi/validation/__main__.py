"""Micro-benchmark: python -m progress.xapi.validation [statement.json ...]"""

from __future__ import annotations

from typing import Any

from progress.xapi.validation.scalars import _valid_iris, _valid_tags
from progress.xapi.validation.statement import validate_statement


def _benchmark(paths: list[str]) -> None:  # pragma: no cover - a measuring tool
    import json  # noqa: PLC0415
    import pathlib  # noqa: PLC0415
    import timeit  # noqa: PLC0415

    if not paths:
        root = pathlib.Path(__file__).resolve().parents[3] / "tests" / "data" / "cmi5"
        paths = [
            str(
                root
                / "aicc/samples/scenarios/03-completed_or_passed-passed"
                / "04-passed_statement.json"
            )
        ]
    for name in paths:
        statement = json.loads(pathlib.Path(name).read_text(encoding="utf-8"))
        runs = 20_000

        def warm(s: Any = statement) -> None:
            validate_statement(s, version="1.0.3")

        def cold(s: Any = statement) -> None:
            _valid_iris.clear()
            _valid_tags.clear()
            validate_statement(s, version="1.0.3")

        warm_time = min(timeit.repeat(warm, number=runs, repeat=5))
        cold_time = min(timeit.repeat(cold, number=runs, repeat=5))
        print(  # noqa: T201
            f"{name}: {warm_time / runs * 1e6:.2f} µs/statement (caches warm), "
            f"{cold_time / runs * 1e6:.2f} µs/statement (caches cleared each time)"
        )


if __name__ == "__main__":  # pragma: no cover
    import sys

    _benchmark(sys.argv[1:])
