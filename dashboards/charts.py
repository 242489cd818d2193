"""Geometry of the server-rendered SVG charts (templates/dashboards/_chart.html draws them).

A bar is as long as the published part of its count: a cell with a hidden member value is
drawn to its published part and labelled as in the table ("≥ 12"); the true length would
give the hidden value back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dashboards.figures import BAR, Figure

WIDTH = 640
LABEL_WIDTH = 220
ROW_HEIGHT = 26
PLOT_HEIGHT = 180
#: colours with at least 4.5:1 contrast on white (WCAG AA), told apart by the legend too.
PALETTE = ["#0b5cad", "#9a3412", "#166534", "#6b21a8"]
#: the characters of a bar's label that fit left of the bars (13 px text, LABEL_WIDTH): a
#: longer one ("Democratic Republic of the Congo", an area of work in Spanish) is cut with
#: "…" and shown whole on hover and in the table, instead of running off the chart's edge.
LABEL_CHARS = 30


def fit(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _svg(number: float) -> str:
    """An SVG coordinate, formatted here once (one decimal): the ``floatformat`` filter on
    every coordinate of every mark was most of the network dashboard's rendering time."""
    return f"{number:.1f}"


@dataclass(frozen=True)
class Mark:
    """One bar, its coordinates already formatted for the SVG."""

    x: str
    y: str
    width: str
    height: str
    colour: str
    text: str
    text_x: str
    text_y: str
    label: str = ""

    @classmethod
    def at(cls, x, y, width, height, colour, text, text_x, text_y, label) -> Mark:
        return cls(
            *(_svg(n) for n in (x, y, width, height)),
            colour,
            text,
            _svg(text_x),
            _svg(text_y),
            label,
        )


def _visible_peak(figure: Figure) -> int:
    peak = max((count.known for _label, values in figure.rows for count in values), default=0)
    return max(peak, 1)


def chart(figure: Figure) -> dict:
    """Everything the template needs to draw ``figure``: size, marks and axis labels (as
    markup), legend, and the table's shown values."""
    peak = _visible_peak(figure)
    marks: list[Mark] = []
    labels: list[tuple[str, str, str]] = []
    if figure.kind == BAR:
        plot = WIDTH - LABEL_WIDTH - 50
        columns = len(figure.columns)
        band = ROW_HEIGHT * columns + 8
        for row, (label, values) in enumerate(figure.rows):
            top = row * band + 4
            labels.append((_svg(LABEL_WIDTH - 8), _svg(top + band / 2), label))
            for column in range(columns):
                count = values[column]
                length = plot * count.known / peak
                y = top + column * ROW_HEIGHT
                marks.append(
                    Mark.at(
                        LABEL_WIDTH,
                        y,
                        length,
                        ROW_HEIGHT - 6,
                        PALETTE[column % len(PALETTE)],
                        count.shown,
                        LABEL_WIDTH + length + 6,
                        y + ROW_HEIGHT / 2,
                        label,
                    )
                )
        height = max(len(figure.rows) * band + 8, 40)
    else:
        months = len(figure.rows)
        columns = len(figure.columns)
        group = (WIDTH - 40) / max(months, 1)
        bar = max((group - 6) / columns, 2)
        for row, (label, values) in enumerate(figure.rows):
            left = 30 + row * group
            short = label[2:] if months > 8 else label
            labels.append((_svg(left + group / 2), _svg(PLOT_HEIGHT + 18), short))
            for column in range(columns):
                count = values[column]
                tall = (PLOT_HEIGHT - 20) * count.known / peak
                x = left + column * bar
                marks.append(
                    Mark.at(
                        x,
                        PLOT_HEIGHT - tall,
                        bar - 1,
                        tall,
                        PALETTE[column % len(PALETTE)],
                        "" if count.exact else count.shown,
                        x + bar / 2,
                        PLOT_HEIGHT - tall - 4,
                        label,
                    )
                )
        height = PLOT_HEIGHT + 30
    legend = [(name, PALETTE[index % len(PALETTE)]) for index, name in enumerate(figure.columns)]
    label_class = "chart-label-bar" if figure.kind == BAR else "chart-label-month"
    # Plain strings only: the network dashboard caches this with its figures (the page as
    # served draws nothing but the template around it).
    return {
        "shapes": _shapes(marks, labels, label_class),
        "width": WIDTH,
        "height": height,
        "legend": legend,
        "table_rows": _table_rows(figure),
        "totals": figure.shown_totals,
    }


def _table_rows(figure: Figure) -> SafeString:
    """The table's body rows (label, then each shown value), escaped here for the same reason
    as the marks: a country table has a row per country."""
    return mark_safe(  # noqa: S308 (every word escaped)
        "".join(
            f'<tr><th scope="row">{escape(label)}</th>'
            + "".join(f"<td>{escape(value)}</td>" for value in shown)
            + "</tr>"
            for label, shown in figure.table()
        )
    )


def _shapes(marks: list[Mark], labels: list[tuple[str, str, str]], label_class: str) -> SafeString:
    """The labels and bars of the SVG, escaped here rather than by a template loop: the
    network dashboard draws some 350 of them. Plain strings with ``escape`` on the words:
    ``format_html`` per mark cost ~3 ms a page (coordinates and colours are ours)."""
    texts = "\n".join(
        f'<text x="{x}" y="{y}" class="{label_class}"><title>{escape(t)}</title>'
        f"{escape(fit(t))}</text>"
        for x, y, t in labels
    )
    bars = "\n".join(_bar(mark) for mark in marks)
    return mark_safe(f"{texts}\n{bars}")  # noqa: S308 (every word escaped above)


def _bar(mark: Mark) -> str:
    text = escape(mark.text)
    rect = (
        f'<rect x="{mark.x}" y="{mark.y}" width="{mark.width}" height="{mark.height}" '
        f'fill="{mark.colour}"><title>{escape(mark.label)}: {text}</title></rect>'
    )
    if not mark.text:
        return rect
    return f'{rect}<text x="{mark.text_x}" y="{mark.text_y}" class="chart-value">{text}</text>'
