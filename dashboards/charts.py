"""Geometry of the server-rendered SVG charts (templates/dashboards/_chart.html draws them).

A suppressed cell is drawn as an empty bar labelled "<5": its length would give it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.figures import BAR, Figure

WIDTH = 640
LABEL_WIDTH = 220
ROW_HEIGHT = 26
PLOT_HEIGHT = 180
#: colours with at least 4.5:1 contrast on white (WCAG AA), told apart by the legend too.
PALETTE = ["#0b5cad", "#9a3412", "#166534", "#6b21a8"]


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    width: float
    height: float
    colour: str
    text: str
    text_x: float
    text_y: float
    label: str = ""


def _visible_peak(figure: Figure) -> int:
    peak = 0
    for column, cells in enumerate(figure.cells):
        for row, cell in enumerate(cells):
            if not cell.suppressed:
                peak = max(peak, figure.rows[row][1][column])
    return max(peak, 1)


def chart(figure: Figure) -> dict:
    """Everything the template needs to draw ``figure``: size, marks, axis labels, legend."""
    peak = _visible_peak(figure)
    marks: list[Mark] = []
    labels: list[tuple[float, float, str]] = []
    if figure.kind == BAR:
        plot = WIDTH - LABEL_WIDTH - 50
        columns = len(figure.columns)
        band = ROW_HEIGHT * columns + 8
        for row, (label, values) in enumerate(figure.rows):
            top = row * band + 4
            labels.append((LABEL_WIDTH - 8, top + band / 2, label))
            for column in range(columns):
                cell = figure.cells[column][row]
                length = 0 if cell.suppressed else plot * values[column] / peak
                y = top + column * ROW_HEIGHT
                marks.append(
                    Mark(
                        LABEL_WIDTH,
                        y,
                        length,
                        ROW_HEIGHT - 6,
                        PALETTE[column % len(PALETTE)],
                        cell.shown,
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
            labels.append((left + group / 2, PLOT_HEIGHT + 18, label[2:] if months > 8 else label))
            for column in range(columns):
                cell = figure.cells[column][row]
                tall = 0 if cell.suppressed else (PLOT_HEIGHT - 20) * values[column] / peak
                x = left + column * bar
                marks.append(
                    Mark(
                        x,
                        PLOT_HEIGHT - tall,
                        bar - 1,
                        tall,
                        PALETTE[column % len(PALETTE)],
                        cell.shown if cell.suppressed else "",
                        x + bar / 2,
                        PLOT_HEIGHT - tall - 4,
                        label,
                    )
                )
        height = PLOT_HEIGHT + 30
    legend = [(name, PALETTE[index % len(PALETTE)]) for index, name in enumerate(figure.columns)]
    return {
        "width": WIDTH,
        "height": height,
        "marks": marks,
        "labels": labels,
        "legend": legend,
        "label_width": LABEL_WIDTH,
        "baseline": PLOT_HEIGHT,
    }
