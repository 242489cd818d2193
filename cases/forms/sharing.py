"""Forms of sharing a case and of coordination between organisations; the views hand them to
``cases.services.sharing``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.models import CaseShare
from hrdcase.dates import PlausibleDateTimeField


class ShareForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Share with"), queryset=Organisation.objects.none())
    level = forms.ChoiceField(
        label=_("Access level"), choices=CaseShare.Level.choices, initial=CaseShare.Level.FEEDBACK
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expires_at = PlausibleDateTimeField(
        label=_("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for a share that lasts until revoked."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=organisation.pk
        )


class CoordinationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the other organisation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "They will see your organisation's name and this message, nothing else. "
            "Do not include the defender's identity."
        ),
    )


class CoordinationAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            ("feedback", _("Share our case (feedback level)")),
            ("full", _("Share our case (full)")),
            ("decline", _("Decline")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
