"""Checks on text people and systems send, shared by every parser: NUL characters, and error
lists kept to a readable length."""

from collections.abc import Iterator, Sequence

NUL = "\x00"
# A list of problems longer than this is cut, with a count of the rest: a file with 30,000 bad
# rows is refused just as clearly with its first hundred problems, and the answer stays small.
MAX_ERRORS = 100


def nul_paths(value: object, path: str) -> Iterator[str]:
    """The paths of the strings (and keys) holding a NUL character in a parsed JSON ``value``,
    without recursion. PostgreSQL stores no NUL in text or JSON, and no real text needs one."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                yield where
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                if isinstance(key, str) and NUL in key:
                    yield f"{where}[{key!r}]"
                stack.append((child, f"{where}.{key}"))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]") for i, child in reversed(list(enumerate(item))))


def capped(errors: Sequence[str], *, most: int = MAX_ERRORS, more: str = "") -> list[str]:
    """The first ``most`` errors, then one line saying how many more there are (``more`` is a
    translatable "%(count)s more problems" pattern; English by default)."""
    if len(errors) <= most:
        return list(errors)
    rest = len(errors) - most
    line = (more or "… and %(count)s more problems") % {"count": f"{rest:,}"}
    return [*errors[:most], line]
