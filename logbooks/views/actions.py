"""Pages of diplomatic actions: a case's actions, record one, an action with its status,
invitations and answer, and the joint actions my organisation takes part in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from cases.access import require_writer
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors
from hrdcase.pagination import paginate
from hrdcase.tenancy import get_object_for
from logbooks.access import can_log, open_case, require_can_log
from logbooks.forms.actions import ActionForm, InviteForm, TransitionForm
from logbooks.models import ActionStatus, DiplomaticAction, ParticipantStatus
from logbooks.selectors import actions as selectors
from logbooks.services import actions as services
from logbooks.services.actions import Observation
from logbooks.views import PAGE_SIZE


def _action_for(request: HttpRequest, pk) -> DiplomaticAction:
    return get_object_for(request.user, selectors.actions_visible(request.user), pk)


def _own_action_for(request: HttpRequest, pk) -> DiplomaticAction:
    """An action of the user's organisation: another organisation's (visible to coordinate,
    or as an invitee) is not theirs to change, and answers 404."""
    action = _action_for(request, pk)
    if action.organisation_id != request.user.organisation_id:
        raise Http404
    return action


@login_required
def case_actions(request: HttpRequest, case_pk) -> HttpResponse:
    """Every organisation's actions on the case: who raised it with which authority, when."""
    case, access = open_case(request.user, case_pk, writing=request.method == "POST")
    page = paginate(request, selectors.actions_of_case(case, request.user), PAGE_SIZE)
    return render(
        request,
        "logbooks/case_actions.html",
        {
            "case": case,
            "access": access,
            "page": page,
            "can_log": can_log(access) and not case.purged_at,
        },
    )


@login_required
def action_create(request: HttpRequest, case_pk) -> HttpResponse:
    case, access = open_case(request.user, case_pk, writing=request.method == "POST")
    require_can_log(access)
    form = ActionForm(
        request.POST or None,
        case=case,
        with_milestone=access.is_owner,
        sees_hearings=access.sees_identity,
    )
    if request.method == "POST" and form.is_valid():
        observation = Observation(**form.observation_data())
        try:
            action = services.action_create(
                case=case, acting_user=request.user, observation=observation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action recorded."))
            return redirect("logbooks:action_detail", pk=action.pk)
    return render(request, "logbooks/action_form.html", {"case": case, "form": form})


@login_required
def action_detail(request: HttpRequest, pk) -> HttpResponse:
    action = _action_for(request, pk)
    own = action.organisation_id == request.user.organisation_id
    sees_case = selectors.user_sees_case(request.user, action.case_id)
    # The hearing observed (court, date) is the full file's: not a feedback partner's.
    sees_full_file = sees_case and bool(
        selectors.cases_seen_in_full(request.user, [action.case_id])
    )
    participation = selectors.participation_of(action, request.user)
    can_change = own and request.user.can_write
    outcome_visible = action.outcome_visible_to(request.user, sees_case=sees_case)
    context = {
        "action": action,
        "own": own,
        "sees_case": sees_case,
        "sees_full_file": sees_full_file,
        "participation": participation,
        "can_answer": (
            participation is not None
            and participation.status == ParticipantStatus.INVITED
            and request.user.can_write
        ),
        "outcome_visible": outcome_visible,
        "next_hearing_visible": selectors.next_hearing_visible(
            action, request.user, outcome_visible=outcome_visible, sees_full_file=sees_full_file
        ),
        "can_change": can_change,
        "transitions": [(value, ActionStatus(value).label) for value in action.allowed_transitions],
        "invite_form": (
            InviteForm(queryset=selectors.invitable_organisations(action))
            if can_change and action.status != ActionStatus.CLOSED
            else None
        ),
        "transition_form": TransitionForm(initial={"outcome_shared": action.outcome_shared}),
    }
    return render(request, "logbooks/action_detail.html", context)


@login_required
@require_POST
def action_transition(request: HttpRequest, pk) -> HttpResponse:
    action = _own_action_for(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("logbooks:action_detail", pk=action.pk)
    outcome = form.cleaned_data["outcome"] or None
    try:
        services.action_transition(
            action=action,
            to=form.cleaned_data["to"],
            outcome=outcome,
            outcome_shared=form.cleaned_data["outcome_shared"],
            acting_user=request.user,
        )
    except StateConflict as conflict:
        return render(
            request,
            "logbooks/conflict.html",
            {"message": conflict.message, "allowed": conflict.allowed, "action": action},
            status=409,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Status updated."))
    return redirect("logbooks:action_detail", pk=action.pk)


@login_required
@require_POST
def action_invite(request: HttpRequest, pk) -> HttpResponse:
    action = _own_action_for(request, pk)
    require_writer(request.user)
    form = InviteForm(request.POST, queryset=Organisation.objects.all())
    if form.is_valid():
        try:
            services.action_invite(
                action=action,
                organisation=form.cleaned_data["organisation"],
                acting_user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except StateConflict as conflict:
            messages.error(request, conflict.message)
        else:
            messages.success(request, _("Mission invited."))
    else:
        messages.error(request, _("Choose a mission to invite."))
    return redirect("logbooks:action_detail", pk=action.pk)


@login_required
@require_POST
def action_answer(request: HttpRequest, pk) -> HttpResponse:
    action = _action_for(request, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.action_answer(action=action, accept=accept, acting_user=request.user)
    except StateConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(
            request, _("Invitation accepted.") if accept else _("Invitation declined.")
        )
        if not accept:
            # Declining ends the organisation's sight of an action on a case it does not
            # follow: its page would answer 404. Back to the organisation's joint actions.
            return redirect("logbooks:my_actions")
    return redirect("logbooks:action_detail", pk=action.pk)


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    """Joint actions my organisation was invited to, on cases it may not see."""
    page = paginate(request, selectors.actions_taken_part_in(request.user), PAGE_SIZE)
    visible_cases = selectors.cases_seen(request.user, page.object_list)
    return render(
        request, "logbooks/my_actions.html", {"page": page, "visible_cases": visible_cases}
    )
