"""The risk trend as a small server-rendered SVG bar chart: no script, no inline style (the
CSP forbids both); sizes and colours are SVG attributes, computed here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import RiskLevel
from cases.risk_formula import BANDS
from cases.selectors_risk import TrendPoint

MAX_SCORE = 25
UNIT = 5  # pixels per score point: the plot is 125 px high
BAR = 28
GAP = 12
LEFT = 34  # room for the axis labels
TOP = 8
BOTTOM = 22  # room for the version labels
PLOT_HEIGHT = MAX_SCORE * UNIT

# The stylesheet's .risk-* colours (AA contrast on white).
LEVEL_FILL = {
    "low": "#1d6b2f",
    "medium": "#7a5a00",
    "high": "#a24000",
    "critical": "#a10d0d",
}


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    fill: str
    label_x: int
    label: str
    title: str
    level: str
    pk: object


@dataclass(frozen=True)
class BandLine:
    y: int
    label: str
    label_y: int


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: int
    bars: tuple[Bar, ...]
    bands: tuple[BandLine, ...]
    summary: str

    def __bool__(self) -> bool:
        return bool(self.bars)


def _y(score: int) -> int:
    return TOP + (MAX_SCORE - score) * UNIT


def trend_chart(points: Sequence[TrendPoint]) -> TrendChart:
    """Bars per version (oldest left), height = score, colour = level, with the band edges
    drawn as lines so a reader sees which band each bar reaches."""
    labels = dict(RiskLevel.choices)
    bars = []
    for index, point in enumerate(points):
        x = LEFT + GAP + index * (BAR + GAP)
        level = labels.get(point.level, point.level)
        bars.append(
            Bar(
                x=x,
                y=_y(point.score),
                height=point.score * UNIT,
                fill=LEVEL_FILL.get(point.level, "#555555"),
                label_x=x + BAR // 2,
                label=f"v{point.version}",
                title=_("Version %(version)s, %(date)s: %(level)s (score %(score)s)")
                % {
                    "version": point.version,
                    "date": date_format(point.assessed_on, "DATE_FORMAT"),
                    "level": level,
                    "score": point.score,
                },
                level=str(level),
                pk=point.pk,
            )
        )
    width = LEFT + GAP + max(len(points), 1) * (BAR + GAP)
    bands = tuple(
        BandLine(y=_y(lowest - 1), label=str(lowest), label_y=_y(lowest - 1) + 4)
        for lowest, _level in BANDS
        if lowest > 1
    )
    summary = (
        " → ".join(f"{bar.label} {bar.level}" for bar in bars) if bars else _("No assessment yet.")
    )
    return TrendChart(
        width=width,
        height=TOP + PLOT_HEIGHT + BOTTOM,
        plot_left=LEFT,
        plot_right=width,
        plot_bottom=TOP + PLOT_HEIGHT,
        bars=tuple(bars),
        bands=bands,
        summary=summary,
    )
