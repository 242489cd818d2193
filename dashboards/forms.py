"""The network dashboard's period: a calendar month, quarter or year chosen from a list."""

from __future__ import annotations

import zoneinfo
from datetime import date
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.periods import Period, PeriodError, default_period

#: how many calendar years back a coordinator may look (the current one included).
YEARS = 10
#: parameters of the former free date range: refused, never silently ignored.
FREE_RANGE = ("start", "end")


def first_year(today: date) -> int:
    return today.year - YEARS + 1


def period_choices(today: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped by year, most recent first: the year, its quarters, its months."""
    return list(_period_choices(today, translation.get_language()))


@lru_cache(maxsize=32)
def _period_choices(today: date, language: str | None) -> tuple:
    # Built once per day and language: the 170 periods' names (a month's name through
    # date_format) cost ~1.5 ms on every request of the network dashboard.
    choices = []
    for year in range(today.year, first_year(today) - 1, -1):
        options = [(Period(year).label, _("%(year)s, the whole year") % {"year": year})]
        options += [(p.label, str(p)) for p in (Period(year, quarter=q) for q in range(1, 5))]
        options += [(p.label, str(p)) for p in (Period(year, month=m) for m in range(1, 13))]
        choices.append((str(year), options))
    return tuple(choices)


class PeriodForm(forms.Form):
    period = forms.CharField(label=gettext_lazy("Period"), required=False, widget=forms.Select)

    def __init__(self, *args, today: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # the figures' calendar (months cut in settings.TIME_ZONE, see network.period_figures),
        # not the reader's: on 1 January in Kiritimati, the deployment's year may not have begun
        self.today = today or timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))
        self.fields["period"].widget.choices = period_choices(self.today)
        if not self.is_bound or not self.data.get("period"):
            self.initial["period"] = default_period(self.today).label

    def clean_period(self) -> Period:
        value = (self.cleaned_data.get("period") or "").strip()
        if not value:
            return default_period(self.today)
        try:
            period = Period.parse(value)
        except PeriodError:
            raise ValidationError(
                _(
                    "“%(value)s” is not a period: choose a month (such as %(month)s), a quarter "
                    "(%(quarter)s) or a year (%(year)s)."
                ),
                params={
                    "value": value[:20],
                    "month": f"{self.today.year}-{self.today.month:02d}",
                    "quarter": f"{self.today.year}-Q{(self.today.month - 1) // 3 + 1}",
                    "year": self.today.year,
                },
                code="invalid",
            ) from None
        first, last = first_year(self.today), self.today.year
        if not first <= period.year <= last:
            raise ValidationError(
                _("Choose a year from %(first)s to %(last)s."),
                params={"first": first, "last": last},
                code="out_of_range",
            )
        return period

    def clean(self):
        data = super().clean()
        if any(name in self.data for name in FREE_RANGE):
            # Two free ranges a day apart gave back the count of that day: periods are
            # calendar months, quarters and years only (docs/dashboards.md).
            self.add_error(
                "period",
                ValidationError(
                    _(
                        "The dashboard shows calendar months, quarters and years only, not "
                        "dates from and to: choose a period from the list."
                    ),
                    code="free_range",
                ),
            )
        return data
