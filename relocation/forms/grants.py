"""Forms of emergency grants: the requester's request and the grantor's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from relocation.forms.referral import answer_field, reason_field, text_area
from relocation.models import GrantPurpose, GrantRequest, Urgency
from relocation.selectors.grants import grantors


class GrantRequestForm(forms.Form):
    grantor = forms.ModelChoiceField(
        label=_("Granting organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Organisations that offer emergency grants."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grantor"].queryset = grantors()

    purpose = forms.ChoiceField(label=_("Purpose"), choices=GrantPurpose.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0.01)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="EUR", help_text=_("ISO code, e.g. EUR.")
    )
    justification = text_area(
        _("Justification"),
        help_text=_("What the grantor needs to decide. It does not see the case file. Encrypted."),
    )


class CaseGrantForm(GrantRequestForm):
    """A grant asked on a case on its own (issue 20): its urgency, and the grantor's
    eligibility criteria confirmed (the page shows each grantor's)."""

    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.URGENT)
    confirm_situation = forms.BooleanField(
        label=_("The defender's situation fits the grantor's eligibility criteria"),
        required=False,
    )
    confirm_need = forms.BooleanField(
        label=_("The need is described in the justification"), required=False
    )
    confirm_consent = forms.BooleanField(
        label=_("The defender consented to this request"), required=False
    )

    field_order = [
        "grantor",
        "purpose",
        "amount",
        "currency",
        "urgency",
        "justification",
        "confirm_situation",
        "confirm_need",
        "confirm_consent",
    ]


class GrantDecisionForm(forms.Form):
    decision = answer_field(
        _("Decision"),
        [
            (GrantRequest.Status.APPROVED, _("Approve")),
            (GrantRequest.Status.DECLINED, _("Decline")),
        ],
    )
    reason = reason_field(_("Required to decline; the requester reads it."))
