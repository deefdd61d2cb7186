"""The team report's table cells as HTML, built in Python: a page of 50 members x 20 courses
is 1,000 cells, and the same markup through template tags costs several times more."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lms.api import format_date
from organisations.reports.types import Cell, CellStatus


def cell_html(cell: Cell | None) -> SafeString:
    """One ``<td>``: status (and percent, score), then the completion or due date."""
    if cell is None:
        return mark_safe("<td>—</td>")
    text: str = str(escape(cell.status.label))
    if cell.status == CellStatus.IN_PROGRESS:
        text += f" {cell.percent}%"
    if cell.score is not None:
        text += f" · {round(cell.score * 100)}%"
    if cell.completed_on:
        text += f"<br><small>{format_date(cell.completed_on)}</small>"
    elif cell.due_on:
        when = format_date(cell.due_on)
        label = f"<strong>{escape(_('Overdue'))}</strong>" if cell.overdue else escape(_("Due"))
        text += f"<br><small>{label}: {when}</small>"
    if cell.certificate:
        text += f"<br><small>{escape(cell.certificate)}</small>"
    kind = (
        ' class="overdue"'
        if cell.overdue
        else (' class="done"' if cell.status == CellStatus.COMPLETED else "")
    )
    return mark_safe(f"<td{kind}>{text}</td>")  # noqa: S308 - every part escaped above
