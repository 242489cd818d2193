"""Alert pages: raise (from the case page), the alert with its history, acknowledge and
resolve, the organisation's alerts, the notification centre, the escalation policy and the
check-ins of a case. Thin: access check -> service/selector -> template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alerts.forms import (
    AlertRaiseForm,
    AlertResolveForm,
    CheckInForm,
    CheckInScheduleForm,
    EscalationStepForm,
)
from alerts.models import Alert, CheckIn, EscalationStep, Notification
from alerts.selectors import (
    alert_notifications,
    alerts_for,
    get_alert_for,
    notifications_of,
    unread_notification_count,
)
from alerts.services.alerts import alert_acknowledge, alert_raise, alert_resolve
from alerts.services.checkins import (
    active_schedule,
    checkin_log,
    checkin_schedule_set,
    checkin_schedule_stop,
    last_check_in,
    next_due,
)
from alerts.services.policy import (
    escalation_policy_reset,
    escalation_step_add,
    escalation_step_remove,
    policy_for,
    policy_steps,
)
from cases.access import (
    NEED_IDENTITY,
    CaseAccess,
    get_case_for,
    require_org_admin,
    require_writer,
)
from cases.models import Case
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors
from hrdcase.pagination import paginate
from hrdcase.tenancy import get_object_for

PAGE_SIZE = 50


def _full_case(request: HttpRequest, pk) -> tuple[Case, CaseAccess]:
    """The case if the user holds it with full-level access (owner or ``full`` partner)."""
    return get_case_for(request.user, pk, need=NEED_IDENTITY)


def _require_case_editor(access: CaseAccess) -> None:
    """Resolving an alert, scheduling check-ins: the owner's writers (a ``full`` partner
    sees the alert and acknowledges it, and gets 403 here)."""
    if not access.can_edit:
        raise PermissionDenied


# --- alerts ----------------------------------------------------------------------------------


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in ("open", "all", *Alert.Status.values):
        status = "open"
    page = paginate(request, alerts_for(request.user, status=status), PAGE_SIZE)
    return render(
        request,
        "alerts/alert_list.html",
        {
            "page": page,
            "alerts": page.object_list,
            "status": status,
            "statuses": [("open", _("Open")), *Alert.Status.choices, ("all", _("All"))],
        },
    )


@login_required
def alert_raise_view(request: HttpRequest, pk) -> HttpResponse:
    case, access = _full_case(request, pk)
    require_writer(request.user)
    form = AlertRaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = alert_raise(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Alert raised. Your colleagues and the partners with full access are notified."),
            )
            if not Alert.objects.visible_to(request.user).filter(pk=alert.pk).exists():
                # raised under a break-glass opening: the alert belongs to the owner's file.
                return redirect("cases:detail", pk=case.pk)
            return redirect("alerts:detail", pk=alert.pk)
    return render(
        request,
        "alerts/alert_raise.html",
        {"case": case, "access": access, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def alert_detail(request: HttpRequest, pk) -> HttpResponse:
    alert, access = get_alert_for(request.user, pk)
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
            "can_acknowledge": request.user.can_write and alert.status == Alert.Status.RAISED,
            "can_resolve": is_owner_writer and alert.status != Alert.Status.RESOLVED,
            "resolve_form": AlertResolveForm(),
        },
    )


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
    _require_case_editor(access)
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


# --- notification centre ---------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = notifications_of(request.user).select_related("alert")
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = paginate(request, notifications, PAGE_SIZE)
    return render(
        request,
        "alerts/notification_list.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread": unread_notification_count(request.user),
            "only_unread": bool(request.GET.get("unread")),
        },
    )


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("alerts:notifications")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk) -> HttpResponse:
    notification = get_object_for(
        request.user, Notification.objects.for_recipient(request.user), pk
    )
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if request.POST.get("open") and notification.url:
        return redirect(notification.url)
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = (
        Notification.objects.for_recipient(request.user)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )
    messages.success(request, _("%(count)s notification(s) marked as read.") % {"count": count})
    return redirect(_back(request))


@require_GET
def unread_count_view(request: HttpRequest) -> HttpResponse:
    """The menu badge again, for htmx polling (``X-Idle-Poll``: it does not keep the session
    alive). Signed out (the session timed out): 286 stops the polling and ``HX-Refresh``
    reloads the page, so the login page replaces whatever the screen showed."""
    if not request.user.is_authenticated:
        return HttpResponse(status=286, headers={"HX-Refresh": "true"})
    return render(
        request,
        "alerts/_unread_badge.html",
        {"count": unread_notification_count(request.user), "url": reverse("alerts:unread_count")},
    )


# --- escalation policy -----------------------------------------------------------------------


@login_required
def policy_view(request: HttpRequest) -> HttpResponse:
    """The organisation's escalation policy: everyone reads it, administrators edit it."""
    organisation = request.user.organisation
    if organisation is None:
        raise Http404
    policy = policy_for(organisation)
    form = EscalationStepForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        require_org_admin(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                escalation_step_add(
                    organisation=organisation,
                    after_minutes=data["after_minutes"],
                    target=data["target"],
                    role=data["role"],
                    network=data["network"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Step added."))
                return redirect("alerts:policy")
    return render(
        request,
        "alerts/policy.html",
        {
            "policy": policy,
            "steps": policy_steps(policy),
            "form": form,
            "can_edit": request.user.is_org_admin,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def policy_step_remove(request: HttpRequest, step_pk) -> HttpResponse:
    step = get_object_for(
        request.user,
        EscalationStep.objects.visible_to(request.user).select_related("policy"),
        step_pk,
    )
    require_org_admin(request.user)
    escalation_step_remove(step=step, acting_user=request.user)
    messages.success(request, _("Step removed."))
    return redirect("alerts:policy")


@login_required
@require_POST
def policy_reset(request: HttpRequest) -> HttpResponse:
    require_org_admin(request.user)
    escalation_policy_reset(organisation=request.user.organisation, acting_user=request.user)
    messages.success(request, _("The policy is back to the default steps."))
    return redirect("alerts:policy")


# --- check-ins -------------------------------------------------------------------------------


@login_required
def check_ins(request: HttpRequest, pk) -> HttpResponse:
    """The case's check-in schedule and the check-ins heard. POST logs a check-in."""
    case, access = _full_case(request, pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        require_writer(request.user)
        if form.is_valid():
            try:
                checkin_log(
                    case=case,
                    acting_user=request.user,
                    at=form.cleaned_data["at"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Check-in logged."))
                return redirect("alerts:check_ins", pk=case.pk)
    return _check_ins_page(request, case, access, form=form)


def _check_ins_page(request, case, access, *, form=None, schedule_form=None):
    schedule = active_schedule(case)
    last = last_check_in(case)
    errors = (form is not None and form.errors) or (
        schedule_form is not None and schedule_form.errors
    )
    return render(
        request,
        "alerts/check_ins.html",
        {
            "case": case,
            "access": access,
            "schedule": schedule,
            "next_check_in": next_due(schedule, last.at if last else None) if schedule else None,
            # unscoped: narrowed to a case the user opened with full-level access.
            "check_ins": CheckIn.objects.unscoped()
            .filter(case=case)
            .select_related("logged_by", "logged_by__organisation")[:50],
            "form": form or CheckInForm(),
            "schedule_form": schedule_form or CheckInScheduleForm(),
            "can_log": request.user.can_write and not case.is_closed,
            "can_schedule": access.can_edit and not case.is_closed and not case.purged_at,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def check_in_schedule(request: HttpRequest, pk) -> HttpResponse:
    case, access = _full_case(request, pk)
    _require_case_editor(access)
    form = CheckInScheduleForm(request.POST)
    if form.is_valid():
        try:
            checkin_schedule_set(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Check-in schedule set."))
            return redirect("alerts:check_ins", pk=case.pk)
    return _check_ins_page(request, case, access, schedule_form=form)


@login_required
@require_POST
def check_in_schedule_stop(request: HttpRequest, pk) -> HttpResponse:
    case, access = _full_case(request, pk)
    _require_case_editor(access)
    schedule = active_schedule(case)
    if schedule is not None:
        checkin_schedule_stop(schedule=schedule, acting_user=request.user)
        messages.success(request, _("Check-in schedule stopped."))
    return redirect("alerts:check_ins", pk=case.pk)
