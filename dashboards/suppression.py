"""Small-count suppression for the network dashboard, safe against differencing.

The rule (docs/dashboards.md, "What differencing cannot undo"):

1. Every figure is the sum of *member values*: one member organisation's count for one
   category (open cases in Colombia) or one calendar month (incidents in March 2026).
2. A member value is published exactly when it is 0 or rests on at least 5 cases, stays or
   events; otherwise it is hidden. Whether a member value is hidden depends only on that
   member's own data, never on the network, the other members, the period asked for or the
   language of the page, so every network and every page that shows it shows the same thing.
3. A member value hidden alone beside values that sum to something known would come back by
   subtraction, so one more is hidden (complementary suppression): the next smallest category
   of the same member (a member's open cases by risk level add up to its open cases, which
   the activity table shows), and in a calendar year's tree (the year is the sum of its
   quarters, a quarter of its months) the next smallest quarter or month beside it, or the
   parent when it has no other.
4. What the page shows — a network's cell, a total, a period's value — adds up the published
   member values only (``Published``): the exact sum when nothing was hidden, "≥ n" when something
   was (n counts the published part and one for each hidden value, each of which is at least
   1). Subtracting two published figures therefore only ever gives back published member
   values: two overlapping networks, two periods, a total and its cells, a figure and
   another breakdown of the same cases.
5. A median, percentile or rate rests on at least 5 events, and a rate is computed from
   published counts only (a rate and one of its counts would give the other back).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboards.periods import MONTH, QUARTER, YEAR, Node

THRESHOLD = 5


def suppressed() -> str:
    """What a median, percentile or rate resting on fewer than 5 events (or on a hidden
    count) shows: words, not "<5", which read as a value (issue 23)."""
    return _("hidden (fewer than 5)")


def rests_on_few(basis: int) -> bool:
    """Fewer than 5 cases, stays or events, but some: could point at one defender."""
    return 0 < basis < THRESHOLD


@dataclass(frozen=True)
class Published:
    """The published part of a sum of member values: the exact ones, and how many were hidden."""

    known: int = 0
    hidden: int = 0

    @classmethod
    def of(cls, value: int, *, hidden: bool) -> Published:
        return cls(0, 1) if hidden else cls(value, 0)

    def __add__(self, other: Published) -> Published:
        return Published(self.known + other.known, self.hidden + other.hidden)

    @property
    def exact(self) -> bool:
        return self.hidden == 0

    @property
    def shown(self) -> str:
        """What the page and the CSV say. A hidden member value is at least 1 (a 0 is never
        hidden), hence the lower bound."""
        if self.exact:
            return str(self.known)
        return _("≥ %(count)s") % {"count": self.known + self.hidden}


def total(counts: Sequence[Published]) -> Published:
    result = Published()
    for count in counts:
        result += count
    return result


def protect_breakdown(values: Mapping[Hashable, int]) -> dict[Hashable, Published]:
    """One member's values for the categories of one figure (its open cases by risk level).

    Keys are the categories as stored (a country code, a risk level), never translated labels:
    the second value hidden must not depend on the language of the page."""
    hidden = {key for key, value in values.items() if rests_on_few(value)}
    if len(hidden) == 1:
        # The member's total may be known (the activity table, another breakdown of the same
        # cases): hide the next smallest so the hidden one cannot be subtracted out of it.
        candidates = sorted(
            (value, str(key), index, key)
            for index, (key, value) in enumerate(values.items())
            if key not in hidden and value > 0
        )
        if candidates:
            hidden.add(candidates[0][3])
    return {key: Published.of(value, hidden=key in hidden) for key, value in values.items()}


#: a calendar year's tree: each parent is the sum of its children.
YEAR_NODE: Node = (YEAR, 0)
QUARTERS: list[Node] = [(QUARTER, q) for q in range(1, 5)]
GROUPS: list[tuple[Node, list[Node]]] = [
    (YEAR_NODE, QUARTERS),
    *(((QUARTER, q), [(MONTH, m) for m in range(3 * q - 2, 3 * q + 1)]) for q in range(1, 5)),
]


def year_values(months: Sequence[int]) -> dict[Node, int]:
    """The value of every node of a year from its twelve month values (they add up)."""
    values: dict[Node, int] = {(MONTH, m + 1): months[m] for m in range(12)}
    for q in range(1, 5):
        values[(QUARTER, q)] = sum(months[3 * q - 3 : 3 * q])
    values[YEAR_NODE] = sum(months)
    return values


def protect_year(
    months: Sequence[int], bases: Mapping[Node, int] | None = None
) -> dict[Node, Published]:
    """One member's value for a calendar year, its quarters and its months, as published.

    ``months`` are the twelve month values (cases opened, guest-days); ``bases`` how many
    cases or stays each node rests on when that is not the value itself (a stay across two
    months counts in both, and once in their quarter). The year, a quarter or a month is
    published whichever of them a coordinator asks for, so each parent and its children are
    protected together: in every group, none or at least two are hidden. With the year's
    tree a forest of such groups, no hidden value is the difference of published ones."""
    values = year_values(months)
    bases = bases if bases is not None else values
    hidden = {node for node, basis in bases.items() if rests_on_few(basis)}
    changed = True
    while changed:
        changed = False
        for parent, children in GROUPS:
            group = [parent, *children]
            if sum(node in hidden for node in group) != 1:
                continue
            # The smallest other child first (keeps the year and quarters shown), else the
            # parent; a hidden value is never 0, so there is always one to hide.
            candidates = sorted(
                (values[node], index, node)
                for index, node in enumerate(children)
                if node not in hidden and values[node] > 0
            )
            extra = candidates[0][2] if candidates else parent
            if extra not in hidden and values[extra] > 0:
                hidden.add(extra)
                changed = True
    return {node: Published.of(values[node], hidden=node in hidden) for node in values}


def suppress_measure(value: float | None, *, basis: int, unit: str = "") -> str:
    """A median or percentile computed from ``basis`` events: hidden under 5 events, since it
    would describe one or two identifiable cases."""
    if value is None or basis == 0:
        return "—"
    if basis < THRESHOLD:
        return suppressed()
    shown = f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"
    return f"{shown}{unit}"


def published_rate(part: Published, whole: Published, *, unit: str = " %") -> str:
    """``part / whole`` in percent, from published counts only: a rate computed from true
    values would give a hidden count back from the published one beside it."""
    if whole.exact and whole.known == 0:
        return "—"
    if not (part.exact and whole.exact) or whole.known < THRESHOLD:
        return suppressed()
    return suppress_measure(100 * part.known / whole.known, basis=whole.known, unit=unit)
