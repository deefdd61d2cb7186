"""The SVG charts: well-formed, accessible (named and described, text escaped), scalable, bars
and steps proportional to the figures, and a short "No data" image for empty input."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.utils.safestring import SafeString

from lms.kits.charts import bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def _bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]


def _assert_accessible(root: ET.Element) -> None:
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert not list(root.iter(f"{SVG}script"))


def test_a_bar_chart_is_well_formed_accessible_svg_with_a_legend():
    svg = bar_chart(
        title="Course status",
        labels=["Safeguarding basics", "Trauma-informed practice"],
        series=[("Completed", [4, 2]), ("In progress", [1, 3]), ("Overdue", [0, 1])],
        description="Members by status.",
    )
    assert isinstance(svg, SafeString)
    root = _parse(svg)
    _assert_accessible(root)
    legend = [
        "".join(g.itertext()) for g in root.iter(f"{SVG}g") if g.get("class") == "legend-item"
    ]
    assert legend == ["Completed (6)", "In progress (4)", "Overdue (1)"]
    # Each series has its own pattern, so the chart reads without colour.
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert len(patterns) == 3
    assert {r.get("fill") for r in _bars(root)} == {f"url(#{p})" for p in patterns}
    # The figures are in the description, for screen readers.
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Members by status.")
    assert "Safeguarding basics: Completed 4, In progress 1, Overdue 0" in desc


def test_stacked_bar_lengths_are_proportional_to_the_figures():
    series = [("Used", [3, 6]), ("Free", [7, 0])]
    root = _parse(bar_chart(title="Seats", labels=["A", "B"], series=series))
    bars = _bars(root)
    widths = {(b.get("data-series"), b.get("data-value")): float(b.get("width")) for b in bars}
    assert widths[("0", "6")] == pytest.approx(2 * widths[("0", "3")])
    assert widths[("0", "3")] + widths[("1", "7")] == pytest.approx(10 / 6 * widths[("0", "6")])
    # Stacked: the second segment starts where the first ends.
    first_row = [b for b in bars if float(b.get("y")) == float(bars[0].get("y"))]
    assert float(first_row[1].get("x")) == pytest.approx(
        float(first_row[0].get("x")) + float(first_row[0].get("width"))
    )


def test_grouped_bars_start_together_and_keep_proportions():
    series = [("x", [2]), ("y", [8])]
    root = _parse(bar_chart(title="Side by side", labels=["A"], series=series, stacked=False))
    short, long = _bars(root)
    assert short.get("x") == long.get("x")
    assert float(long.get("width")) == pytest.approx(4 * float(short.get("width")))


def test_text_is_escaped_and_stays_text():
    nasty = '<script>alert("x")</script> & co'
    svg = bar_chart(title=nasty, labels=[nasty], series=[(nasty, [1])], description=nasty)
    assert "<script>" not in svg
    root = _parse(svg)
    assert root.find(f"{SVG}title").text == nasty
    assert nasty in root.find(f"{SVG}desc").text
    line = line_chart(title=nasty, points=[(date(2026, 1, 1), 1)], description=nasty)
    assert "<script>" not in line
    assert _parse(line).find(f"{SVG}title").text == nasty


@pytest.mark.parametrize(
    "draw",
    [
        lambda: bar_chart(title="Empty", labels=[], series=[]),
        lambda: bar_chart(title="Empty", labels=["A"], series=[]),
        lambda: bar_chart(title="Mismatched", labels=["A", "B"], series=[("x", [1])]),
        lambda: line_chart(title="Empty", points=[]),
    ],
)
def test_empty_input_gives_a_short_no_data_image(draw):
    svg = draw()
    root = _parse(svg)
    _assert_accessible(root)
    assert "No data" in "".join(root.itertext())
    assert len(svg) < 800


def test_zero_figures_do_not_divide_by_zero():
    bars = _bars(_parse(bar_chart(title="Zero", labels=["A"], series=[("x", [0]), ("y", [0])])))
    assert [float(b.get("width")) for b in bars] == [0, 0]
    line = _parse(line_chart(title="Zero", points=[(date(2026, 1, 1), 0)], ceiling=0))
    assert line.find(f"{SVG}path").get("d")


def test_a_line_chart_steps_through_the_days_under_a_dashed_ceiling():
    start = date(2026, 1, 1)
    points = [(start + timedelta(days=i), v) for i, v in enumerate([0, 2, 2, 5, 4])]
    svg = line_chart(title="Seats held", points=points, ceiling=10, ceiling_label="Seats bought")
    root = _parse(svg)
    _assert_accessible(root)
    path = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "line")
    commands = path.get("d").split()
    assert commands[0].startswith("M")
    # One horizontal move per following day, a vertical one only where the value changes.
    assert sum(c.startswith("H") for c in commands) == 4
    assert sum(c.startswith("V") for c in commands) == 3
    ceiling = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "ceiling")
    assert ceiling.get("stroke-dasharray")
    texts = list(root.itertext())
    assert "Seats bought: 10" in texts
    # The first and last dates label the time axis.
    assert any("2026" in t and "1" in t for t in texts)
    desc = root.find(f"{SVG}desc").text
    assert "lowest 0, highest 5, last 4" in desc


def test_line_heights_are_proportional_to_the_values():
    start = date(2026, 1, 1)
    root = _parse(line_chart(title="t", points=[(start, 5), (start + timedelta(days=1), 10)]))
    ticks = {
        "".join(t.itertext()): float(t.get("y"))
        for t in root.iter(f"{SVG}text")
        if t.get("text-anchor") == "end" and "".join(t.itertext()).isdigit()
    }
    path = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "line").get("d")
    first_y = float(path.split()[0].split(",")[1])
    last_y = float(path.split()[-1][1:])
    zero = ticks["0"] - 4  # tick labels sit 4 below their line
    assert zero - last_y == pytest.approx(2 * (zero - first_y))


def test_ticks_are_round_and_reach_the_maximum():
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(10) == [0, 5, 10]
    assert nice_ticks(7)[-1] >= 7
    assert nice_ticks(0.3)[-1] >= 0.3
    assert all(float(t).is_integer() for t in nice_ticks(3))
