"""courses' modules import in one direction and each stays short enough to read."""

from tests.layout import import_cycles, long_modules


def test_no_module_of_courses_imports_itself_back_through_others():
    assert import_cycles("courses") == []


def test_no_module_of_courses_passes_600_lines():
    assert long_modules("courses") == {}
