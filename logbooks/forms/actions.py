"""Forms of diplomatic actions: record one, change its status, invite a mission."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import BenchmarkMilestone, Case
from hrdcase.dates import PlausibleDateField
from hrdcase.text import validate_single_line
from logbooks.forms.entries import DATE_INPUT, ObservationFields, offer_milestones
from logbooks.models import ActionStatus, ActionType, DiplomaticAction


class ActionForm(ObservationFields):
    type = forms.ChoiceField(label=_("Type"), choices=ActionType.choices)
    authority = forms.CharField(
        label=_("Authority or company addressed"),
        max_length=200,
        validators=[validate_single_line],
        help_text=DiplomaticAction._meta.get_field("authority").help_text,
    )
    taken_on = PlausibleDateField(label=_("Date"), widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(ActionStatus.PLANNED, _("Planned")), (ActionStatus.DONE, _("Done"))],
        initial=ActionStatus.PLANNED,
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Stored encrypted."),
    )
    outcome_shared = forms.BooleanField(
        label=_("Share the outcome with partners"),
        required=False,
        help_text=DiplomaticAction._meta.get_field("outcome_shared").help_text,
    )
    milestone = forms.ModelChoiceField(
        label=_("Marks this benchmark done"),
        queryset=BenchmarkMilestone.objects.none(),
        required=False,
        help_text=_("Marked done when the action is done."),
    )

    field_order = ["type", "authority", "taken_on", "status", "outcome", "outcome_shared"]

    def __init__(
        self, *args, case: Case, with_milestone: bool = False, sees_hearings: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.offer_hearings(case, sees_hearings=sees_hearings)
        self.fields["taken_on"].initial = timezone.localdate()
        self.fields["type"].help_text = _(
            "Public and joint statements need the defender's consent to public action."
        )
        offer_milestones(self, case, with_milestone=with_milestone)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices)
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome_shared = forms.BooleanField(label=_("Share the outcome with partners"), required=False)


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Invite a mission"),
        queryset=None,
        help_text=_(
            "Missions of your protection networks. They see this action record, not the case "
            "file (unless the case is shared with them)."
        ),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queryset
