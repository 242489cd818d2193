"""Shelter referral pages: the requester's proposal form, the city's inbox, the stay's page
(the city answers, confirms, records the arrival and the return; the requester may withdraw)
and the city's page of the defender's identity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hrdcase.audit import client_ip
from hrdcase.forms import form_status
from hrdcase.tenancy import get_object_for
from relocation.forms.referral import DayForm
from relocation.forms.shelter import ShelterAnswerForm, ShelterReferralForm, StayDatesForm
from relocation.models import ShelterReferral
from relocation.selectors.capacity import programme_of
from relocation.selectors.shelter import (
    city_inbox_for,
    city_may_see_identity,
    shelter_referrals_for,
)
from relocation.services.shelter import (
    SHELTER,
    SHELTER_STEPS,
    shelter_identity_reveal,
    shelter_referral_create,
)
from relocation.views.referral import (
    posted_for,
    referral_form_view,
    referral_step_post,
    status_page,
)

shelter_create = referral_form_view(
    SHELTER,
    ShelterReferralForm,
    shelter_referral_create,
    title=_("Propose a shelter-city stay"),
    success=_("Referral sent to the shelter city."),
)

SUCCESS = dict.fromkeys(SHELTER_STEPS, _("Saved; the other side is told."))


@login_required
def city_inbox(request: HttpRequest) -> HttpResponse:
    page, status, answer = status_page(request, city_inbox_for, ShelterReferral.Status.values)
    return render(
        request,
        "relocation/city_inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": ShelterReferral.Status.choices,
            "programme": programme_of(request.user.organisation_id),
        },
        status=answer,
    )


@login_required
def shelter_detail(request: HttpRequest, pk) -> HttpResponse:
    referral = get_object_for(request.user, shelter_referrals_for(request.user), pk)
    user = request.user
    is_city = referral.city_id == user.organisation_id
    answer_form = ShelterAnswerForm(posted_for(request, "answer"))
    dates_form = StayDatesForm(
        posted_for(request, "confirm"), initial={"start": referral.start, "end": referral.end}
    )
    day_form = DayForm(posted_for(request, "hosting", "complete"))
    if request.method == "POST":
        forms = {"answer": answer_form, "confirm": dates_form}
        forms.update(hosting=day_form, complete=day_form)
        done = referral_step_post(
            request, referral, SHELTER, SHELTER_STEPS, forms, SUCCESS, errors_as_messages=True
        )
        if done is not None:
            return done
    return render(
        request,
        "relocation/shelter_detail.html",
        {
            "referral": referral,
            "req": referral.request,
            "is_city": is_city,
            "is_requester": referral.organisation_id == user.organisation_id,
            "answer_form": answer_form,
            "dates_form": dates_form,
            "day_form": day_form,
            "identity_available": is_city and city_may_see_identity(referral),
        },
        status=form_status(answer_form, dates_form, day_form),
    )


@login_required
def shelter_identity(request: HttpRequest, pk) -> HttpResponse:
    """The defender's identity for the city's staff, after it accepted and with relocation
    consent; every view is recorded in the case's "who viewed" log. 404 otherwise."""
    referral = get_object_for(request.user, shelter_referrals_for(request.user), pk)
    defender = shelter_identity_reveal(referral=referral, user=request.user, ip=client_ip(request))
    return render(
        request,
        "relocation/shelter_identity.html",
        {"referral": referral, "defender": defender},
    )
