"""Time zones (issue 19): each organisation has one, each user may choose their own, and every
date and time of a page is shown in the user's zone."""

from __future__ import annotations

import datetime
import html

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.middleware import UserTimeZoneMiddleware
from accounts.models import Organisation, Role, User
from accounts.testing import verified_client
from hrdcase.models import AuditEvent
from logbooks.models import LogEntry
from logbooks.services.entries import entry_create
from tests.factories import CaseFactory, OrganisationFactory, UserFactory
from tests.queries import get_counting

pytestmark = pytest.mark.django_db

#: 23:30 UTC on 3 March: already the 4th in Bangkok (06:30), still the 3rd in Bogotá (18:30).
LATE_EVENING_UTC = datetime.datetime(2026, 3, 3, 23, 30, tzinfo=datetime.UTC)


def _logbook_with_an_entry_at(when, user) -> str:
    case = CaseFactory(organisation=user.organisation)
    entry_create(
        case=case,
        kind="call",
        summary="Called the lawyer after the hearing.",
        acting_user=user,
        occurred_at=when,
    )
    return reverse("logbooks:case_logbook", args=[case.pk])


# --- the organisation's zone, the user's own ---------------------------------------------------


def test_a_new_organisation_is_in_utc_until_its_admins_choose(org):
    assert org.time_zone == "UTC"


def test_the_admin_sets_the_organisations_zone_and_it_is_audited(admin_user, officer):
    client = verified_client(admin_user)
    page = client.get(reverse("accounts:organisation"))
    assert page.status_code == 200
    assert '<option value="America/Bogota">America/Bogota</option>' in page.content.decode()

    response = client.post(reverse("accounts:organisation"), {"time_zone": "America/Bogota"})
    assert response.status_code == 302
    admin_user.organisation.refresh_from_db()
    assert admin_user.organisation.time_zone == "America/Bogota"
    event = AuditEvent.objects.get(action="organisation.time_zone")
    assert event.actor_id == admin_user.pk
    assert event.data == {"from": "UTC", "to": "America/Bogota"}
    followed = html.unescape(client.get(response["Location"]).content.decode())
    assert "The organisation's time zone is now America/Bogota." in followed


def test_an_unknown_zone_is_refused_with_a_message(admin_user):
    client = verified_client(admin_user)
    response = client.post(reverse("accounts:organisation"), {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "“Mars/Olympus_Mons” is not a time zone." in response.content.decode()
    admin_user.organisation.refresh_from_db()
    assert admin_user.organisation.time_zone == "UTC"
    assert not AuditEvent.objects.filter(action="organisation.time_zone").exists()


def test_only_the_organisations_admins_change_its_zone(officer, org):
    client = verified_client(officer)
    assert client.get(reverse("accounts:organisation")).status_code == 403
    assert (
        client.post(reverse("accounts:organisation"), {"time_zone": "Asia/Bangkok"}).status_code
        == 403
    )
    org.refresh_from_db()
    assert org.time_zone == "UTC"
    with pytest.raises(PermissionDenied):
        services.organisation_set_time_zone(
            organisation=org, time_zone="Asia/Bangkok", acting_user=officer
        )


def test_an_admin_never_sets_another_organisations_zone(admin_user, other_org):
    with pytest.raises(PermissionDenied):
        services.organisation_set_time_zone(
            organisation=other_org, time_zone="Asia/Bangkok", acting_user=admin_user
        )


def test_the_model_refuses_an_unknown_zone(org):
    org.time_zone = "Europe/Atlantis"
    with pytest.raises(ValidationError) as raised:
        org.full_clean()
    assert "time_zone" in raised.value.message_dict


def test_a_user_chooses_their_own_zone_on_the_profile(officer):
    client = verified_client(officer)
    page = html.unescape(client.get(reverse("accounts:profile")).content.decode())
    assert "Dates and times are shown in UTC." in page
    assert "The organisation's: UTC" in page

    response = client.post(
        reverse("accounts:profile"), {"action": "time_zone", "time_zone": "Asia/Bangkok"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.time_zone == "Asia/Bangkok"
    event = AuditEvent.objects.get(action="user.time_zone")
    assert (event.actor_id, event.data) == (officer.pk, {"from": "", "to": "Asia/Bangkok"})
    assert (
        "Dates and times are shown in Asia/Bangkok."
        in client.get(reverse("accounts:profile")).content.decode()
    )

    # Empty: back to the organisation's.
    client.post(reverse("accounts:profile"), {"action": "time_zone", "time_zone": ""})
    officer.refresh_from_db()
    assert officer.time_zone == ""


def test_a_user_gets_a_message_for_an_unknown_zone(officer):
    client = verified_client(officer)
    response = client.post(
        reverse("accounts:profile"), {"action": "time_zone", "time_zone": "Bogota"}
    )
    assert response.status_code == 200
    assert "“Bogota” is not a time zone." in response.content.decode()
    officer.refresh_from_db()
    assert officer.time_zone == ""


def test_the_api_sets_the_users_zone_and_answers_400_naming_the_field(officer):
    _token, key = services.token_create(user=officer)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    bad = api.patch(
        reverse("api:me"), {"time_zone": "Nowhere/Land"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "time_zone" in bad.json()
    good = api.patch(
        reverse("api:me"), {"time_zone": "America/Bogota"}, content_type="application/json"
    )
    assert good.status_code == 200
    assert good.json()["time_zone"] == "America/Bogota"
    assert good.json()["organisation"]["time_zone"] == "UTC"
    officer.refresh_from_db()
    assert officer.time_zone == "America/Bogota"
    assert AuditEvent.objects.filter(action="user.time_zone", actor_id=officer.pk).count() == 1


def test_platform_staff_set_zones_in_the_admin_audited(org):
    staff = User.objects.create_superuser("staff@platform.example", "x-very-long-pass-9")
    client = verified_client(staff)
    url = reverse("admin:accounts_organisation_change", args=[org.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["is_active"] = "on"
    data["time_zone"] = "Europe/Amsterdam"
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.time_zone == "Europe/Amsterdam"
    event = AuditEvent.objects.get(action="organisation.time_zone")
    assert event.data == {"from": "UTC", "to": "Europe/Amsterdam"}


# --- every date of a page in the user's zone ------------------------------------------------


def test_a_late_evening_in_utc_is_the_next_day_in_bangkok_and_the_same_in_bogota():
    bogota = OrganisationFactory(time_zone="America/Bogota")
    bangkok = OrganisationFactory(time_zone="Asia/Bangkok")
    in_bogota = UserFactory(organisation=bogota, role=Role.OFFICER)
    in_bangkok = UserFactory(organisation=bangkok, role=Role.OFFICER)

    page = verified_client(in_bogota).get(_logbook_with_an_entry_at(LATE_EVENING_UTC, in_bogota))
    assert "3 Mar 2026, 18:30" in page.content.decode()
    page = verified_client(in_bangkok).get(_logbook_with_an_entry_at(LATE_EVENING_UTC, in_bangkok))
    assert "4 Mar 2026, 06:30" in page.content.decode()
    assert "3 Mar 2026" not in page.content.decode()


def test_the_users_own_zone_wins_over_the_organisations():
    bogota = OrganisationFactory(time_zone="America/Bogota")
    travelling = UserFactory(organisation=bogota, role=Role.OFFICER, time_zone="Asia/Bangkok")
    page = verified_client(travelling).get(_logbook_with_an_entry_at(LATE_EVENING_UTC, travelling))
    body = page.content.decode()
    assert "4 Mar 2026, 06:30" in body
    assert "18:30" not in body


def test_what_a_user_types_is_read_in_their_zone():
    """A datetime typed in a form is the user's local time, not UTC."""
    bogota = OrganisationFactory(time_zone="America/Bogota")
    officer = UserFactory(organisation=bogota, role=Role.OFFICER)
    case = CaseFactory(organisation=bogota)
    response = verified_client(officer).post(
        reverse("logbooks:entry_create", args=[case.pk]),
        {
            "kind": "call",
            "summary": "Called the family.",
            "visibility": "internal",
            "occurred_at": "2026-03-03T18:30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.unscoped().get(case=case)
    assert entry.occurred_at == LATE_EVENING_UTC


def test_the_zone_costs_no_query(org, officer):
    """The organisation comes with the user: a zone set changes nothing to a page's cost."""
    client = verified_client(officer)
    url = reverse("accounts:profile")
    before = get_counting(client, url, max_queries=30, contains="Dates and times are shown in UTC")
    Organisation.objects.filter(pk=org.pk).update(time_zone="Asia/Bangkok")
    get_counting(
        client,
        url,
        queries=len(before.queries),
        contains="Dates and times are shown in Asia/Bangkok",
    )


def test_anonymous_visitors_and_the_api_stay_in_utc(officer):
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    middleware = UserTimeZoneMiddleware(view)
    factory = RequestFactory()
    anonymous = factory.get("/accounts/login/")
    anonymous.user = AnonymousUser()
    middleware(anonymous)

    officer.time_zone = "Asia/Bangkok"
    page = factory.get("/cases/")
    page.user = officer
    middleware(page)
    api = factory.get("/api/v1/me/")
    api.user = officer
    middleware(api)
    assert seen == ["UTC", "Asia/Bangkok", "UTC"]
    # And nothing leaks to whatever the thread serves next.
    assert timezone.get_current_timezone_name() == "UTC"


def test_the_api_answers_in_utc_whatever_the_users_zone(admin_user):
    admin_user.time_zone = "Asia/Bangkok"
    admin_user.save(update_fields=["time_zone"])
    client = verified_client(admin_user)
    rows = client.get(reverse("api:member-list")).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert rows and all(row["date_joined"].endswith("Z") for row in rows)


def test_the_demo_organisations_are_in_their_own_zones():
    from accounts import demo

    demo.seed()
    zones = dict(Organisation.objects.values_list("code", "time_zone"))
    assert zones["NLD-CO"] == "America/Bogota"
    assert zones["NLD-MFA"] == "Europe/Amsterdam"
    assert zones["SC-SJO"] == "America/Costa_Rica"


def test_a_missed_check_in_alert_tells_the_times_in_the_organisations_zone():
    """Written by a worker (in UTC), read by the organisation: its times in its own zone."""
    from datetime import timedelta

    from alerts.services.checkins import checkin_schedule_set, missed_check_ins

    bogota = OrganisationFactory(time_zone="America/Bogota")
    officer = UserFactory(organisation=bogota, role=Role.OFFICER)
    case = CaseFactory(organisation=bogota)
    start = datetime.datetime(2026, 3, 3, 23, 30, tzinfo=datetime.UTC)
    checkin_schedule_set(
        case=case, acting_user=officer, interval_hours=12, grace_minutes=30, starts_at=start
    )
    missed_check_ins(start + timedelta(hours=13))
    alert = case.alerts.get()
    assert "No check-in since 3 Mar 2026, 18:30" in alert.message
    assert "expected by 4 Mar 2026, 06:30" in alert.message
