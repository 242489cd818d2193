"""Break-glass access: an admin of a feedback partner opens the full file for 24 hours, the
owner's admins are told at once (pseudonym only), and the opening is audited and shown."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.access import case_access
from cases.models import BreakGlassAccess, CaseAccessLog, CaseShare
from cases.registries.panels import case_panels
from cases.registries.timeline import case_timeline
from cases.selectors.break_glass import break_glass_active, break_glass_refusal
from cases.services.break_glass import break_glass_end, break_glass_open
from cases.services.sharing import share_revoke
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case

pytestmark = pytest.mark.django_db

LEGAL_NAME = "Berta Ixchel Cáceres"
REASON = "Detained at a checkpoint tonight; the owner mission does not answer since noon."


@pytest.fixture
def case(org):
    case = CaseFactory(organisation=org, pseudonym="Ceiba", summary="Secret summary")
    case.defender.legal_name = LEGAL_NAME
    case.defender.save()
    return case


@pytest.fixture
def partner_admin(other_org):
    return UserFactory(organisation=other_org, role=Role.ADMIN, email="admin@partner.example")


@pytest.fixture
def partner_officer(other_org):
    return UserFactory(organisation=other_org, role=Role.OFFICER)


@pytest.fixture
def feedback_share(case, other_org, officer):
    return share_case(case, other_org, "feedback", acting_user=officer)


def _url(case):
    return reverse("cases:break_glass", args=[case.pk])


def _api_url(case):
    return reverse("api:case-break-glass", args=[case.pk])


# --- who may break the glass ------------------------------------------------------------------


def test_it_lets_an_admin_of_a_feedback_partner_open_the_full_file(
    case, feedback_share, partner_admin
):
    client = verified_client(partner_admin)
    assert client.get(_url(case)).status_code == 200
    response = client.post(_url(case), {"reason": REASON, "confirm": "on"})
    assert response.status_code == 302
    opening = BreakGlassAccess.objects.visible_to(partner_admin).get()
    assert opening.case == case
    assert opening.organisation == case.organisation
    assert opening.opener_organisation == partner_admin.organisation
    assert opening.opened_by == partner_admin
    assert opening.reason == REASON
    assert opening.expires_at - opening.opened_at == datetime.timedelta(hours=24)
    assert break_glass_active(partner_admin, case) == opening
    # The whole partner organisation gets the file while it is open.
    assert break_glass_active(UserFactory(organisation=partner_admin.organisation), case) == opening
    page = client.get(_url(case))
    assert page.status_code == 200
    assert b"until" in page.content


def test_the_reason_is_stored_encrypted(case, feedback_share, partner_admin):
    opening = break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    raw = BreakGlassAccess.objects.unscoped().filter(pk=opening.pk).values_list("reason", flat=True)
    assert "checkpoint" not in raw.get()


def test_it_refuses_an_officer_of_the_feedback_partner(case, feedback_share, partner_officer):
    client = verified_client(partner_officer)
    assert client.get(_url(case)).status_code == 403
    assert client.post(_url(case), {"reason": REASON, "confirm": "on"}).status_code == 403
    response = client.post(_api_url(case), {"reason": REASON}, content_type="application/json")
    assert response.status_code == 403
    assert not BreakGlassAccess.objects.visible_to(partner_officer).exists()


def test_a_full_partner_does_not_need_it(case, other_org, officer, partner_admin):
    share_case(case, other_org, "full", acting_user=officer)
    client = verified_client(partner_admin)
    assert client.get(_url(case)).status_code == 403
    response = client.post(_api_url(case), {"reason": REASON}, content_type="application/json")
    assert response.status_code == 403
    assert "full access already" in break_glass_refusal(partner_admin, case)
    assert not BreakGlassAccess.objects.visible_to(partner_admin).exists()


def test_the_owner_has_no_glass_to_break(case, admin_client_org, admin_user):
    assert admin_client_org.get(_url(case)).status_code == 403
    with pytest.raises(PermissionDenied):
        break_glass_open(case=case, reason=REASON, acting_user=admin_user)


def test_it_hides_the_case_from_a_relocation_partner(case, other_org, officer, partner_admin):
    share_case(case, other_org, "relocation", acting_user=officer)
    client = verified_client(partner_admin)
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), {"reason": REASON, "confirm": "on"}).status_code == 404
    response = client.post(_api_url(case), {"reason": REASON}, content_type="application/json")
    assert response.status_code == 404
    assert not BreakGlassAccess.objects.visible_to(partner_admin).exists()


def test_it_hides_the_case_from_another_organisation(case, feedback_share):
    stranger = UserFactory(organisation=OrganisationFactory(), role=Role.ADMIN)
    client = verified_client(stranger)
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), {"reason": REASON, "confirm": "on"}).status_code == 404
    response = client.post(_api_url(case), {"reason": REASON}, content_type="application/json")
    assert response.status_code == 404
    assert break_glass_active(stranger, case) is None


# --- the reason ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "Urgent, call me"])
def test_it_requires_a_reason(case, feedback_share, partner_admin, reason):
    client = verified_client(partner_admin)
    response = client.post(_url(case), {"reason": reason, "confirm": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    api = client.post(_api_url(case), {"reason": reason}, content_type="application/json")
    assert api.status_code == 400
    assert "reason" in api.json()
    with pytest.raises(ValidationError) as error:
        break_glass_open(case=case, reason=reason, acting_user=partner_admin)
    assert "reason" in error.value.message_dict
    assert not BreakGlassAccess.objects.visible_to(partner_admin).exists()
    assert not CaseAccessLog.objects.owned_by(case.organisation).exists()
    assert len(mail.outbox) == 0


def test_the_page_wants_the_emergency_confirmed(case, feedback_share, partner_admin):
    response = verified_client(partner_admin).post(_url(case), {"reason": REASON})
    assert response.status_code == 400
    assert response.context["form"].errors["confirm"]
    assert not BreakGlassAccess.objects.visible_to(partner_admin).exists()


def test_the_api_requires_the_reason_field(case, feedback_share, partner_admin):
    response = verified_client(partner_admin).post(
        _api_url(case), {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()


# --- 24 hours -------------------------------------------------------------------------------------


def test_it_expires_after_24_hours(case, feedback_share, partner_admin):
    now = timezone.now()
    opening = break_glass_open(case=case, reason=REASON, acting_user=partner_admin, now=now)
    assert opening.expires_at == now + datetime.timedelta(hours=24)
    later = now + datetime.timedelta(hours=23, minutes=59)
    assert break_glass_active(partner_admin, case, now=later) == opening
    assert break_glass_active(partner_admin, case, now=now + datetime.timedelta(hours=24)) is None
    assert break_glass_active(partner_admin, case, now=now + datetime.timedelta(days=3)) is None


def test_a_second_opening_waits_for_the_first_to_expire(case, feedback_share, partner_admin):
    now = timezone.now()
    break_glass_open(case=case, reason=REASON, acting_user=partner_admin, now=now)
    with pytest.raises(StateConflict):
        break_glass_open(
            case=case,
            reason=REASON,
            acting_user=partner_admin,
            now=now + datetime.timedelta(hours=1),
        )
    response = verified_client(partner_admin).post(
        _api_url(case), {"reason": REASON}, content_type="application/json"
    )
    assert response.status_code == 409
    again = break_glass_open(
        case=case, reason=REASON, acting_user=partner_admin, now=now + datetime.timedelta(hours=25)
    )
    assert again.expires_at == now + datetime.timedelta(hours=49)


def test_it_ends_with_the_share_it_stood_on(case, feedback_share, partner_admin, officer):
    break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    share_revoke(share=feedback_share, acting_user=officer)
    assert break_glass_active(partner_admin, case) is None


def test_a_new_share_does_not_bring_an_ended_opening_back(
    case, other_org, feedback_share, partner_admin, officer
):
    """The owner revokes the share, then shares at feedback again the same day: the partner
    sees the pseudonym again, never the identity the first opening showed."""
    opening = break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    partner_viewer = verified_client(UserFactory(organisation=other_org, role=Role.VIEWER))
    identity = reverse("cases:identity", args=[case.pk])
    assert LEGAL_NAME in partner_viewer.get(identity).content.decode()
    share_revoke(share=feedback_share, acting_user=officer)
    share_case(case, other_org, "feedback", acting_user=officer)
    assert partner_viewer.get(identity).status_code == 404
    assert break_glass_active(partner_admin, case) is None
    opening.refresh_from_db()
    assert (opening.ended_at is not None, opening.ended_by) == (True, officer)
    ended = AuditEvent.objects.get(action="case.break_glass_end")
    assert (ended.organisation_id, ended.data["share_ended"]) == (case.organisation_id, "revoked")
    # the partner may open again, through the share in force, with a new reason
    again = break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    assert break_glass_active(partner_admin, case) == again


def test_raising_the_share_and_lowering_it_back_ends_the_opening(
    case, other_org, feedback_share, partner_admin, officer
):
    break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    share_case(case, other_org, "full", acting_user=officer)
    share_case(case, other_org, "feedback", acting_user=officer)
    assert break_glass_active(partner_admin, case) is None
    assert BreakGlassAccess.objects.owned_by(case.organisation).active().count() == 0


def test_an_opening_counts_only_on_a_share_granted_before_it(
    case, other_org, feedback_share, partner_admin, officer
):
    """Even if the share's end were missed (a lapse the sweep has not reached, a row ended
    outside the services), a share granted after the opening does not carry it."""
    now = timezone.now()
    opening = break_glass_open(case=case, reason=REASON, acting_user=partner_admin, now=now)
    assert break_glass_active(partner_admin, case, now=now) == opening
    CaseShare.objects.owned_by(case.organisation).filter(pk=feedback_share.pk).update(
        created_at=now + datetime.timedelta(seconds=1)
    )
    assert break_glass_active(partner_admin, case, now=now) is None


def test_the_owner_may_end_it_early(case, feedback_share, partner_admin, officer_client, viewer):
    opening = break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    url = reverse("cases:break_glass_end", args=[case.pk, opening.pk])
    assert verified_client(viewer).post(url).status_code == 403
    assert break_glass_active(partner_admin, case) == opening
    assert officer_client.post(url).status_code == 302
    opening.refresh_from_db()
    assert opening.ended_at is not None
    assert break_glass_active(partner_admin, case) is None
    assert AuditEvent.objects.filter(action="case.break_glass_end").count() == 1


def test_the_partner_admin_may_end_it_but_not_its_officers(
    case, feedback_share, partner_admin, partner_officer
):
    opening = break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    with pytest.raises(PermissionDenied):
        break_glass_end(access=opening, acting_user=partner_officer)
    break_glass_end(access=opening, acting_user=partner_admin)
    assert break_glass_active(partner_admin, case) is None


# --- the owner is told at once; audit and "who viewed this case" ---------------------------------


def test_the_owner_admins_are_emailed_without_identity(
    case, feedback_share, partner_admin, admin_user, django_capture_on_commit_callbacks
):
    french_admin = UserFactory(
        organisation=case.organisation, role=Role.ADMIN, email="admin.fr@a.example", language="fr"
    )
    gone = UserFactory(organisation=case.organisation, role=Role.ADMIN, email="gone@a.example")
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client(partner_admin).post(
            _api_url(case), {"reason": REASON}, content_type="application/json"
        )
    assert response.status_code == 201
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([admin_user.email, french_admin.email])
    for message in mail.outbox:
        text = message.subject + message.body
        assert case.reference in text
        assert "Ceiba" in text
        assert partner_admin.organisation.name in text
        assert LEGAL_NAME not in text
        assert "Berta" not in text
        assert "Secret summary" not in text
        assert "checkpoint" not in text  # the reason may name the defender: it stays on the case
        assert reverse("cases:detail", args=[case.pk]) in message.body


def test_no_email_leaves_when_the_opening_is_refused(
    case, feedback_share, partner_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verified_client(partner_officer).post(
            _api_url(case), {"reason": REASON}, content_type="application/json"
        )
    assert mail.outbox == []


def test_it_is_audited_and_marked_in_who_viewed_this_case(case, feedback_share, partner_admin):
    opening = break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    event = AuditEvent.objects.get(action="case.break_glass")
    assert event.actor_id == partner_admin.pk
    assert event.target_id == str(case.pk)
    assert event.data["access"] == str(opening.pk)
    assert event.data["owner"] == str(case.organisation_id)
    assert "checkpoint" not in str(event.data)
    log = CaseAccessLog.objects.owned_by(case.organisation).get(case=case)
    assert log.break_glass is True
    assert log.user == partner_admin
    assert log.viewer_organisation == partner_admin.organisation
    assert log.part == CaseAccessLog.Part.FILE


def test_the_api_answers_with_the_opening(case, feedback_share, partner_admin):
    response = verified_client(partner_admin).post(
        _api_url(case), {"reason": REASON}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["case"] == str(case.pk)
    assert body["opener_organisation"] == partner_admin.organisation.name
    assert {"id", "opened_at", "expires_at"} <= set(body)
    assert "reason" not in body


def test_a_viewer_of_the_owner_cannot_use_the_api(case, viewer):
    response = verified_client(viewer).post(
        _api_url(case), {"reason": REASON}, content_type="application/json"
    )
    assert response.status_code == 403


# --- the case page --------------------------------------------------------------------------------


def _panel(user, case) -> str:
    """What the case page draws of its break-glass panel for ``user`` ("" when hidden)."""
    request = RequestFactory().get("/")
    request.user = user
    access = case_access(user, case)
    for part in case_panels(request, case, access):
        if part["name"] == "cases.break_glass":
            return render_to_string(
                part["template"],
                {"case": case, "access": access, "panel": part["panel"]},
                request=request,
            )
    return ""


def test_the_case_page_offers_it_to_eligible_admins_only(
    case, feedback_share, partner_admin, partner_officer
):
    assert f'href="{_url(case)}"' in _panel(partner_admin, case)
    assert _url(case) not in _panel(partner_officer, case)


def test_the_owner_sees_the_opening_with_its_reason_and_may_end_it(
    case, feedback_share, partner_admin, officer, viewer
):
    opening = break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    html = _panel(officer, case)
    assert "checkpoint" in html
    assert reverse("cases:break_glass_end", args=[case.pk, opening.pk]) in html
    assert reverse("cases:break_glass_end", args=[case.pk, opening.pk]) not in _panel(viewer, case)
    partner_html = _panel(partner_admin, case)
    assert "checkpoint" not in partner_html
    assert f'href="{_url(case)}"' not in partner_html  # already open: no second link
    assert "emergency is over" in partner_html


def test_the_owner_timeline_shows_openings_and_partners_do_not(
    case, feedback_share, partner_admin, officer
):
    break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    owner_items = [
        i for i in case_timeline(case, case_access(officer, case)) if i.kind == "break_glass"
    ]
    assert len(owner_items) == 1
    partner_items = [
        i for i in case_timeline(case, case_access(partner_admin, case)) if i.kind == "break_glass"
    ]
    assert partner_items == []


def test_the_case_page_links_to_it_and_shows_it_to_the_owner(
    case, feedback_share, partner_admin, partner_officer, officer_client
):
    detail = reverse("cases:detail", args=[case.pk])
    assert f'href="{_url(case)}"' in verified_client(partner_admin).get(detail).content.decode()
    assert _url(case) not in verified_client(partner_officer).get(detail).content.decode()
    assert _url(case) not in officer_client.get(detail).content.decode()
    break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    owner_page = officer_client.get(detail).content.decode()
    assert "checkpoint" in owner_page
    sharing = reverse("cases:section", args=[case.pk, "sharing"])
    who_viewed = officer_client.get(sharing).content.decode()
    assert "break-glass" in who_viewed  # the "who viewed this case" mark


def test_the_opening_shows_alerts_on_the_timeline_not_in_the_alerts_panel(
    case, feedback_share, partner_admin, officer
):
    """The alerts' own pages stay the owner's and full partners' (Alert.visible_to): the
    panel does not list alerts whose links would answer 404."""
    from alerts.services.alerts import alert_raise

    alert = alert_raise(
        case=case, kind="raid", severity="high", message="Office raided.", acting_user=officer
    )
    break_glass_open(case=case, reason=REASON, acting_user=partner_admin)
    client = verified_client(partner_admin)
    logbook = client.get(reverse("cases:section", args=[case.pk, "logbook"])).content.decode()
    assert "Urgent alert (Raid or search, High): Raised" in logbook  # the timeline
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "No open alert on this case." in page  # the panel
    assert "Open alerts" not in page  # nor the summary header's count, which links to them
    # the header names the opening, never a full share
    assert "Feedback access, break-glass opening in force" in page
    assert "Full access" not in page
    assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
    owner_page = verified_client(officer).get(reverse("cases:detail", args=[case.pk]))
    assert "No open alert on this case." not in owner_page.content.decode()
    assert "Open alerts" in owner_page.content.decode()
