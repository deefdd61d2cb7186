"""One family of errors for the whole project (docs/style.md, "Errors and bad input").

A service or selector raises an ``ApplicationError`` of the kind that says what went wrong
(``InvalidInput``, ``NotAllowed``, ``NotFound``, ``Conflict``, ``Gone``,
``PreconditionFailed``, ``Unavailable``); an app's own errors derive from one of them
(``organisations.seats.SeatError`` is a ``Conflict``). The HTTP status of each kind is set
here, once, and nowhere else: the REST API's handler (``lms.api_views.exception_handler``), the
pages' handler (``lms.middleware.ApplicationErrorMiddleware``) and the LRS
(``progress.xapi.views.XAPIView``) read it from the error. Services never name a status.

``NotFound`` is also Django's ``Http404`` and ``NotAllowed`` its ``PermissionDenied``, so code
that catches Django's errors (and Django's own handlers) keeps treating them alike.
"""

from collections.abc import Mapping
from typing import Any, ClassVar, TypeAlias

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

Text: TypeAlias = str | Promise


def _restore(cls: type["ApplicationError"], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ApplicationError(Exception):
    """An error the person or client in front of us can act on.

    ``message`` is user-facing and translated (``gettext`` in the raising function); ``code`` a
    short machine slug (``"seat_ended"``), by default the kind's; ``field`` names the input it
    is about (a form or serializer field, a JSON path), ``extra`` carries more data for a
    client. ``status`` is the kind's HTTP status: set by the classes of this module only.
    """

    status: int = 400
    default_code: ClassVar[str] = "invalid"
    default_message: ClassVar[Text] = gettext_lazy("The request is not valid.")
    default_field: ClassVar[str | None] = None
    title: ClassVar[Text] = gettext_lazy("The request cannot be carried out")

    def __init__(
        self,
        message: Text | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.message: Text = self.default_message if message is None else message
        self.code = code or self.default_code
        self.field = field if field is not None else self.default_field
        self.extra = dict(extra or {})
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other arguments than ``message``; rebuild from the state instead.
        return (_restore, (type(self), self.args, self.__dict__))

    @property
    def messages(self) -> list[str]:
        """Every reason, one a line (an import lists several); the message alone otherwise."""
        return [str(self.message)]


class InvalidInput(ApplicationError):  # noqa: N818 - a kind, named for what it means
    """The request itself is wrong: a value, a file, a combination of fields."""

    status = 400
    default_code = "invalid"


class NotAllowed(ApplicationError, PermissionDenied):  # noqa: N818 - a kind, named for what it means
    """The caller may not do this (to an object they may see)."""

    status = 403
    default_code = "not_allowed"
    default_message = gettext_lazy("You may not do this.")
    title = gettext_lazy("Not allowed")


class NotFound(ApplicationError, Http404):  # noqa: N818 - a kind, named for what it means
    """No such object, or one outside the caller's scope: answered as if it did not exist."""

    status = 404
    default_code = "not_found"
    default_message = gettext_lazy("There is nothing here, or you may not see it.")
    title = gettext_lazy("Not found")


class Conflict(ApplicationError):  # noqa: N818 - a kind, named for what it means
    """The object's state does not allow the change now (a seat rule, a conflicting id)."""

    status = 409
    default_code = "conflict"
    default_message = gettext_lazy("This cannot be done in the current state.")
    title = gettext_lazy("Not possible now")


class Gone(ApplicationError):  # noqa: N818 - a kind, named for what it means
    """It existed, and is no longer usable (a used or expired invitation)."""

    status = 410
    default_code = "gone"
    default_message = gettext_lazy("This is no longer available.")
    title = gettext_lazy("No longer available")


class PreconditionFailed(ApplicationError):  # noqa: N818 - a kind, named for what it means
    """A condition the client set failed (If-Match, If-None-Match); nothing changed."""

    status = 412
    default_code = "precondition_failed"
    default_message = gettext_lazy("The condition of the request does not hold; nothing changed.")
    title = gettext_lazy("Changed meanwhile")


class Unavailable(ApplicationError):  # noqa: N818 - a kind, named for what it means
    """The site cannot do it now, through no fault of the caller (a key it cannot read)."""

    status = 503
    default_code = "unavailable"
    default_message = gettext_lazy("This cannot be done now. Please try again later.")
    title = gettext_lazy("Unavailable")


KINDS: tuple[type[ApplicationError], ...] = (
    InvalidInput,
    NotAllowed,
    NotFound,
    Conflict,
    Gone,
    PreconditionFailed,
    Unavailable,
)
_CODES = {kind.status: kind.default_code for kind in KINDS}


def code_for_status(status: int) -> str:
    """The machine code of a kind by its status, for errors made from a status (the LRS's)."""
    return _CODES.get(status, f"http_{status}")


def error_body(error: ApplicationError) -> dict[str, Any]:
    """The JSON body of an error: ``{"detail", "code"}``, and with a field, ``"field"`` and the
    field's messages under its name (the shape of a serializer's 400, which clients read)."""
    body: dict[str, Any] = {"detail": str(error.message), "code": error.code}
    if error.field:
        body["field"] = error.field
        body.setdefault(error.field, error.messages)
    if error.extra:
        body["extra"] = error.extra
    return body
