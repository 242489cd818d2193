"""The one plausible-date rule of every date field and date query parameter (issue 17).

A date typed in a form, sent to the API or put in a query string is refused with a clear
message unless it lies between ``EARLIEST`` (1 January 1900) and today plus
``YEARS_AHEAD`` (10 years), or the field's own range where it needs another one
(``DateRule``). Far dates are not harmless: a few days added to 9999-12-31, or weeks taken
from 0001-01-01, overflow Python's ``date`` (an answer 500 in the middle of a write), and a
stay thousands of years long made a capacity check cost gigabytes. Within the rule, any
arithmetic the apps do (a year of visa validity, weeks of a calendar, months of a stay,
benchmark offsets of ten years) stays far from the calendar's ends.

One rule, four ways in:

- forms: ``PlausibleDateField`` / ``PlausibleDateTimeField`` (drop-in for Django's);
- the API: ``ApiDateField`` / ``ApiDateTimeField`` (drop-in for DRF's; a bad value is a 400
  whose JSON names the field, as every DRF field error);
- query parameters: ``parse_date_param(request.GET, "from")`` raises a ``ValidationError``
  naming the parameter (the API's error handler answers 400; a page re-renders with it);
- services (the last line, whoever calls them): ``require_plausible_dates(start=..., ...)``.

Fields that must lie in the past keep their own rules (an arrest, a release, an arrival):
this rule only bounds what can be typed at all.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

EARLIEST = datetime.date(1900, 1, 1)
YEARS_AHEAD = 10

IMPLAUSIBLE = "implausible_date"

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved by whole years; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def anniversary(day: datetime.date, years: int) -> datetime.date:
    """``day`` ``years`` later; a 29 February's is 1 March in other years (the day after 28
    February: a period of whole years from it is never cut short)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


@dataclass(frozen=True)
class DateRule:
    """The dates a field accepts: from ``earliest`` to today plus ``years_ahead`` years.

    Today is read at each check (a long-running worker must not keep the day it started).
    """

    earliest: datetime.date = EARLIEST
    years_ahead: int = YEARS_AHEAD

    def bounds(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        today = today or timezone.localdate()
        return self.earliest, add_years(today, self.years_ahead)

    def error(
        self, value: datetime.date | datetime.datetime, today: datetime.date | None = None
    ) -> str | None:
        """The message for ``value``, or None when it is plausible."""
        earliest, latest = self.bounds(today)
        # A datetime is judged by its own calendar day, never converted to another time zone
        # first: that conversion is what overflows at the calendar's ends.
        day = value.date() if isinstance(value, datetime.datetime) else value
        if earliest <= day <= latest:
            return None
        return str(message(earliest, latest))

    def check(self, value: datetime.date | datetime.datetime | None) -> None:
        if value is None:
            return
        error = self.error(value)
        if error is not None:
            raise ValidationError(error, code=IMPLAUSIBLE)


def message(earliest: datetime.date, latest: datetime.date) -> str:
    # ISO dates, as the date inputs and the other date messages of hrdcase show them.
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
    }


DEFAULT_RULE = DateRule()


@deconstructible
class PlausibleDateValidator:
    """A field validator (Django forms, DRF fields, model fields) applying a ``DateRule``."""

    def __init__(self, earliest: datetime.date = EARLIEST, years_ahead: int = YEARS_AHEAD) -> None:
        self.rule = DateRule(earliest=earliest, years_ahead=years_ahead)

    def __call__(self, value: datetime.date | datetime.datetime | None) -> None:
        self.rule.check(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleDateValidator) and self.rule == other.rule

    def __hash__(self) -> int:
        return hash(self.rule)


class _RuleMixin:
    """Adds the rule's validator to a form or serializer field (``earliest`` and
    ``years_ahead`` keyword arguments state a field's own range)."""

    def __init__(
        self,
        *args: Any,
        earliest: datetime.date = EARLIEST,
        years_ahead: int = YEARS_AHEAD,
        **kwargs: Any,
    ) -> None:
        validators = list(kwargs.pop("validators", ()))
        validators.append(PlausibleDateValidator(earliest=earliest, years_ahead=years_ahead))
        super().__init__(*args, validators=validators, **kwargs)  # type: ignore[call-arg]


class PlausibleDateField(_RuleMixin, forms.DateField):
    """A form date field that refuses implausible dates with the rule's message."""


class PlausibleDateTimeField(_RuleMixin, forms.DateTimeField):
    """A form date-time field whose day must be plausible."""


class ApiDateField(_RuleMixin, serializers.DateField):
    """A DRF date field that refuses implausible dates (400 naming the field)."""


class ApiDateTimeField(_RuleMixin, serializers.DateTimeField):
    """A DRF date-time field whose day must be plausible (400 naming the field)."""


def parse_date_param(
    params: Mapping[str, Any],
    name: str,
    *,
    rule: DateRule = DEFAULT_RULE,
    default: datetime.date | None = None,
) -> datetime.date | None:
    """The date in query parameter ``name`` (YYYY-MM-DD), ``default`` when absent or empty.

    A malformed or implausible value raises ``ValidationError({name: [message]})``: the
    API answers 400 naming the parameter, a page re-renders with the message."""
    raw = params.get(name)
    if raw is None:
        return default
    raw = str(raw).strip()
    if not raw:
        return default
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError(raw)
        value = datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {name: [_("Enter a valid date as YYYY-MM-DD.")]}, code="invalid"
        ) from None
    error = rule.error(value)
    if error is not None:
        raise ValidationError({name: [error]}, code=IMPLAUSIBLE)
    return value


def plausible_date_errors(
    values: Mapping[str, datetime.date | datetime.datetime | None],
    *,
    rule: DateRule = DEFAULT_RULE,
) -> dict[str, str]:
    """``{field: message}`` for the values outside ``rule`` (None values are skipped)."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        error = rule.error(value)
        if error is not None:
            errors[name] = error
    return errors


def require_plausible_dates(
    *, rule: DateRule = DEFAULT_RULE, **values: datetime.date | datetime.datetime | None
) -> None:
    """For services, before any arithmetic on the dates: raises ``ValidationError`` naming
    each implausible field, so nothing is written and the caller answers 400."""
    errors = plausible_date_errors(values, rule=rule)
    if errors:
        raise ValidationError(errors)
