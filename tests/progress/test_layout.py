"""progress's modules import in one direction, the LRS's HTTP layer above the domain (the
import-linter contract in pyproject.toml), and each stays short enough to read."""

from tests.layout import import_cycles, long_modules


def test_no_module_of_progress_imports_itself_back_through_others():
    assert import_cycles("progress") == []


def test_no_module_of_progress_passes_600_lines():
    assert long_modules("progress") == {}
