"""Page input of support requests: ask, accept, decline, report, share from the request.
Forms validate shapes; the services decide (and name the field of what they refuse)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ProtectionNetwork
from cases.forms.case import DateInput
from cases.models import CaseShare, Hearing
from hrdcase.dates import PlausibleDateField
from relocation.models import Urgency
from support.models import REASON_MAX_LENGTH, SupportKind
from support.selectors import hearings_of, networks_of, support_receivers


class AskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Support asked"), choices=SupportKind.choices)
    receiver = forms.ModelChoiceField(
        label=_("Ask the mission"),
        queryset=support_receivers().none(),
        required=False,
        help_text=_("One mission, or leave empty and choose a network below."),
    )
    network = forms.ModelChoiceField(
        label=_("Or ask every mission of the network"),
        queryset=ProtectionNetwork.objects.none(),
        required=False,
        help_text=_("Each mission of the network gets its own request and answers for itself."),
    )
    hearing = forms.ModelChoiceField(
        label=_("Hearing to observe"),
        # unscoped: an empty placeholder; __init__ sets the case's hearings.
        queryset=Hearing.objects.unscoped().none(),
        required=False,
        help_text=_("For a trial observation: the hearing the mission is asked to observe."),
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "The mission reads this. It sees the case's reference and pseudonym only, "
            "unless you share the case with it."
        ),
    )
    needed_by = PlausibleDateField(label=_("Needed by"), widget=DateInput)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.URGENT)

    def __init__(self, *args: Any, user: Any, case: Any, access: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["receiver"].queryset = (
            support_receivers().exclude(pk=user.organisation_id).order_by("name")
        )
        fields["network"].queryset = networks_of(user)
        if not access.sees_identity:
            # A feedback partner never sees the case's hearings (courts, dates): no field.
            del fields["hearing"]
            return
        fields["hearing"].queryset = hearings_of(case).select_related("proceeding")
        fields["hearing"].label_from_instance = lambda hearing: (
            f"{hearing.date:%Y-%m-%d} — {hearing.court}"
        )


class AcceptForm(forms.Form):
    authority = forms.CharField(
        label=_("Authority or court addressed"),
        max_length=200,
        required=False,
        help_text=_("Recorded on the diplomatic action (a hearing's court by default)."),
    )
    taken_on = PlausibleDateField(
        label=_("Planned for"),
        widget=DateInput,
        required=False,
        help_text=_("The hearing's date or the day needed by, if left empty."),
    )
    note = forms.CharField(
        label=_("Note to the requester"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
        required=False,
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
    )


class ReportForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 4}), max_length=REASON_MAX_LENGTH
    )
    done_on = PlausibleDateField(label=_("Done on"), widget=DateInput)
    share_with_followers = forms.BooleanField(
        label=_("Share the outcome with every organisation that follows the case"),
        required=False,
        initial=True,
    )


class ShareForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Access level"),
        choices=[
            (CaseShare.Level.FEEDBACK, CaseShare.Level.FEEDBACK.label),
            (CaseShare.Level.FULL, CaseShare.Level.FULL.label),
        ],
    )
