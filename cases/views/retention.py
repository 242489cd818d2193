"""The retention page: an organisation admin sets the retention period and sees which closed
cases the purge will destroy, and when (reference and pseudonym only). Also the case page's
notice, on a closed case, of when it will be purged."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.access import CaseAccess, require_org_admin
from cases.forms.retention import RetentionPolicyForm
from cases.models import Case
from cases.selectors.retention import purge_date_of, retention_policy_of, retention_preview
from cases.services.retention import retention_policy_set
from hrdcase.forms import add_service_errors, form_status

#: How far ahead the page looks.
PREVIEW_DAYS = 90


@login_required
def retention_policy(request: HttpRequest) -> HttpResponse:
    require_org_admin(request.user)
    organisation = request.user.organisation
    policy = retention_policy_of(organisation)
    form = RetentionPolicyForm(
        request.POST or None, initial={"retention_years": policy.retention_years}
    )
    if request.method == "POST" and form.is_valid():
        years = form.cleaned_data["retention_years"]
        due_now = len([row for row in retention_preview(organisation=organisation) if row.due])
        due_then = len(retention_preview(organisation=organisation, years_override=years))
        if due_then > due_now and not form.cleaned_data["confirm"]:
            form.add_error(
                "confirm",
                ngettext(
                    "With this period %(n)d more closed case would be purged at the next run: "
                    "tick to confirm.",
                    "With this period %(n)d more closed cases would be purged at the next run: "
                    "tick to confirm.",
                    due_then - due_now,
                )
                % {"n": due_then - due_now},
            )
        else:
            try:
                retention_policy_set(
                    organisation=organisation, retention_years=years, acting_user=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Retention period saved."))
                return redirect("cases:retention")
    rows = retention_preview(organisation=organisation, within_days=PREVIEW_DAYS)
    return render(
        request,
        "cases/retention/policy.html",
        {"form": form, "policy": policy, "rows": rows, "days": PREVIEW_DAYS},
        status=form_status(form),
    )


# --- the case page -------------------------------------------------------------------------------


def retention_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """On a closed case, tell its owner when it will be purged."""
    if not access.is_owner:
        return None
    purge_on = purge_date_of(case)
    if purge_on is None:
        return None
    return {"purge_on": purge_on, "is_admin": request.user.is_org_admin}
