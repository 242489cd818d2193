"""Form pieces the relocation pages share: the date and text widgets, the addressee's answer
and its reason, and the one-date form of a step (an arrival, a return, a disbursement)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrdcase.dates import PlausibleDateField
from relocation.models import NEEDS_MAX_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DateInput(forms.DateInput):
    input_type = "date"


def text_area(
    label: StrOrPromise,
    *,
    rows: int = 3,
    max_length: int = NEEDS_MAX_LENGTH,
    help_text: StrOrPromise = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def answer_field(label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]]) -> forms.Field:
    """The addressee's answer, as radio buttons (its name is the service's: ``decision`` or
    ``answer``)."""
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)


def reason_field(help_text: StrOrPromise) -> forms.CharField:
    """The reason for an answer; ``help_text`` says when it is required."""
    return text_area(_("Reason"), rows=2, help_text=help_text)


class DayForm(forms.Form):
    day = PlausibleDateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
