"""Small-count suppression for the network dashboard (privacy by construction).

A count from 1 to 4 could point at one defender, so it is shown as "<5" (primary
suppression). A shown total would give a single suppressed cell back (total minus the other
cells), so when exactly one cell of a table is suppressed the next smallest non-zero cell is
suppressed too (complementary suppression); when no such cell exists, the total is
suppressed instead. Zero is shown: it says nothing about anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5
SUPPRESSED = "<5"


@dataclass(frozen=True)
class Cell:
    label: str
    value: int
    shown: str  # what the page and the CSV say: the number, "<5" or "—"

    @property
    def suppressed(self) -> bool:
        return self.shown != str(self.value)


def _primary(value: int) -> bool:
    return 0 < value < THRESHOLD


def suppress(rows: list[tuple[str, int]]) -> tuple[list[Cell], str]:
    """The cells of one table and its total, as they may be shown."""
    hidden = {index for index, (_label, value) in enumerate(rows) if _primary(value)}
    total = sum(value for _label, value in rows)
    total_hidden = _primary(total)
    if len(hidden) == 1 and not total_hidden:
        candidates = sorted(
            (value, index)
            for index, (_label, value) in enumerate(rows)
            if index not in hidden and value > 0
        )
        if candidates:
            hidden.add(candidates[0][1])
        else:
            total_hidden = True
    cells = [
        Cell(label, value, SUPPRESSED if index in hidden else str(value))
        for index, (label, value) in enumerate(rows)
    ]
    return cells, (SUPPRESSED if total_hidden else str(total))


def suppress_measure(value: float | None, *, basis: int, unit: str = "") -> str:
    """A median, percentile or rate computed from ``basis`` events: hidden under 5 events,
    since it would describe one or two identifiable cases."""
    if value is None or basis == 0:
        return "—"
    if basis < THRESHOLD:
        return SUPPRESSED
    shown = f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"
    return f"{shown}{unit}"
