"""The error every check raises, naming the offending property's path."""

from __future__ import annotations

from typing import Final, NoReturn

from lms.api import InvalidInput


class StatementValidationError(InvalidInput, ValueError):
    """Raised on the first violation.

    ``path`` names the property, e.g. ``statement.context.contextActivities.parent[0].id``;
    ``message`` says what is wrong. ``str(error)`` is ``"{path}: {message}"``.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}", field=path)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _fail(path: str, message: str) -> NoReturn:
    raise StatementValidationError(path, message)


_MISSING: Final = object()
