"""What the relocation pages share: the writer check, the answer status of a form shown
again, a list filtered by status, and the two pages every kind of referral has (the
requester's form raising it, and its page where each side takes its steps)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cases.access import require_writer
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors, chosen_filter, filter_status, form_status
from hrdcase.pagination import paginate
from hrdcase.tenancy import NEED_CHANGE, get_object_for
from relocation.models import RelocationRequest
from relocation.selectors.requests import request_for
from relocation.services.referral import ReferralKind, Step

PAGE_SIZE = 25


def status_page(
    request: HttpRequest,
    rows: Callable[..., QuerySet],
    statuses: Iterable[str],
    *,
    default: str = "",
) -> tuple[Page, str, int]:
    """A page of ``rows(user, status=...)`` filtered by the ``status`` parameter, when it is
    one of ``statuses`` (``default`` otherwise), with the HTTP status to answer: 400 when the
    parameter was not understood (``chosen_filter``)."""
    status, understood = chosen_filter(request, "status", list(statuses), default=default)
    page = paginate(request, rows(request.user, status=status), PAGE_SIZE)
    return page, status, filter_status(request, understood)


def request_of_requester(request: HttpRequest, pk) -> RelocationRequest:
    """A request the user's organisation raised, for a write: 404 when the user cannot see
    it, 403 for a read-only role or for the reviewer (it takes no requester's step)."""
    relocation_request = get_object_for(
        request.user, request_for(request.user), pk, need=NEED_CHANGE
    )
    if relocation_request.organisation_id != request.user.organisation_id:
        raise PermissionDenied
    return relocation_request


def referral_form_view(
    kind: ReferralKind,
    form_class: type[Form],
    create: Callable[..., Model],
    *,
    title: Promise,
    success: Promise,
) -> Callable[[HttpRequest, Any], HttpResponse]:
    """The requester's page raising a referral of ``kind`` on one of its requests."""

    @login_required
    def view(request: HttpRequest, pk) -> HttpResponse:
        relocation_request = request_of_requester(request, pk)
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                created = create(
                    relocation_request=relocation_request,
                    acting_user=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, success)
                return redirect(f"relocation:{kind.route}", pk=created.pk)
        return render(
            request,
            "relocation/referral_form.html",
            {"form": form, "req": relocation_request, "title": title},
            status=form_status(form),
        )

    return view


def posted_for(request: HttpRequest, *actions: str) -> Any:
    """The POST data when the page posted one of ``actions`` (its form is bound), else None."""
    return request.POST if request.POST.get("action") in actions else None


def referral_step_post(
    request: HttpRequest,
    referral: Model,
    kind: ReferralKind,
    steps: Mapping[str, Step],
    forms: Mapping[str, Form | None],
    success: Mapping[str, Promise],
    *,
    errors_as_messages: bool = False,
) -> HttpResponse | None:
    """A step posted on a referral's page (``action``): its form checked, then its service.
    Done, refused by the state (the message) or unknown: back to the page. None when the
    page must show the form again with its errors (nothing was written)."""
    require_writer(request.user)
    action = request.POST.get("action", "")
    back = redirect(f"relocation:{kind.route}", pk=referral.pk)
    if action not in steps:
        messages.error(request, _("Unknown action."))
        return back
    form = forms.get(action)
    if form is not None and not form.is_valid():
        return None
    try:
        steps[action](referral, request.user, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        _show_errors(request, form, error, as_messages=errors_as_messages)
        return None
    except StateConflict as error:
        messages.error(request, error.message)
        return back
    messages.success(request, success[action])
    return back


def _show_errors(
    request: HttpRequest, form: Form | None, error: ValidationError, *, as_messages: bool
) -> None:
    if form is None:
        for message in error.messages:
            messages.error(request, message)
        return
    add_service_errors(form, error)
    if as_messages:
        # The stay page, with up to three forms, also lists the errors at its top.
        for message in form.non_field_errors():
            messages.error(request, message)
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
