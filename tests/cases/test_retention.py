"""Retention: closed cases past their owner's retention period are purged (identity and
narratives destroyed, an anonymous statistical shell kept), by a scheduled job, with a
preview; the purge is audited and idempotent."""

from __future__ import annotations

import datetime
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Role
from cases.access import case_access
from cases.models import (
    BreakGlassAccess,
    Case,
    CaseShare,
    Consent,
    CoordinationRequest,
    Defender,
    RetentionPolicy,
    ThreatType,
)
from cases.registries import purgers
from cases.registries.panels import case_panels
from cases.selectors.case import other_organisations_following
from cases.selectors.retention import add_years, purge_date_of, retention_preview
from cases.services.break_glass import break_glass_open
from cases.services.retention import case_purge, retention_policy_set, retention_purge_due
from cases.tasks import retention_purge_task
from hrdcase import crypto
from hrdcase.models import AuditEvent
from tests.factories import (
    CaseFactory,
    DefenderFactory,
    OrganisationFactory,
    UserFactory,
    share_case,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
LEGAL_NAME = "Berta Ixchel Cáceres"


def _closed_case(org, *, closed_on, pseudonym="Ceiba", legal_name=LEGAL_NAME, **kwargs):
    defender = DefenderFactory(
        organisation=org,
        legal_name=legal_name,
        other_names="La Ceiba",
        contact_channels="Signal +504 5555 0101",
        location="La Esperanza, Intibucá",
        notes="Lives with her daughter",
        country="HN",
        name_index=crypto.blind_index(legal_name, scope="HN"),
    )
    return CaseFactory(
        organisation=org,
        defender=defender,
        pseudonym=pseudonym,
        summary="Threatened after opposing the dam.",
        opened_on=closed_on - datetime.timedelta(days=400),
        status=Case.Status.CLOSED,
        closing_reason="risk_reduced",
        closed_on=closed_on,
        risk_level="high",
        **kwargs,
    )


@pytest.fixture
def due_case(org):
    """Closed in 2020: past the default five years."""
    return _closed_case(org, closed_on=datetime.date(2020, 6, 1), pseudonym="Ceiba")


@pytest.fixture
def soon_case(org):
    """Closed 2021-12-01: purged on 2026-12-01, eight days after TODAY."""
    return _closed_case(
        org, closed_on=datetime.date(2021, 12, 1), pseudonym="Guayacán", legal_name="Ana Soto"
    )


@pytest.fixture
def recent_case(org):
    return _closed_case(
        org, closed_on=datetime.date(2024, 1, 10), pseudonym="Roble", legal_name="Luis Mora"
    )


@pytest.fixture
def open_case(org):
    return CaseFactory(
        organisation=org, pseudonym="Pino", opened_on=datetime.date(2012, 1, 1), summary="Open"
    )


def _raw(model, pk, field):
    return model.objects.unscoped().filter(pk=pk).values_list(field, flat=True).get()


# --- preview -----------------------------------------------------------------------------------


def test_the_preview_lists_due_cases_only(due_case, soon_case, recent_case, open_case, org):
    rows = retention_preview(organisation=org, today=TODAY)
    assert [row.reference for row in rows] == [due_case.reference]
    row = rows[0]
    assert row.due is True
    assert row.purge_on == datetime.date(2025, 6, 1)
    assert row.pseudonym == "Ceiba"


def test_the_preview_looks_ahead_with_dates(due_case, soon_case, recent_case, open_case, org):
    rows = retention_preview(organisation=org, today=TODAY, within_days=30)
    assert [(row.reference, row.purge_on, row.due) for row in rows] == [
        (due_case.reference, datetime.date(2025, 6, 1), True),
        (soon_case.reference, datetime.date(2026, 12, 1), False),
    ]


def test_the_preview_follows_the_organisations_policy(
    due_case, recent_case, org, admin_user, other_org
):
    other_due = _closed_case(other_org, closed_on=datetime.date(2020, 6, 1), legal_name="X Y")
    retention_policy_set(organisation=org, retention_years=10, acting_user=admin_user)
    assert retention_preview(organisation=org, today=TODAY) == []
    # Another organisation keeps the default.
    assert [r.case_id for r in retention_preview(today=TODAY)] == [other_due.pk]
    retention_policy_set(organisation=org, retention_years=1, acting_user=admin_user)
    rows = retention_preview(organisation=org, today=TODAY)
    assert {row.case_id for row in rows} == {due_case.pk, recent_case.pk}


def test_29_february_is_never_purged_early():
    assert add_years(datetime.date(2024, 2, 29), 5) == datetime.date(2029, 3, 1)
    assert add_years(datetime.date(2024, 2, 29), 4) == datetime.date(2028, 2, 29)


def test_the_preview_command_prints_reference_and_pseudonym_only(due_case, soon_case, org):
    out = StringIO()
    call_command(
        "retention_preview", "--organisation", org.code, "--today", "2026-11-23", stdout=out
    )
    text = out.getvalue()
    assert due_case.reference in text
    assert "Ceiba" in text
    assert soon_case.reference not in text
    assert "Berta" not in text
    out = StringIO()
    call_command("retention_preview", "--days", "30", "--today", "2026-11-23", stdout=out)
    assert soon_case.reference in out.getvalue()


# --- purge -------------------------------------------------------------------------------------


def test_the_purge_destroys_identity_and_keeps_a_statistical_shell(due_case, officer):
    threat, _ = ThreatType.objects.get_or_create(
        code="surveillance", defaults={"label": "Surveillance"}
    )
    due_case.threat_types.add(threat)
    defender = due_case.defender
    before = {
        field: _raw(Defender, defender.pk, field)
        for field in ("legal_name", "other_names", "contact_channels", "location", "notes")
    }
    summary_before = _raw(Case, due_case.pk, "summary")

    assert case_purge(case_id=due_case.pk, today=TODAY) is True

    for field, token in before.items():
        raw = _raw(Defender, defender.pk, field)
        assert raw != token
        # What is stored now is the ciphertext of nothing: the plaintext is gone.
        field_obj = Defender._meta.get_field(field)
        assert field_obj.decrypt_for(Defender(pk=defender.pk), raw) == ""
    shell = Case.objects.unscoped().select_related("defender").get(pk=due_case.pk)
    assert _raw(Case, due_case.pk, "summary") != summary_before
    assert shell.summary == ""
    assert shell.defender.legal_name == ""
    assert shell.defender.contact_channels == ""
    assert shell.defender.name_index == ""
    assert shell.pseudonym == "purged"
    assert shell.purged_at is not None
    # The statistical shell.
    assert shell.status == Case.Status.CLOSED
    assert shell.closed_on == datetime.date(2020, 6, 1)
    assert shell.opened_on == due_case.opened_on
    assert shell.risk_level == "high"
    assert shell.reference == due_case.reference
    assert list(shell.threat_types.all()) == [threat]
    assert shell.defender.country == "HN"


def test_the_duplicate_hint_no_longer_matches_a_purged_defender(due_case, other_org):
    twin = DefenderFactory(
        organisation=other_org,
        legal_name=LEGAL_NAME,
        country="HN",
        name_index=crypto.blind_index(LEGAL_NAME, scope="HN"),
    )
    assert other_organisations_following(defender=twin) is True
    case_purge(case_id=due_case.pk, today=TODAY)
    assert other_organisations_following(defender=twin) is False


def test_the_purge_wipes_consent_coordination_shares_and_break_glass(due_case, officer, other_org):
    # Share while the case was open, as happens in life, then close it.
    case = due_case
    Case.objects.unscoped().filter(pk=case.pk).update(
        status=Case.Status.OPEN, closed_on=None, closing_reason=""
    )
    case.refresh_from_db()
    share = share_case(case, other_org, "feedback", acting_user=officer)
    consent = Consent.objects.unscoped().get(case=case)
    consent.note = "Agreed in the shelter kitchen, with her lawyer"
    consent.save()
    partner_admin = UserFactory(organisation=other_org, role=Role.ADMIN)
    opening = break_glass_open(
        case=case,
        reason="Abducted this morning near her home; mission unreachable.",
        acting_user=partner_admin,
    )
    requester = CaseFactory()
    request = CoordinationRequest.objects.create(
        organisation=requester.organisation,
        case=case,
        requester_case=requester,
        holder=case.organisation,
        requested_by=UserFactory(organisation=requester.organisation),
        message="We follow Berta too",
    )
    Case.objects.unscoped().filter(pk=case.pk).update(
        status=Case.Status.CLOSED, closed_on=datetime.date(2020, 6, 1), closing_reason="other"
    )
    assert Case.objects.visible_to(partner_admin).filter(pk=case.pk).exists()

    assert case_purge(case_id=case.pk, today=TODAY) is True

    consent = Consent.objects.unscoped().get(pk=consent.pk)
    assert consent.note == ""
    share = CaseShare.objects.unscoped().get(pk=share.pk)
    assert share.reason == ""
    assert share.status == CaseShare.Status.REVOKED
    assert not Case.objects.visible_to(partner_admin).filter(pk=case.pk).exists()
    request = CoordinationRequest.objects.unscoped().get(pk=request.pk)
    assert request.message == ""
    opening = BreakGlassAccess.objects.unscoped().get(pk=opening.pk)
    assert opening.reason == ""
    assert opening.ended_at is not None


def test_the_purge_is_audited(due_case):
    case_purge(case_id=due_case.pk, today=TODAY)
    event = AuditEvent.objects.get(action="case.purge")
    assert event.target_id == str(due_case.pk)
    assert event.organisation_id == due_case.organisation_id
    assert event.data["reference"] == due_case.reference
    assert event.data["retention_years"] == 5
    assert {"cases.defender", "cases.case", "cases.consents"} <= set(event.data["purgers"])
    assert "Ceiba" not in str(event.data) and "Berta" not in str(event.data)


def test_the_purge_is_idempotent(due_case):
    assert retention_purge_due(today=TODAY) == {"purged": 1, "skipped": 0, "failed": 0}
    assert case_purge(case_id=due_case.pk, today=TODAY) is False
    assert retention_purge_due(today=TODAY) == {"purged": 0, "skipped": 0, "failed": 0}
    assert AuditEvent.objects.filter(action="case.purge").count() == 1


def test_not_yet_due_and_open_cases_are_untouched(due_case, soon_case, recent_case, open_case):
    retention_purge_due(today=TODAY)
    for case in (soon_case, recent_case, open_case):
        fresh = Case.objects.unscoped().select_related("defender").get(pk=case.pk)
        assert fresh.purged_at is None
        assert fresh.pseudonym == case.pseudonym
        assert fresh.summary == case.summary
        assert fresh.defender.legal_name == case.defender.legal_name
        assert fresh.defender.name_index
    assert case_purge(case_id=open_case.pk, today=TODAY) is False
    assert case_purge(case_id=soon_case.pk, today=TODAY) is False


def test_a_defender_still_followed_in_another_case_keeps_the_identity(due_case, org):
    other = CaseFactory(organisation=org, defender=due_case.defender, pseudonym="Ceiba II")
    case_purge(case_id=due_case.pk, today=TODAY)
    defender = Defender.objects.unscoped().get(pk=due_case.defender_id)
    assert defender.legal_name == LEGAL_NAME
    assert defender.name_index
    assert Case.objects.unscoped().get(pk=due_case.pk).purged_at is not None
    assert Case.objects.unscoped().get(pk=other.pk).purged_at is None


def test_registered_purgers_of_other_parts_run(due_case):
    seen = []
    with purgers.override({"tests.part": lambda case: seen.append(case.pk)}):
        case_purge(case_id=due_case.pk, today=TODAY)
    assert seen == [due_case.pk]
    assert "tests.part" in AuditEvent.objects.get(action="case.purge").data["purgers"]


def test_a_failing_purger_leaves_that_case_whole_and_the_others_go_on(due_case, org):
    other = _closed_case(org, closed_on=datetime.date(2019, 1, 5), legal_name="Rosa Pérez")

    def _fails_for_due_case(case):
        if case.pk == due_case.pk:
            raise RuntimeError("attachment store unreachable")

    with purgers.override({"tests.flaky": _fails_for_due_case}):
        assert retention_purge_due(today=TODAY, batch_size=1) == {
            "purged": 1,
            "skipped": 0,
            "failed": 1,
        }
    fresh = Case.objects.unscoped().select_related("defender").get(pk=due_case.pk)
    assert fresh.purged_at is None
    assert fresh.defender.legal_name == LEGAL_NAME
    assert fresh.summary
    assert Case.objects.unscoped().get(pk=other.pk).purged_at is not None


def test_the_task_runs_the_service(due_case, recent_case):
    result = retention_purge_task()
    assert result["purged"] == 1
    assert Case.objects.unscoped().get(pk=due_case.pk).purged_at is not None
    assert Case.objects.unscoped().get(pk=recent_case.pk).purged_at is None


def test_a_purged_case_page_still_opens(due_case, officer_client):
    case_purge(case_id=due_case.pk, today=TODAY)
    response = officer_client.get(reverse("cases:detail", args=[due_case.pk]))
    assert response.status_code == 200
    assert b"Berta" not in response.content


# --- policy and page ---------------------------------------------------------------------------


def test_an_admin_sets_the_period_and_sees_the_preview(
    admin_client_org, due_case, soon_case, recent_case, org
):
    response = admin_client_org.get(reverse("cases:retention"))
    assert response.status_code == 200
    content = response.content.decode()
    assert due_case.reference in content and "Ceiba" in content
    assert soon_case.reference in content  # due within the page's 90 days
    assert recent_case.reference not in content
    assert "Berta" not in content and "Signal" not in content
    response = admin_client_org.post(reverse("cases:retention"), {"retention_years": "7"})
    assert response.status_code == 302
    assert RetentionPolicy.objects.owned_by(org).get().retention_years == 7
    event = AuditEvent.objects.get(action="retention.policy_set")
    assert event.data == {"from": 5, "to": 7}


@pytest.mark.parametrize("years", ["0", "31", "five", ""])
def test_a_bad_period_is_refused_and_nothing_written(admin_client_org, org, years):
    response = admin_client_org.post(reverse("cases:retention"), {"retention_years": years})
    assert response.status_code == 400
    assert response.context["form"].errors["retention_years"]
    assert not RetentionPolicy.objects.owned_by(org).exists()


def test_shortening_the_period_asks_to_confirm_the_new_purges(admin_client_org, recent_case, org):
    url = reverse("cases:retention")
    response = admin_client_org.post(url, {"retention_years": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["confirm"]
    assert not RetentionPolicy.objects.owned_by(org).exists()
    response = admin_client_org.post(url, {"retention_years": "1", "confirm": "on"})
    assert response.status_code == 302
    assert RetentionPolicy.objects.owned_by(org).get().retention_years == 1


def test_only_admins_use_the_retention_page(officer_client, viewer_client, org, admin_user):
    assert officer_client.get(reverse("cases:retention")).status_code == 403
    assert (
        viewer_client.post(reverse("cases:retention"), {"retention_years": "1"}).status_code == 403
    )
    assert not RetentionPolicy.objects.owned_by(org).exists()


def test_the_service_refuses_another_organisations_admin(org, outsider):
    with pytest.raises(PermissionDenied):
        retention_policy_set(organisation=org, retention_years=1, acting_user=outsider)


def test_the_page_previews_the_admins_own_organisation_only(admin_client_org, other_org):
    foreign = _closed_case(other_org, closed_on=datetime.date(2019, 1, 1), legal_name="Z Q")
    content = admin_client_org.get(reverse("cases:retention")).content.decode()
    assert foreign.reference not in content


def test_the_case_page_tells_the_owner_when_a_closed_case_will_be_purged(recent_case, officer):
    assert purge_date_of(recent_case) == datetime.date(2029, 1, 10)
    assert "purged on" in _retention_panel(officer, recent_case)
    partner = UserFactory(organisation=OrganisationFactory())
    assert "purged" not in _retention_panel(partner, recent_case)


def _retention_panel(user, case) -> str:
    """What the case page draws of its retention notice for ``user`` ("" when hidden)."""
    request = RequestFactory().get("/")
    request.user = user
    access = case_access(user, case)
    for part in case_panels(request, case, access):
        if part["name"] == "cases.retention":
            return render_to_string(
                part["template"],
                {"case": case, "access": access, "panel": part["panel"]},
                request=request,
            )
    return ""


@pytest.mark.parametrize(
    "time_zone,local_time,purged",
    [
        # 19:30 on the 7th in Bogotá is already the 8th in UTC: not the announced day yet.
        ("America/Bogota", datetime.datetime(2026, 12, 7, 19, 30), False),
        ("America/Bogota", datetime.datetime(2026, 12, 8, 0, 30), True),
        # 08:00 on the 8th in Kiritimati is still the 7th in UTC: the day has come there.
        ("Pacific/Kiritimati", datetime.datetime(2026, 12, 8, 8, 0), True),
        ("Pacific/Kiritimati", datetime.datetime(2026, 12, 7, 23, 0), False),
    ],
)
def test_the_hourly_purge_keeps_the_day_the_case_page_announces(time_zone, local_time, purged):
    case = _closed_case(
        OrganisationFactory(time_zone=time_zone), closed_on=datetime.date(2021, 12, 8)
    )
    assert purge_date_of(case) == datetime.date(2026, 12, 8)  # what its page announces
    now = local_time.replace(tzinfo=ZoneInfo(time_zone))
    with mock.patch("django.utils.timezone.now", return_value=now):
        counts = retention_purge_task()  # the beat task, in UTC
    assert (Case.objects.unscoped().get(pk=case.pk).purged_at is not None) is purged
    assert counts["purged"] == int(purged)
