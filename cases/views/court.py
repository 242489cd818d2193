"""Court proceedings pages: record one, a proceeding with its hearings and observers (edit,
schedule a hearing, plan and record observers), and the case page's panel. Reads need the
full file (owner, ``full`` partner); writes the owner's writers (the services check again)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import NEED_IDENTITY, CaseAccess, get_case_for
from cases.forms.court import (
    HearingScheduleForm,
    ObserverPlanForm,
    ObserverRecordForm,
    ProceedingForm,
)
from cases.models import Case, CaseAccessLog
from cases.registries.timeline import TimelineItem
from cases.selectors.court import case_proceedings_seen, hearing_of, observer_of, proceeding_of
from cases.selectors.incident import sees_incidents
from cases.services import court as services
from cases.services.access_log import case_part_viewed
from hrdcase.audit import client_ip
from hrdcase.forms import add_service_errors
from hrdcase.tenancy import NEED_CHANGE

if TYPE_CHECKING:
    from accounts.models import User


def _user(request: HttpRequest) -> User:
    """The signed-in member (``login_required`` let no one else in)."""
    return cast("User", request.user)


def _open(request: HttpRequest, pk, *, need: str) -> tuple[Case, CaseAccess]:
    case, access = get_case_for(_user(request), pk, need=need)
    if case.purged_at:
        raise Http404
    return case, access


def _proceeding_data(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data.setdefault("detention", None)
    return data


@login_required
def proceeding_create(request: HttpRequest, pk) -> HttpResponse:
    case, _access = _open(request, pk, need=NEED_CHANGE)
    form = ProceedingForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            proceeding = services.proceeding_create(
                case=case, acting_user=_user(request), **_proceeding_data(form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Court proceeding recorded."))
            return redirect("cases:proceeding", pk=case.pk, proceeding_pk=proceeding.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "cases/court/proceeding_form.html", {"case": case, "form": form}, status=status
    )


def _render_proceeding(request, case, access, proceeding, **forms: Any) -> HttpResponse:
    context: dict[str, Any] = {"case": case, "access": access, "proceeding": proceeding}
    if access.can_edit:
        initial = {
            name: getattr(proceeding, name)
            for name in ("court", "case_number", "charges", "lawyer", "defender_role", "status")
        }
        context["edit_form"] = forms.get("edit_form") or ProceedingForm(initial=initial, case=case)
        context["hearing_form"] = forms.get("hearing_form") or HearingScheduleForm()
        context["plan_form"] = forms.get("plan_form") or ObserverPlanForm(
            organisations=services.partners_of_case(case), user=_user(request)
        )
        context["plan_hearing"] = forms.get("plan_hearing")
        context["record_form"] = forms.get("record_form") or ObserverRecordForm()
    shown_again = any(
        getattr(form, "is_bound", False) and form.errors for form in forms.values() if form
    )
    return render(
        request, "cases/court/proceeding.html", context, status=400 if shown_again else 200
    )


@login_required
def proceeding_page(request: HttpRequest, pk, proceeding_pk) -> HttpResponse:
    """GET: the proceeding, its hearings and their observers (the full file). POST: edit it
    (the owner's writers)."""
    need = NEED_IDENTITY if request.method == "GET" else NEED_CHANGE
    case, access = _open(request, pk, need=need)
    proceeding = proceeding_of(case, proceeding_pk)
    if request.method == "GET":
        case_part_viewed(
            case=case, user=_user(request), part=CaseAccessLog.Part.FILE, ip=client_ip(request)
        )
        return _render_proceeding(request, case, access, proceeding)
    form = ProceedingForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.proceeding_update(
                proceeding=proceeding,
                acting_user=_user(request),
                **_proceeding_data(form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Court proceeding updated."))
            return redirect("cases:proceeding", pk=case.pk, proceeding_pk=proceeding.pk)
    return _render_proceeding(request, case, access, proceeding, edit_form=form)


@login_required
@require_POST
def hearing_schedule(request: HttpRequest, pk, proceeding_pk) -> HttpResponse:
    case, access = _open(request, pk, need=NEED_CHANGE)
    proceeding = proceeding_of(case, proceeding_pk)
    form = HearingScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.hearing_schedule(
                proceeding=proceeding, acting_user=_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Hearing added."))
            return redirect("cases:proceeding", pk=case.pk, proceeding_pk=proceeding.pk)
    return _render_proceeding(request, case, access, proceeding, hearing_form=form)


@login_required
@require_POST
def observer_plan(request: HttpRequest, pk, hearing_pk) -> HttpResponse:
    case, access = _open(request, pk, need=NEED_CHANGE)
    hearing = hearing_of(case, hearing_pk)
    form = ObserverPlanForm(
        request.POST, organisations=services.partners_of_case(case), user=_user(request)
    )
    if form.is_valid():
        try:
            services.hearing_observer_plan(
                hearing=hearing, acting_user=_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Observer planned."))
            return redirect("cases:proceeding", pk=case.pk, proceeding_pk=hearing.proceeding_id)
    proceeding = proceeding_of(case, hearing.proceeding_id)
    return _render_proceeding(
        request, case, access, proceeding, plan_form=form, plan_hearing=hearing
    )


@login_required
@require_POST
def observer_record(request: HttpRequest, pk, observer_pk) -> HttpResponse:
    case, access = _open(request, pk, need=NEED_CHANGE)
    row = observer_of(case, observer_pk)
    form = ObserverRecordForm(request.POST)
    if form.is_valid():
        try:
            services.hearing_observer_record(
                observer_row=row, acting_user=_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Observation recorded."))
            return redirect("cases:proceeding", pk=case.pk, proceeding_pk=row.hearing.proceeding_id)
    proceeding = proceeding_of(case, row.hearing.proceeding_id)
    return _render_proceeding(request, case, access, proceeding, record_form=form)


# --- the case page -------------------------------------------------------------------------------


def proceedings_panel(
    request: HttpRequest, case: Case, access: CaseAccess
) -> dict[str, Any] | None:
    """The case's court proceedings with their hearings and observers (the full file)."""
    if case.purged_at or not sees_incidents(access):
        return None
    return {"proceedings": case_proceedings_seen(case, access)}


def proceedings_timeline(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    """Proceedings opened, and their hearings outside a detention (the detention's own are
    on the timeline already: ``cases.views.detention.detention_timeline``)."""
    if case.purged_at or not sees_incidents(access):
        return
    for proceeding in case_proceedings_seen(case, access):
        url = reverse("cases:proceeding", kwargs={"pk": case.pk, "proceeding_pk": proceeding.pk})
        yield TimelineItem(
            at=proceeding.created_at,
            kind="proceeding",
            title=_("Court proceeding: %(court)s") % {"court": proceeding.court},
            url=url,
        )
        for hearing in proceeding.hearings.all():
            if hearing.detention_id is None:
                yield TimelineItem(
                    at=hearing.date,
                    kind="hearing",
                    title=_("Hearing: %(court)s") % {"court": hearing.court},
                    url=url,
                )
