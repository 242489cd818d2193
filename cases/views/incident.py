"""Incident pages: record an incident from the case page, and read one.

Incidents are part of the full file: the owner organisation and ``full`` partners read them
(``need=NEED_IDENTITY``: a ``feedback`` partner gets the same 404 as a stranger); only the
owner organisation's officers and admins record them. Also what the case page shows of them:
the incidents panel (with the detention benchmarks due) and the timeline's incidents."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import NEED_IDENTITY, CaseAccess, get_case_for
from cases.forms.incident import IncidentForm
from cases.models import Case, CaseAccessLog
from cases.registries.timeline import TimelineItem
from cases.selectors.detention import case_detentions_seen, detention_of
from cases.selectors.incident import case_incidents_seen, incident_of, sees_incidents
from cases.services.access_log import case_part_viewed
from cases.services.incident import incident_record
from hrdcase.audit import client_ip
from hrdcase.forms import add_service_errors, form_status
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
    return render(
        request, "cases/incidents/form.html", {"case": case, "form": form}, status=form_status(form)
    )


@login_required
def incident_detail(request: HttpRequest, pk, incident_pk) -> HttpResponse:
    case, access = get_case_for(request.user, pk, need=NEED_IDENTITY)
    if case.purged_at:
        raise Http404
    incident = incident_of(case, incident_pk)
    has_detention = incident.is_detention and detention_of(case, incident) is not None
    case_part_viewed(
        case=case, user=request.user, part=CaseAccessLog.Part.FILE, ip=client_ip(request)
    )
    return render(
        request,
        "cases/incidents/detail.html",
        {"case": case, "access": access, "incident": incident, "has_detention": has_detention},
    )


# --- the case page -------------------------------------------------------------------------------

#: the incidents panel lists the benchmark steps due within this many days (and overdue ones).
STEPS_DUE_WITHIN = datetime.timedelta(days=7)


def incidents_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """The case's incidents (the latest 50) and its detention benchmarks due soon, for the
    owner and ``full`` partners."""
    if case.purged_at or not sees_incidents(access):
        return None
    today = timezone.localdate()
    open_steps = [
        milestone
        for detention in case_detentions_seen(case, access)
        for milestone in detention.milestones.all()
        if milestone.is_open and milestone.due_on <= today + STEPS_DUE_WITHIN
    ]
    return {
        "incidents": case_incidents_seen(case, access)[:50],
        "open_steps": sorted(open_steps, key=lambda m: m.due_on),
        "today": today,
    }


def incident_timeline(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    # Part of the full file: the owner and ``full`` partners, never a ``feedback`` partner.
    if not sees_incidents(access):
        return
    for incident in case_incidents_seen(case, access):
        yield TimelineItem(
            at=incident.occurred_on,
            kind="incident",
            title=_("Incident: %(type)s") % {"type": incident.get_type_display()},
            detail=_("Perpetrator: %(who)s") % {"who": incident.get_perpetrator_display()},
            url=reverse(
                "cases:incident_detail", kwargs={"pk": case.pk, "incident_pk": incident.pk}
            ),
        )
