"""Consent pages: what the defender agreed to; the owner's writers record and revoke consent.
Consents name the organisations a case may go to: the owner organisation's alone (a partner
gets 404). Also what the case page shows of them: its timeline's consents."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import NEED_OWNER, CaseAccess, get_case_for
from cases.forms.consent import ConsentForm
from cases.models import Case, Consent
from cases.registries.timeline import TimelineItem
from cases.selectors.consent import case_consents_seen, consents_of
from cases.services import consent as consent_services
from hrdcase.forms import add_service_errors, form_status
from hrdcase.tenancy import NEED_CHANGE, get_object_for


@login_required
def case_consents(request: HttpRequest, pk) -> HttpResponse:
    """What the defender agreed to; owners' officers record and revoke consent here."""
    need = NEED_CHANGE if request.method == "POST" else NEED_OWNER
    case, access = get_case_for(request.user, pk, need=need)
    form = ConsentForm(request.POST or None, organisation=case.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            consent_services.consent_record(
                case=case, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("cases:consents", pk=case.pk)
    return render(
        request,
        "cases/consents.html",
        {"case": case, "access": access, "form": form, "consents": consents_of(case)},
        status=form_status(form),
    )


@login_required
@require_POST
def consent_revoke(request: HttpRequest, pk, consent_pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    consent = get_object_for(
        request.user, Consent.objects.owned_by(case.organisation).filter(case=case), consent_pk
    )
    try:
        suspended = consent_services.consent_revoke(
            consent=consent, acting_user=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent revoked."))
        for share in suspended:
            messages.warning(
                request, _("The share with %(org)s is suspended.") % {"org": share.partner}
            )
    return redirect("cases:consents", pk=case.pk)


# --- the case page -------------------------------------------------------------------------------


def consent_timeline(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    # Owner only, like the shares: a consent names the organisations the case may go to.
    if not access.is_owner:
        return
    for consent in case_consents_seen(case, access):
        yield TimelineItem(
            at=consent.given_on,
            kind="consent",
            title=_("Consent recorded: %(what)s") % {"what": consent},
        )
        if consent.revoked_at:
            yield TimelineItem(
                at=consent.revoked_at,
                kind="consent",
                title=_("Consent revoked: %(what)s") % {"what": consent},
            )
