"""Settings pages (service level, grant cap, programme, capacity) and the menu per kind."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from relocation.models import CapacityPeriod, RelocationSettings, ShelterProgramme
from relocation.services.capacity import capacity_period_remove
from relocation.services.shelter import (
    shelter_answer,
    shelter_confirm,
    shelter_referral_create,
    shelter_withdraw,
)
from relocation.services.visa import visa_referral_create
from tests.conftest import verified_client
from tests.factories import CaseFactory
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


def test_a_mission_admin_sets_the_service_level_and_cap(the_mission):
    admin = f.staff(the_mission, role=Role.ADMIN)
    client = verified_client(admin)
    response = client.post(
        reverse("relocation:settings"),
        {
            "form": "settings",
            "visa_service_days": 4,
            "grant_cap_amount": "5000",
            "grant_cap_currency": "eur",
        },
    )
    assert response.status_code == 302
    row = RelocationSettings.objects.owned_by(the_mission).get()
    assert (row.visa_service_days, row.grant_cap_currency) == (4, "EUR")
    bad = client.post(
        reverse("relocation:settings"),
        {
            "form": "settings",
            "visa_service_days": 0,
            "grant_cap_amount": "1",
            "grant_cap_currency": "E",
        },
    )
    assert bad.status_code == 400 and "visa_service_days" in bad.context["settings_form"].errors


def test_officers_cannot_open_the_settings(mission_officer):
    assert verified_client(mission_officer).get(reverse("relocation:settings")).status_code == 403


def test_a_city_admin_keeps_its_programme_and_capacity():
    the_city = f.city(name="Shelter Utrecht", code="UTR")
    admin = f.staff(the_city, role=Role.ADMIN)
    client = verified_client(admin)
    response = client.post(
        reverse("relocation:settings"),
        {
            "form": "programme",
            "name": "Utrecht",
            "stay_months": 9,
            "languages": "en",
            "active": "on",
        },
    )
    assert response.status_code == 302
    programme = ShelterProgramme.objects.owned_by(the_city).get()
    assert programme.stay_months == 9
    added = client.post(
        reverse("relocation:settings"),
        {"form": "capacity", "start": "2026-06-01", "end": "2026-08-31", "places": 3},
    )
    assert added.status_code == 302
    overlap = client.post(
        reverse("relocation:settings"),
        {"form": "capacity", "start": "2026-08-01", "end": "2026-09-30", "places": 1},
    )
    assert "overlaps the period 2026-06-01 to 2026-08-31" in overlap.content.decode()
    assert CapacityPeriod.objects.owned_by(the_city).count() == 1


def test_a_period_guests_rely_on_cannot_be_removed(ngo, ngo_officer):
    start = datetime.date.today() + datetime.timedelta(days=5)
    the_city = f.city(periods=[(start, start + datetime.timedelta(days=60), 2)])
    admin = f.staff(the_city, role=Role.ADMIN)
    period = CapacityPeriod.objects.owned_by(the_city).get()
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, ngo_officer)
    referral = shelter_referral_create(
        relocation_request=f.approved_request(case, ngo_officer),
        city=the_city,
        start=start,
        end=start + datetime.timedelta(days=10),
        acting_user=ngo_officer,
    )
    shelter_answer(referral=referral, answer="accepted", acting_user=admin)
    shelter_confirm(referral=referral, acting_user=admin)
    with pytest.raises(ValidationError):
        capacity_period_remove(period=period, acting_user=admin)
    shelter_withdraw(referral=referral, acting_user=ngo_officer)
    verified_client(admin).post(reverse("relocation:capacity_remove", args=[period.pk]))
    assert not CapacityPeriod.objects.owned_by(the_city).exists()


def test_the_menu_follows_the_organisation_kind(ngo_officer, mission_officer):
    city_staff = f.staff(f.city(name="Shelter Tilburg", code="TIL"))
    ngo_page = verified_client(ngo_officer).get(reverse("relocation:list")).content.decode()
    assert 'href="/relocation/"' in ngo_page and "Visa queue" not in ngo_page
    mission_page = verified_client(mission_officer).get(reverse("relocation:list")).content.decode()
    assert 'href="/relocation/visas/"' in mission_page
    city_page = verified_client(city_staff).get(reverse("relocation:city_inbox")).content.decode()
    assert 'href="/relocation/shelter/"' in city_page and 'href="/relocation/"' not in city_page


def test_a_draft_is_edited_by_its_requester(case, ngo_officer):
    req = f.make_request(case, ngo_officer)
    client = verified_client(ngo_officer)
    response = client.post(
        reverse("relocation:edit", args=[req.pk]),
        {"support": ["emergency_grant"], "urgency": "routine", "family_members": 3},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.support, req.urgency, req.family_members) == (["emergency_grant"], "routine", 3)
    f.make_request(case, ngo_officer)
    from relocation.models import RelocationRequest

    # unscoped: put the request in review to check the edit is then refused.
    RelocationRequest.objects.unscoped().filter(pk=req.pk).update(status="in_review")
    response = client.post(
        reverse("relocation:edit", args=[req.pk]),
        {"support": ["emergency_grant"], "urgency": "routine", "family_members": 1},
        follow=True,
    )
    assert "before its review starts" in response.content.decode()
    req.refresh_from_db()
    assert req.family_members == 3


def test_the_request_list_paginates_and_filters(ngo, ngo_officer, monkeypatch):
    from relocation.views import referral

    monkeypatch.setattr(referral, "PAGE_SIZE", 2)
    for status in ("draft", "submitted", "approved"):
        f.make_request(CaseFactory(organisation=ngo), ngo_officer, status=status)
    client = verified_client(ngo_officer)
    first = client.get(reverse("relocation:list")).content.decode()
    assert "Page 1 of 2 (3 results)" in first
    only_approved = client.get(reverse("relocation:list"), {"status": "approved"})
    assert [r.status for r in only_approved.context["page"].object_list] == ["approved"]
    assert "Page 1 of" not in only_approved.content.decode()


def test_the_visa_menu_badge_counts_referrals_near_their_deadline(
    consented_case, ngo_officer, the_mission, mission_officer
):
    visa_referral_create(
        relocation_request=f.approved_request(consented_case, ngo_officer),
        mission=the_mission,
        visa_type="humanitarian",
        requested_on=datetime.date.today() - datetime.timedelta(days=9),
        acting_user=ngo_officer,
    )
    page = verified_client(mission_officer).get(reverse("relocation:visa_queue")).content.decode()
    assert 'id="relocation-visa-badge">1</span>' in page
