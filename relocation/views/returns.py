"""The requester records the defender's return home (issue 20, item 5): the return plan is
set up on the case, once, and the request page says what it set up."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hrdcase.forms import add_service_errors, form_status
from relocation.forms.returns import ReturnForm
from relocation.services.access import requester_holds_case
from relocation.services.returns import return_record
from relocation.views.referral import request_of_requester

if TYPE_CHECKING:
    from accounts.models import User


@login_required
def return_record_view(request: HttpRequest, pk) -> HttpResponse:
    relocation_request = request_of_requester(request, pk)
    if not requester_holds_case(relocation_request):
        # A partner whose share ended sees its frozen request, never the case's return.
        raise Http404
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return_record(
                relocation_request=relocation_request,
                # login_required: an authenticated user
                acting_user=cast("User", request.user),
                returned_on=form.cleaned_data["returned_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The return is recorded and the return plan set up."))
            return redirect("relocation:detail", pk=pk)
    return render(
        request,
        "relocation/return_form.html",
        {"form": form, "req": relocation_request},
        status=form_status(form),
    )
