"""Forms of court proceedings, hearings and observers: they validate input and the views
hand it to ``cases.services.court``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.forms.case import DateInput
from cases.models import Case, DefenderRole, Detention, ObserverStatus, ProceedingStatus
from hrdcase.dates import PlausibleDateField


class ProceedingForm(forms.Form):
    court = forms.CharField(label=_("Court"), max_length=200)
    case_number = forms.CharField(label=_("Court case number"), required=False, max_length=200)
    defender_role = forms.ChoiceField(
        label=_("The defender's role"),
        choices=DefenderRole.choices,
        initial=DefenderRole.DEFENDANT,
    )
    charges = forms.CharField(
        label=_("Charges"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lawyer = forms.CharField(
        label=_("Lawyer"),
        required=False,
        max_length=1000,
        help_text=_("Name and how to reach them safely."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ProceedingStatus.choices, initial=ProceedingStatus.OPEN
    )
    detention = forms.ModelChoiceField(
        label=_("Detention"),
        queryset=Detention.objects.none(),
        required=False,
        help_text=_("The detention this proceeding belongs to, if the defender is or was held."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        detentions = (
            Detention.objects.owned_by(case.organisation)
            .filter(incident__case=case)
            .order_by("-detained_since")
        )
        field = cast(forms.ModelChoiceField, self.fields["detention"])
        field.queryset = detentions
        field.label_from_instance = lambda d: (  # type: ignore[method-assign,assignment]
            _("Detained since %(date)s") % {"date": d.detained_since.isoformat()}
        )
        if not detentions.exists():
            del self.fields["detention"]


class HearingScheduleForm(forms.Form):
    date = PlausibleDateField(label=_("Hearing date"), widget=DateInput)
    court = forms.CharField(
        label=_("Court"),
        max_length=200,
        required=False,
        help_text=_("Empty: the proceeding's court."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObserverPlanForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Observing organisation"), queryset=None
    )
    observer = forms.ModelChoiceField(
        label=_("Observer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not named yet"),
        help_text=_("A member of your organisation; a partner names its own observer."),
    )

    def __init__(self, *args: Any, organisations, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations.order_by(
            "name"
        )
        self.fields["organisation"].initial = user.organisation_id
        cast(forms.ModelChoiceField, self.fields["observer"]).queryset = User.objects.filter(
            organisation=user.organisation, is_active=True
        ).order_by("full_name", "email")


class ObserverRecordForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ObserverStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
