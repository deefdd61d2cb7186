"""The chart kit: small SVG charts (bars, a line over time) for any page, first the organisation
pages and reports; pure functions of their data (no query, no JavaScript, no external asset)
that return an inline ``<svg>``.

Each chart is an image to assistive technology (``role="img"``) named by its ``<title>`` and
described by its ``<desc>``, which carries the figures as text; the page should still give the
same figures in a table for those who need them. It scales to its container (``viewBox``, width
100 %). Colours keep at least 3:1 against white (WCAG 2.1 §1.4.11), and every series also has
its own pattern and a legend with its total, so the chart reads without colour.

Embed a chart inside a ``<figure>`` whose ``<figcaption>`` says what it shows.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from datetime import date
from itertools import pairwise

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

INK = "#1b1f24"
MUTED = "#4a5360"
GRID = "#c9d0d8"
LINE = "#0b5c8a"
# Contrast against white: 7.2, 6.6, 5.9, 7.5, 8.3, 7.8 (each at least 3:1, for graphics).
PALETTE = ("#0b5c8a", "#1d6b35", "#a34a00", "#a1251b", "#5b3f8c", "#4a5360")
# White marks drawn over each series' colour: the same order as PALETTE.
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal", "vertical")

WIDTH = 640
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
CHAR_WIDTH = 6.6  # an estimate of a character's width at 12px, for layout without a font


def _number(value: float) -> str:
    """A figure as people read it: no decimals for whole numbers, one otherwise (localised)."""
    if float(value).is_integer():
        return str(formats.number_format(int(value)))
    return str(formats.number_format(round(value, 1), decimal_pos=1))


def _day(value: date) -> str:
    return str(formats.date_format(value, "SHORT_DATE_FORMAT"))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _prefix(*parts: object) -> str:
    """Ids unique to this chart's content, so that two charts on a page do not share ids."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:8]
    return f"chart-{digest}"


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``maximum`` (about ``count`` steps); [0, 1] for a
    zero or negative maximum, so that scales never divide by zero."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if maximum >= 1:
        step = max(step, 1.0)  # whole figures (seats, people) get whole ticks
    top = math.ceil(maximum / step - 1e-9) * step
    return [round(i * step, 6) for i in range(round(top / step) + 1)]


def _open(prefix: str, title: str, description: str, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height:g}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f"{FONT} "
        f'aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
    )


def _no_data(title: str, description: str) -> SafeString:
    prefix = _prefix("empty", title, description)
    text = " ".join(part for part in (description, _("No data.")) if part)
    return mark_safe(  # noqa: S308 - every text in it is escaped
        _open(prefix, title, text, 40)
        + f'<text x="8" y="25" fill="{MUTED}">{escape(_("No data"))}</text></svg>'
    )


def _pattern(prefix: str, index: int) -> str:
    """A fill of the series' colour with white marks over it (none for the first)."""
    colour = PALETTE[index % len(PALETTE)]
    kind = PATTERNS[index % len(PATTERNS)]
    marks = {
        "solid": "",
        "diagonal": '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="2"/>',
        "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
        "cross": '<path d="M0,4 h8 M4,0 v8" stroke="#fff" stroke-width="1.5"/>',
        "horizontal": '<path d="M0,4 h8" stroke="#fff" stroke-width="2"/>',
        "vertical": '<path d="M4,0 v8" stroke="#fff" stroke-width="2"/>',
    }[kind]
    return (
        f'<pattern id="{prefix}-s{index}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
    )


def _legend(
    prefix: str, names: Sequence[str], totals: Sequence[float], y: float
) -> tuple[str, float]:
    """Legend items (swatch, name, total) flowing over as many lines as they need; returns the
    markup and the height it takes."""
    parts, x, line = [], 8.0, 0
    for index, (name, total) in enumerate(zip(names, totals, strict=True)):
        text = f"{_short(name, 40)} ({_number(total)})"
        width = 22 + len(text) * CHAR_WIDTH + 16
        if x > 8 and x + width > WIDTH:
            x, line = 8.0, line + 1
        top = y + line * 20
        parts.append(
            f'<g class="legend-item"><rect x="{x:g}" y="{top:g}" width="14" height="14" '
            f'fill="url(#{prefix}-s{index})" stroke="{INK}" stroke-width="0.5"/>'
            f'<text x="{x + 20:g}" y="{top + 11:g}" fill="{INK}">{escape(text)}</text></g>'
        )
        x += width
    return "".join(parts), (line + 1) * 20


def _row_figures(names: Sequence[str], row: Sequence[float]) -> str:
    """A row's figures after its bar: named when short enough ("Used 4 · Free 6"), else the
    bare figures in the legend's order."""
    named = " · ".join(f"{name} {_number(v)}" for name, v in zip(names, row, strict=True))
    return named if len(named) <= 18 else " · ".join(_number(v) for v in row)


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    stacked: bool = True,
    description: str = "",
) -> SafeString:
    """Horizontal bars, one row per label (long course titles fit on the left), with one
    segment per series: stacked end to end, or side by side (``stacked=False``). Each row ends
    with its figures; the legend gives each series' pattern and total; ``<desc>`` has every
    figure, row by row."""
    values = [[max(float(v), 0.0) for v in data] for _, data in series]
    if not labels or not series or any(len(v) != len(labels) for v in values):
        return _no_data(title, description)
    names = [name for name, _ in series]
    rows = list(zip(*values, strict=True))
    longest = max((sum(r) if stacked else max(r)) for r in rows)
    ticks = nice_ticks(longest)
    scale = ticks[-1]
    prefix = _prefix("bar", title, labels, series, stacked)

    label_width, plot_left, plot_width = 180, 190.0, 330.0
    legend, legend_height = _legend(prefix, names, [sum(v) for v in values], 8)
    top = 8 + legend_height + 8
    row_height = 26 if stacked else max(26, 10 * len(names) + 8)
    bar_height = float(row_height - 10)
    height = top + row_height * len(labels) + 24

    def width_of(value: float) -> float:
        return round(value / scale * plot_width, 2)

    body = [f"<defs>{''.join(_pattern(prefix, i) for i in range(len(names)))}</defs>", legend]
    bottom = top + row_height * len(labels)
    for tick in ticks:
        x = plot_left + width_of(tick)
        body.append(
            f'<line x1="{x:g}" y1="{top:g}" x2="{x:g}" y2="{bottom:g}" stroke="{GRID}"/>'
            f'<text x="{x:g}" y="{bottom + 16:g}" text-anchor="middle" fill="{MUTED}">'
            f"{_number(tick)}</text>"
        )
    for row_index, (label, row) in enumerate(zip(labels, rows, strict=True)):
        y = top + row_index * row_height + 5
        figures = _row_figures(names, row)
        body.append(
            f'<g class="row"><title>{escape(label)}: {escape(figures)}</title>'
            f'<text x="{label_width:g}" y="{y + bar_height / 2 + 4:g}" text-anchor="end" '
            f'fill="{INK}">{escape(_short(label, 27))}</text>'
        )
        x = plot_left
        for index, value in enumerate(row):
            length = width_of(value)
            if stacked:
                seg_y, seg_h, seg_x = y, bar_height, x
                x += length
            else:
                seg_h = bar_height / len(names)
                seg_y, seg_x = y + index * seg_h, plot_left
            body.append(
                f'<rect class="bar" data-series="{index}" data-value="{value:g}" '
                f'x="{seg_x:g}" y="{seg_y:g}" width="{length:g}" height="{seg_h:g}" '
                f'fill="url(#{prefix}-s{index})" stroke="#fff" stroke-width="1">'
                f"<title>{escape(label)} — {escape(names[index])}: {_number(value)}</title></rect>"
            )
        end = plot_left + (width_of(sum(row)) if stacked else width_of(max(row)))
        body.append(
            f'<text x="{end + 6:g}" y="{y + bar_height / 2 + 4:g}" fill="{INK}">'
            f"{escape(figures)}</text></g>"
        )
    body.append(
        f'<line x1="{plot_left:g}" y1="{top:g}" x2="{plot_left:g}" y2="{bottom:g}" stroke="{INK}"/>'
    )
    summary = "; ".join(
        f"{label}: " + ", ".join(f"{n} {_number(v)}" for n, v in zip(names, row, strict=True))
        for label, row in zip(labels, rows, strict=True)
    )
    text = " ".join(part for part in (description, summary + ".") if part)
    return mark_safe(  # noqa: S308 - every text in it is escaped
        _open(prefix, title, text, height) + "".join(body) + "</svg>"
    )


def line_chart(
    *,
    title: str,
    points: Sequence[tuple[date, float]],
    ceiling: float | None = None,
    description: str = "",
    ceiling_label: str = "",
) -> SafeString:
    """A value over time drawn as steps (it holds from one day to the next: seats held per
    day), with a dashed ceiling (a pool's seats) labelled at its end, the first and last dates,
    and a few ticks. ``<desc>`` says the period, the lowest, highest and last values."""
    ordered = sorted((day, max(float(v), 0.0)) for day, v in points)
    if not ordered:
        return _no_data(title, description)
    first, last = ordered[0][0], ordered[-1][0]
    highest = max(v for _, v in ordered)
    ticks = nice_ticks(max(highest, ceiling or 0.0))
    scale = ticks[-1]
    prefix = _prefix("line", title, ordered, ceiling)

    left, right, top, plot_height = 48.0, WIDTH - 124.0, 20.0, 180.0
    bottom = top + plot_height
    span = (last - first).days or 1  # one day: a flat step across the plot

    def x_of(day: date) -> float:
        return round(left + (day - first).days / span * (right - left), 2)

    def y_of(value: float) -> float:
        return round(bottom - value / scale * plot_height, 2)

    body = []
    for tick in ticks:
        y = y_of(tick)
        body.append(
            f'<line x1="{left:g}" y1="{y:g}" x2="{right:g}" y2="{y:g}" stroke="{GRID}"/>'
            f'<text x="{left - 6:g}" y="{y + 4:g}" text-anchor="end" fill="{MUTED}">'
            f"{_number(tick)}</text>"
        )
    steps = [f"M{x_of(first):g},{y_of(ordered[0][1]):g}"]
    for (_when, value), (next_day, next_value) in pairwise(ordered):
        steps.append(f"H{x_of(next_day):g}")
        if next_value != value:
            steps.append(f"V{y_of(next_value):g}")
    if len(ordered) == 1:
        steps.append(f"H{right:g}")
    end_value = ordered[-1][1]
    end_y = y_of(end_value)
    body.append(
        f'<path class="line" d="{" ".join(steps)}" fill="none" stroke="{LINE}" '
        f'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    if ceiling is not None:
        y = y_of(max(ceiling, 0.0))
        label = f"{ceiling_label or _('Ceiling')}: {_number(ceiling)}"
        body.append(
            f'<line class="ceiling" x1="{left:g}" y1="{y:g}" x2="{right:g}" y2="{y:g}" '
            f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{right + 6:g}" y="{y - 4:g}" fill="{INK}">{escape(_short(label, 17))}'
            f"<title>{escape(label)}</title></text>"
        )
        if abs(end_y - y) < 16:  # the last value's label goes under the ceiling's
            end_y = y + 12
    body.append(
        f'<text x="{right + 6:g}" y="{end_y + 4:g}" fill="{LINE}" font-weight="600">'
        f"{_number(end_value)}</text>"
    )
    body.append(
        f'<line x1="{left:g}" y1="{bottom:g}" x2="{right:g}" y2="{bottom:g}" stroke="{INK}"/>'
        f'<text x="{left:g}" y="{bottom + 18:g}" fill="{MUTED}">{escape(_day(first))}</text>'
    )
    if last != first:
        body.append(
            f'<text x="{right:g}" y="{bottom + 18:g}" text-anchor="end" fill="{MUTED}">'
            f"{escape(_day(last))}</text>"
        )
    summary = _("From %(first)s to %(last)s: lowest %(low)s, highest %(high)s, last %(end)s.") % {
        "first": _day(first),
        "last": _day(last),
        "low": _number(min(v for _, v in ordered)),
        "high": _number(highest),
        "end": _number(end_value),
    }
    if ceiling is not None:
        summary += f" {ceiling_label or _('Ceiling')}: {_number(ceiling)}."
    text = " ".join(part for part in (description, summary) if part)
    return mark_safe(  # noqa: S308 - every text in it is escaped
        _open(prefix, title, text, bottom + 28) + "".join(body) + "</svg>"
    )
