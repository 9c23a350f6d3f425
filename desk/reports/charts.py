"""The report's charts as SVG drawn on the server: readable without JavaScript, in print, in
Persian digits and right to left.

Drawn here rather than by a charting library: pygal (the well-kept server-side SVG one)
styles its charts with an embedded <style> element, which the portal's Content Security
Policy blocks (no 'unsafe-inline'), points its tooltips at a CDN script, and lays axes out
left to right. Two shapes are all the report needs: columns (months, first month on the
right) and horizontal bars (units, their names on the right). Colours are SVG presentation
attributes, which the policy allows; every number goes through desk.reports.format_value."""

from dataclasses import dataclass, field
from typing import Any

from desk.reports import SHARE, Chart, format_value

# The portal's colours (static/css/admin.css), then greys that print apart.
PALETTE = ("#0b5d7a", "#e0a100", "#6b8e23", "#8e3b5b", "#555555")
WIDTH = 640
FONT = 13
GRID_STEPS = 4


@dataclass
class Mark:
    """A bar, its value written beside it."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str
    label_x: float
    label_y: float
    anchor: str = "middle"


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Drawing:
    """What the template (templates/reports/_chart.html) draws."""

    key: str
    title: Any
    width: int
    height: int
    marks: list[Mark] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    legend: list[tuple[str, Any]] = field(default_factory=list)
    empty: bool = False


def draw(chart: Chart) -> Drawing:
    return _bars(chart) if chart.kind == "bars" else _columns(chart)


def _top(chart: Chart) -> float:
    """The axis' end: 100% for shares, else the largest value rounded up to a round step."""
    if chart.measure == SHARE:
        return 1.0
    largest = max((v for _label, values in chart.series for v in values if v), default=0)
    if not largest:
        return 1
    step = 10 ** max(len(str(int(largest))) - 1, 0)
    return ((int(largest) // step) + 1) * step


def _legend(chart: Chart) -> list[tuple[str, Any]]:
    if len(chart.series) < 2:
        return []
    return [(PALETTE[i % len(PALETTE)], label) for i, (label, _v) in enumerate(chart.series)]


def _columns(chart: Chart) -> Drawing:
    """Vertical columns per category, the first category on the right; the value axis on
    the right too, where a right-to-left reader starts."""
    height, top_pad, bottom_pad, axis_pad, left_pad = 260, 20, 40, 56, 12
    plot_h = height - top_pad - bottom_pad
    plot_w = WIDTH - axis_pad - left_pad
    right = WIDTH - axis_pad
    top_value = _top(chart)
    drawing = Drawing(chart.key, chart.title, WIDTH, height, legend=_legend(chart))
    _grid(drawing, chart, top_value, left_pad, right, top_pad, plot_h, vertical=True)
    slots = max(len(chart.categories), 1)
    slot_w = plot_w / slots
    series_count = max(len(chart.series), 1)
    bar_w = min(48.0, slot_w * 0.7 / series_count)
    for index, category in enumerate(chart.categories):
        slot_right = right - index * slot_w
        centre = slot_right - slot_w / 2
        group_w = bar_w * series_count
        for s_index, (_label, values) in enumerate(chart.series):
            value = values[index] if index < len(values) else None
            bar_h = plot_h * (value or 0) / top_value
            # Series run right to left inside the group, like the categories.
            x = centre + group_w / 2 - (s_index + 1) * bar_w
            y = top_pad + plot_h - bar_h
            drawing.marks.append(
                Mark(
                    x,
                    y,
                    bar_w - 2,
                    bar_h,
                    PALETTE[s_index % len(PALETTE)],
                    format_value(value, chart.measure),
                    x + (bar_w - 2) / 2,
                    y - 5,
                )
            )
        drawing.texts.append(Text(centre, height - bottom_pad + FONT + 6, category))
    drawing.empty = not any(v for _label, values in chart.series for v in values)
    return drawing


def _bars(chart: Chart) -> Drawing:
    """Horizontal bars per category (long names such as units), names on the right and the
    bars growing leftwards from them."""
    row_h, top_pad, label_w, value_pad, bottom_pad = 26, 10, 190, 56, 24
    rows = max(len(chart.categories), 1)
    height = top_pad + rows * row_h + bottom_pad
    right = WIDTH - label_w
    plot_w = right - value_pad
    top_value = _top(chart)
    drawing = Drawing(chart.key, chart.title, WIDTH, height, legend=_legend(chart))
    _grid(drawing, chart, top_value, value_pad, right, top_pad, rows * row_h, vertical=False)
    series_count = max(len(chart.series), 1)
    bar_h = (row_h - 8) / series_count
    for index, category in enumerate(chart.categories):
        row_top = top_pad + index * row_h + 4
        drawing.texts.append(Text(WIDTH - 4, row_top + row_h / 2 + 1, _shorten(category), "start"))
        for s_index, (_label, values) in enumerate(chart.series):
            value = values[index] if index < len(values) else None
            bar_w = plot_w * (value or 0) / top_value
            y = row_top + s_index * bar_h
            drawing.marks.append(
                Mark(
                    right - bar_w,
                    y,
                    bar_w,
                    bar_h - 1,
                    PALETTE[s_index % len(PALETTE)],
                    format_value(value, chart.measure),
                    right - bar_w - 4,
                    y + bar_h / 2 + 4,
                    "start",
                )
            )
    drawing.empty = not chart.categories
    return drawing


def _grid(drawing, chart, top_value, low, high, top, length, *, vertical: bool) -> None:
    """The value axis' lines and their numbers."""
    for step in range(GRID_STEPS + 1):
        value = top_value * step / GRID_STEPS
        label = format_value(value if chart.measure == SHARE else round(value), chart.measure)
        if vertical:
            y = top + length - length * step / GRID_STEPS
            drawing.lines.append(Line(low, y, high, y))
            drawing.texts.append(Text(high + 6, y + 4, label, "end"))
        else:
            x = high - (high - low) * step / GRID_STEPS
            drawing.lines.append(Line(x, top, x, top + length))
            drawing.texts.append(Text(x, top + length + FONT + 4, label))


def _shorten(text: str, limit: int = 28) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
