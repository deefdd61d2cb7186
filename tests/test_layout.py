"""Every app's modules import in one direction (no cycle among them, imports inside functions
included) and each stays short enough to read (docs/style.md, "The shape of an app"). The
import-linter contracts in pyproject.toml say which way; these say that there is a way."""

import pytest

from tests.layout import MAX_MODULE_LINES, import_cycles, long_modules

APPS = ["lms", "courses", "progress", "frameworks", "certificates", "organisations"]


@pytest.mark.parametrize("app", APPS)
def test_no_module_imports_itself_back_through_others(app):
    assert import_cycles(app) == []


@pytest.mark.parametrize("app", APPS)
def test_no_module_is_longer_than_the_limit(app):
    assert long_modules(app) == {}, f"over {MAX_MODULE_LINES} lines"
