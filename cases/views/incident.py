"""Incident pages: record an incident from the case page, and read one.

Incidents are part of the full file: the owner organisation and ``full`` partners read them
(``need=NEED_IDENTITY``: a ``feedback`` partner gets the same 404 as a stranger); only the
owner organisation's officers and admins record them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases.access import NEED_IDENTITY, get_case_for
from cases.forms_incident import IncidentForm
from cases.models import CaseAccessLog, Detention
from cases.selectors_detention import incident_of
from cases.services.access_log import case_part_viewed
from cases.services.incident import incident_record
from hrdcase.audit import client_ip
from hrdcase.forms import add_service_errors
from hrdcase.tenancy import NEED_CHANGE


@login_required
def incident_create(request: HttpRequest, pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = incident_record(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Incident recorded."))
            if incident.is_detention:
                # Next step: where, on what charges, the lawyer, and the benchmark plan.
                return redirect("cases:detention", pk=case.pk, incident_pk=incident.pk)
            return redirect("cases:incident_detail", pk=case.pk, incident_pk=incident.pk)
    return render(request, "cases/incidents/form.html", {"case": case, "form": form})


@login_required
def incident_detail(request: HttpRequest, pk, incident_pk) -> HttpResponse:
    case, access = get_case_for(request.user, pk, need=NEED_IDENTITY)
    if case.purged_at:
        raise Http404
    incident = incident_of(case, incident_pk)
    has_detention = (
        incident.is_detention
        and Detention.objects.owned_by(case.organisation).filter(incident=incident).exists()
    )
    case_part_viewed(
        case=case, user=request.user, part=CaseAccessLog.Part.FILE, ip=client_ip(request)
    )
    return render(
        request,
        "cases/incidents/detail.html",
        {"case": case, "access": access, "incident": incident, "has_detention": has_detention},
    )
