"""Forms of emergency grants: the requester's request and the grantor's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from relocation.forms.referral import answer_field, reason_field, text_area
from relocation.models import GrantPurpose, GrantRequest
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


class GrantDecisionForm(forms.Form):
    decision = answer_field(
        _("Decision"),
        [
            (GrantRequest.Status.APPROVED, _("Approve")),
            (GrantRequest.Status.DECLINED, _("Decline")),
        ],
    )
    reason = reason_field(_("Required to decline; the requester reads it."))
