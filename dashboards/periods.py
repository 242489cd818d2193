"""The periods of the network dashboard: calendar months, quarters and years, nothing else.

A free date range let two published totals be subtracted into the count of one day (the
first of March to the tenth, then to the ninth); sliding a range over a shelter city's
guest-days gave one stay's dates. Fixed calendar periods cannot be moved by a day, and every
figure of a period is built from its calendar year's month values (dashboards.suppression),
so a year, its quarters and its months never disagree in a way that gives a hidden month back.

Values, in the URL (``?period=``) and the CSV file name: ``2026`` (a year), ``2026-Q3`` (a
quarter), ``2026-11`` (a month).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

#: a node of a calendar year's tree: ("year", 0), ("quarter", 1..4) or ("month", 1..12).
Node = tuple[str, int]

YEAR, QUARTER, MONTH = "year", "quarter", "month"
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>\d)|(?P<month>\d{2})))?$")


class PeriodError(ValueError):
    """A value that names no calendar month, quarter or year."""


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None
    month: int | None = None

    def __post_init__(self) -> None:
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise PeriodError(self.quarter)
        if self.month is not None and not 1 <= self.month <= 12:
            raise PeriodError(self.month)
        if self.quarter is not None and self.month is not None:
            raise PeriodError("a quarter or a month, not both")

    @classmethod
    def parse(cls, value: str) -> Period:
        """``2026``, ``2026-Q3`` or ``2026-11``; anything else raises ``PeriodError``."""
        match = _PATTERN.match(value.strip().upper())
        if not match:
            raise PeriodError(value)
        quarter, month = match["quarter"], match["month"]
        return cls(
            int(match["year"]),
            quarter=int(quarter) if quarter else None,
            month=int(month) if month else None,
        )

    @property
    def kind(self) -> str:
        if self.month is not None:
            return MONTH
        return QUARTER if self.quarter is not None else YEAR

    @property
    def node(self) -> Node:
        """This period's place in its year's tree (dashboards.suppression.protect_year)."""
        if self.month is not None:
            return (MONTH, self.month)
        if self.quarter is not None:
            return (QUARTER, self.quarter)
        return (YEAR, 0)

    @property
    def label(self) -> str:
        """The value in the URL, the cache key and the CSV file name."""
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year:04d}-Q{self.quarter}"
        return f"{self.year:04d}"

    @property
    def first_month(self) -> int:
        if self.month is not None:
            return self.month
        return 3 * self.quarter - 2 if self.quarter is not None else 1

    @property
    def last_month(self) -> int:
        if self.month is not None:
            return self.month
        return 3 * self.quarter if self.quarter is not None else 12

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        if self.last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.last_month + 1, 1) - timedelta(days=1)

    def months(self) -> list[date]:
        """The first day of each month of the period."""
        return [date(self.year, m, 1) for m in range(self.first_month, self.last_month + 1)]

    def calendar_year(self) -> Period:
        """The year this period belongs to: its figures are computed from that year's."""
        return Period(self.year)

    def __str__(self) -> str:
        if self.month is not None:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.quarter is not None:
            return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}
        return str(self.year)


def default_period(today: date) -> Period:
    """The current calendar year: the coordinators' usual view (its months side by side),
    and a period that moves once a year, not day by day."""
    return Period(today.year)
