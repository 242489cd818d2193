"""Alert pages: raise one (from the case page), the alert with its history, acknowledge and
resolve it, and the organisation's alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from alerts.access import open_followed_case, require_case_editor
from alerts.forms.alerts import AlertRaiseForm, AlertResolveForm
from alerts.models import Alert, Notification
from alerts.selectors.alerts import (
    STATUS_FILTERS,
    alert_events,
    alert_notifications,
    alerts_for,
    get_alert_for,
    get_partner_alert_for,
    partner_alerts_for,
)
from alerts.services.alerts import (
    alert_acknowledge,
    alert_raise,
    alert_resolve,
    alerts_acknowledge,
)
from alerts.views import PAGE_SIZE
from cases.access import require_writer
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors, chosen_filter, filter_status
from hrdcase.pagination import paginate


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    status, understood = chosen_filter(request, "status", STATUS_FILTERS, default="open")
    page = paginate(request, alerts_for(request.user, status=status), PAGE_SIZE)
    return render(
        request,
        "alerts/alert_list.html",
        {
            "page": page,
            "alerts": page.object_list,
            "status": status,
            "statuses": [("open", _("Open")), *Alert.Status.choices, ("all", _("All"))],
            # the checkboxes: writers select the unacknowledged alerts they see
            "can_acknowledge": request.user.can_write,
            "partner_alerts": list(partner_alerts_for(request.user)[:PAGE_SIZE]),
        },
        status=filter_status(request, understood),
    )


@login_required
@require_POST
def alert_acknowledge_many(request: HttpRequest) -> HttpResponse:
    """The alerts list's "Acknowledge selected": every selected alert the user may
    acknowledge; the message says what became of the others."""
    require_writer(request.user)
    try:
        result = alerts_acknowledge(
            alert_ids=request.POST.getlist("alerts"), acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.message_dict.get("alerts", error.messages)))
        return redirect("alerts:list")
    if result.acknowledged:
        count = len(result.acknowledged)
        messages.success(
            request,
            ngettext(
                "%(count)s alert acknowledged: its escalation has stopped.",
                "%(count)s alerts acknowledged: their escalation has stopped.",
                count,
            )
            % {"count": count},
        )
    if result.already:
        count = len(result.already)
        messages.info(
            request,
            ngettext(
                "%(count)s alert was already acknowledged or resolved.",
                "%(count)s alerts were already acknowledged or resolved.",
                count,
            )
            % {"count": count},
        )
    if result.refused:
        count = len(result.refused)
        messages.warning(
            request,
            ngettext(
                "%(count)s selected alert is not yours to acknowledge.",
                "%(count)s selected alerts are not yours to acknowledge.",
                count,
            )
            % {"count": count},
        )
    return redirect("alerts:list")


@login_required
def alert_raise_view(request: HttpRequest, pk) -> HttpResponse:
    case, access = open_followed_case(request.user, pk)
    require_writer(request.user)
    form = AlertRaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = alert_raise(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # who was alerted is said by the service (hrdcase.notices)
            if Alert.objects.visible_to(request.user).filter(pk=alert.pk).exists():
                return redirect("alerts:detail", pk=alert.pk)
            if partner_alerts_for(request.user).filter(pk=alert.pk).exists():
                return redirect("alerts:detail", pk=alert.pk)  # a feedback partner's view
            # raised under a break-glass opening: the alert belongs to the owner's file.
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "alerts/alert_raise.html",
        {"case": case, "access": access, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def alert_detail(request: HttpRequest, pk) -> HttpResponse:
    try:
        alert, access = get_alert_for(request.user, pk)
    except Http404:
        return _partner_alert_detail(request, pk)
    # Opening the alert reads its notifications.
    Notification.objects.for_recipient(request.user).filter(
        alert=alert, read_at__isnull=True
    ).update(read_at=timezone.now())
    is_owner_writer = access.is_owner and request.user.can_write
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "case": alert.case,
            "access": access,
            "history": alert_notifications(alert) if access.is_owner else None,
            "events": alert_events(alert),
            "can_acknowledge": request.user.can_write and alert.status == Alert.Status.RAISED,
            "can_resolve": is_owner_writer and alert.status != Alert.Status.RESOLVED,
            "resolve_form": AlertResolveForm(),
        },
    )


def _partner_alert_detail(request: HttpRequest, pk) -> HttpResponse:
    """A partner's view of an alert it raised on a case it follows (issue 21): whether and
    when it was acknowledged and by which organisation; never the recipients, the owner's
    notes or the names of the owner's people. 404 for anyone else."""
    alert = get_partner_alert_for(request.user, pk)
    Notification.objects.for_recipient(request.user).filter(
        alert=alert, read_at__isnull=True
    ).update(read_at=timezone.now())
    return render(request, "alerts/alert_partner.html", {"alert": alert, "case": alert.case})


@login_required
@require_POST
def alert_acknowledge_view(request: HttpRequest, pk) -> HttpResponse:
    alert, _access = get_alert_for(request.user, pk)
    try:
        alert_acknowledge(alert=alert, acting_user=request.user)
    except StateConflict as conflict:
        messages.warning(request, conflict.message)
    else:
        messages.success(request, _("Acknowledged: the escalation has stopped."))
    return redirect("alerts:detail", pk=alert.pk)


@login_required
def alert_resolve_view(request: HttpRequest, pk) -> HttpResponse:
    alert, access = get_alert_for(request.user, pk)
    require_case_editor(access)
    form = AlertResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert_resolve(alert=alert, acting_user=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as conflict:
            messages.warning(request, conflict.message)
            return redirect("alerts:detail", pk=alert.pk)
        else:
            messages.success(request, _("Alert resolved."))
            return redirect("alerts:detail", pk=alert.pk)
    return render(
        request,
        "alerts/alert_resolve.html",
        {"alert": alert, "case": alert.case, "form": form},
        status=400 if form.errors else 200,
    )
