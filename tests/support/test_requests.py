"""Support requests (issue 21, item 1): who may ask whom for what, the receiver's answer
creating the diplomatic action, the outcome flowing back, and what each persona sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from alerts.models import Notification
from cases.models import CaseShare
from cases.models.court import HearingObserver
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent
from logbooks.models import ActionStatus, DiplomaticAction
from support.models import SupportRequest, SupportStatus
from support.selectors import requests_received, work_items_of
from support.services import (
    support_request_accept,
    support_request_decline,
    support_request_report,
    support_request_share,
    support_request_withdraw,
)
from tests.conftest import verified_client
from tests.dates import in_days
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.queries import get_counting
from tests.support.conftest import ask, hearing_in, public_action_consent

pytestmark = pytest.mark.django_db


def _inbox(user, kind: str) -> list[Notification]:
    return list(Notification.objects.for_recipient(user).filter(kind=kind))


# --- asking --------------------------------------------------------------------------------------


def test_it_asks_the_mission_and_tells_its_writers_only(world):
    [request] = ask(world)
    assert request.organisation_id == world.ngo.pk and request.receiver_id == world.norway.pk
    assert request.status == SupportStatus.OPEN
    assert request.due_at is not None and request.remind_at < request.due_at
    assert len(_inbox(world.receiver, "support_request")) == 1
    assert len(_inbox(world.receiver_admin, "support_request")) == 1
    assert _inbox(world.receiver_viewer, "support_request") == []
    [line] = _inbox(world.receiver, "support_request")
    # the pseudonym and the kind, never the identity or the reason
    assert "Ceiba" in line.subject and "Trial observation" in line.subject
    assert world.case.defender.legal_name not in line.subject
    assert "closed to the public" not in line.subject
    assert AuditEvent.objects.filter(action="support.request").count() == 1


def test_it_refuses_a_second_open_request_for_the_same_support(world):
    ask(world)
    with pytest.raises(ValidationError) as error:
        ask(world)
    assert "receiver" in error.value.message_dict


def test_it_lets_a_feedback_partner_ask_but_not_a_relocation_partner(world):
    owner = OrganisationFactory(name="Embassy of Spain")
    case = CaseFactory(organisation=owner, pseudonym="Roble")
    share_case(case, world.ngo, "feedback")
    [request] = ask(world, case=case)
    assert request.organisation_id == world.ngo.pk
    relocation_partner = OrganisationFactory(kind="ngo")
    share_case(case, relocation_partner, "relocation")
    with pytest.raises(PermissionDenied):
        ask(world, case=case, acting_user=UserFactory(organisation=relocation_partner))


def test_it_refuses_a_viewer_and_an_outsider(world):
    with pytest.raises(PermissionDenied):
        ask(world, acting_user=world.ngo_viewer)
    with pytest.raises(PermissionDenied):
        ask(world, acting_user=world.stranger)
    assert not SupportRequest.objects.unscoped().exists()


def test_it_refuses_public_statement_without_consent(world):
    with pytest.raises(ValidationError) as error:
        ask(world, kind="public_statement")
    assert "public-action consent" in error.value.message_dict["kind"][0]
    assert not SupportRequest.objects.unscoped().exists()
    public_action_consent(world.case, world.requester)
    [request] = ask(world, kind="public_statement")
    assert request.kind == "public_statement"


@pytest.mark.parametrize(
    ("field", "value"),
    [("needed_by", None), ("reason", "  "), ("urgency", "whenever")],
)
def test_it_names_the_field_it_refuses(world, field, value):
    with pytest.raises(ValidationError) as error:
        ask(world, **{field: value})
    assert field in error.value.message_dict
    assert not SupportRequest.objects.unscoped().exists()


def test_it_refuses_help_needed_by_yesterday(world):
    with pytest.raises(ValidationError) as error:
        ask(world, needed_by=in_days(-1))
    assert "needed_by" in error.value.message_dict
    assert not SupportRequest.objects.unscoped().exists()


def test_it_refuses_an_implausible_date(world):
    import datetime

    with pytest.raises(ValidationError) as error:
        ask(world, needed_by=datetime.date(2999, 1, 1))
    assert "Enter a date between" in error.value.message_dict["needed_by"][0]


def test_it_refuses_a_non_mission_and_its_own_organisation(world):
    for receiver in (world.city, world.ngo):
        with pytest.raises(ValidationError) as error:
            ask(world, receiver=receiver)
        assert "receiver" in error.value.message_dict


def test_a_request_to_a_network_fans_out_to_its_other_missions(world):
    created = ask(world, receiver=None, network=world.network)
    assert {r.receiver_id for r in created} == {world.norway.pk, world.sweden.pk}
    assert all(r.network_id == world.network.pk for r in created)


def test_it_refuses_a_network_the_requester_is_not_in(world):
    from tests.factories import NetworkFactory

    elsewhere = NetworkFactory(members=[world.norway])
    with pytest.raises(ValidationError) as error:
        ask(world, receiver=None, network=elsewhere)
    assert "network" in error.value.message_dict


def test_a_hearing_must_be_of_the_case_and_for_a_trial_observation(world):
    hearing = hearing_in(world.case, world.requester, 5)
    other_case = CaseFactory(organisation=world.ngo)
    with pytest.raises(ValidationError) as error:
        ask(world, case=other_case, hearing=hearing)
    assert "hearing" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        ask(world, kind="prison_visit", hearing=hearing)
    assert "hearing" in error.value.message_dict


# --- what the receiver sees: the request, never the case ---------------------------------------


def test_a_receiver_that_is_not_a_partner_gets_the_request_but_never_the_case(world):
    [request] = ask(world)
    client = verified_client(world.receiver)
    page = client.get(reverse("support:detail", args=[request.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ceiba" in html and "VOC-2026-0001" in html
    assert "closed to the public" in html
    assert world.case.defender.legal_name not in html
    assert reverse("cases:detail", args=[world.case.pk]) not in html
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 404
    # accepting does not open it either
    support_request_accept(request=request, acting_user=world.receiver, authority="Court")
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 404
    html = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert world.case.defender.legal_name not in html
    assert reverse("logbooks:action_detail", args=[request.action_id]) not in html


@pytest.mark.parametrize("who", ["stranger", "city_officer", "coordinator"])
def test_outsiders_get_404_on_the_request(world, who):
    [request] = ask(world)
    client = verified_client(getattr(world, who))
    assert client.get(reverse("support:detail", args=[request.pk])).status_code == 404
    for step in ("accept", "decline", "report", "withdraw", "share"):
        url = reverse("support:step", args=[request.pk, step])
        assert client.post(url, {"reason": "x"}).status_code == 404


def test_a_viewer_of_the_receiver_reads_but_cannot_answer(world):
    [request] = ask(world)
    client = verified_client(world.receiver_viewer)
    page = client.get(reverse("support:detail", args=[request.pk]))
    assert page.status_code == 200 and "Accept the request" not in page.content.decode()
    url = reverse("support:step", args=[request.pk, "accept"])
    assert client.post(url, {}).status_code == 403
    assert SupportRequest.objects.unscoped().get().status == SupportStatus.OPEN


# --- the answer ----------------------------------------------------------------------------------


def test_accepting_creates_the_diplomatic_action_and_tells_the_requester(world):
    [request] = ask(world, kind="demarche")
    support_request_accept(
        request=request, acting_user=world.receiver, authority="Ministry of Justice", note="On it."
    )
    request.refresh_from_db()
    action = request.action
    assert request.status == SupportStatus.ACCEPTED
    assert action.organisation_id == world.norway.pk and action.case_id == world.case.pk
    assert (action.type, action.status, action.taken_on) == ("demarche", "planned", in_days(5))
    [told] = _inbox(world.requester, "support_answer")
    assert "Embassy of Norway accepted" in told.subject
    # the owner's action list ("who already raised it") shows the mission's action
    assert DiplomaticAction.objects.visible_to(world.requester).filter(pk=action.pk).exists()
    assert AuditEvent.objects.filter(action="support.accept").count() == 1


def test_accepting_a_trial_observation_of_a_hearing_plans_the_observer(world):
    hearing = hearing_in(world.case, world.requester, 5)
    [request] = ask(world, hearing=hearing)
    support_request_accept(request=request, acting_user=world.receiver)
    request.refresh_from_db()
    # the court stays the full file's: the action every follower sees says "Court (hearing)"
    assert request.action.authority == "Court (hearing)" != hearing.court
    assert request.action.taken_on == hearing.date
    observer = HearingObserver.objects.get(hearing=hearing)
    assert observer.organisation_id == world.norway.pk and observer.status == "planned"


def test_visa_support_is_accepted_without_a_diplomatic_action(world):
    [request] = ask(world, kind="visa_support")
    support_request_accept(request=request, acting_user=world.receiver)
    request.refresh_from_db()
    assert request.status == SupportStatus.ACCEPTED and request.action is None


def test_declining_needs_a_reason_the_requester_reads(world):
    [request] = ask(world)
    with pytest.raises(ValidationError) as error:
        support_request_decline(request=request, reason=" ", acting_user=world.receiver)
    assert "reason" in error.value.message_dict
    support_request_decline(
        request=request, reason="No staff that week.", acting_user=world.receiver
    )
    request.refresh_from_db()
    assert request.status == SupportStatus.DECLINED and request.answer == "No staff that week."
    [told] = _inbox(world.requester, "support_answer")
    assert "declined" in told.subject
    with pytest.raises(StateConflict):
        support_request_accept(request=request, acting_user=world.receiver, authority="Court")


def test_only_the_receivers_writers_answer(world):
    [request] = ask(world)
    for user in (world.requester, world.receiver_viewer, world.stranger):
        with pytest.raises(PermissionDenied):
            support_request_accept(request=request, acting_user=user, authority="Court")


def test_the_outcome_flows_back_to_the_requester(world):
    hearing = hearing_in(world.case, world.requester, 5)
    [request] = ask(world, hearing=hearing)
    support_request_accept(request=request, acting_user=world.receiver)
    with pytest.raises(ValidationError) as error:
        support_request_report(
            request=request, outcome="", done_on=in_days(1), acting_user=world.receiver
        )
    assert set(error.value.message_dict) == {"outcome", "done_on"}
    support_request_report(
        request=request,
        outcome="Attended; adjourned to May.",
        done_on=in_days(0),
        acting_user=world.receiver,
    )
    request.refresh_from_db()
    assert request.status == SupportStatus.DONE
    assert request.action.status == ActionStatus.DONE and request.action.outcome_shared
    assert HearingObserver.objects.get(hearing=hearing).status == "attended"
    # every member of the requester, viewers too, reads it in the inbox
    for user in (world.requester, world.ngo_viewer):
        [line] = [n for n in _inbox(user, "support_answer") if "outcome" in n.subject]
        assert line.url == reverse("support:detail", args=[request.pk])
    client = verified_client(world.ngo_viewer)
    assert "adjourned to May" in client.get(line.url).content.decode()


def test_the_requester_may_withdraw_an_open_request(world):
    [request] = ask(world)
    with pytest.raises(PermissionDenied):
        support_request_withdraw(request=request, acting_user=world.receiver)
    support_request_withdraw(request=request, acting_user=world.requester)
    assert SupportRequest.objects.unscoped().get().status == SupportStatus.WITHDRAWN
    # the mission is told, so nobody goes to the hearing for nothing
    told = Notification.objects.for_recipient(world.receiver).filter(subject__contains="withdrew")
    assert [n.subject for n in told] == [
        "Voces Libres withdrew its request: Trial observation for Ceiba"
    ]
    assert not Notification.objects.for_recipient(world.receiver_viewer).filter(
        subject__contains="withdrew"
    )


# --- the owner shares from the request ---------------------------------------------------------


def test_the_owner_shares_the_case_from_the_request_consent_permitting(world):
    [request] = ask(world)
    with pytest.raises(ValidationError) as error:
        support_request_share(request=request, level="feedback", acting_user=world.requester)
    assert "consented" in " ".join(error.value.messages)
    assert not CaseShare.objects.unscoped().exists()
    with pytest.raises(PermissionDenied):
        support_request_share(request=request, level="feedback", acting_user=world.receiver)
    from cases.models import Consent
    from cases.services.consent import consent_record

    consent_record(
        case=world.case,
        scope=Consent.Scope.SHARE_ORGANISATION,
        partner=world.norway,
        given_on=in_days(-1),
        method=Consent.Method.IN_PERSON,
        acting_user=world.requester,
    )
    client = verified_client(world.requester)
    response = client.post(
        reverse("support:step", args=[request.pk, "share"]), {"level": "feedback"}
    )
    assert response.status_code == 302
    share = CaseShare.objects.unscoped().get()
    assert (share.partner_id, share.level) == (world.norway.pk, "feedback")
    receiver = verified_client(world.receiver)
    assert receiver.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200


# --- pages ---------------------------------------------------------------------------------------


def test_the_case_page_offers_ask_for_support_to_writers(world):
    url = reverse("cases:section", args=[world.case.pk, "actions"])
    ask_url = reverse("support:ask", args=[world.case.pk])
    assert ask_url in verified_client(world.requester).get(url).content.decode()
    assert ask_url not in verified_client(world.ngo_viewer).get(url).content.decode()


def test_the_ask_page_names_the_field_and_writes_nothing(world):
    client = verified_client(world.requester)
    url = reverse("support:ask", args=[world.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "public_statement",
            "receiver": world.norway.pk,
            "reason": "Statement needed",
            "needed_by": in_days(3).isoformat(),
            "urgency": "urgent",
        },
    )
    assert response.status_code == 400
    assert "public-action consent" in response.content.decode()
    assert not SupportRequest.objects.unscoped().exists()
    response = client.post(
        url,
        {
            "kind": "trial_observation",
            "receiver": world.norway.pk,
            "reason": "Closed hearing feared",
            "needed_by": in_days(5).isoformat(),
            "urgency": "emergency",
        },
    )
    request = SupportRequest.objects.unscoped().get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "support:detail", args=[request.pk]
    )
    assert verified_client(world.ngo_viewer).get(url).status_code == 403
    assert verified_client(world.stranger).get(url).status_code == 404


def test_the_receivers_queue_goes_by_urgency_then_needed_by(world):
    other = CaseFactory(organisation=world.ngo)
    routine = ask(world, urgency="routine", needed_by=in_days(2))[0]
    late_urgent = ask(world, kind="demarche", needed_by=in_days(9))[0]
    early_urgent = ask(world, kind="prison_visit", needed_by=in_days(4))[0]
    emergency = ask(world, case=other, urgency="emergency", needed_by=in_days(20))[0]
    order = list(requests_received(world.receiver))
    assert order == [emergency, early_urgent, late_urgent, routine]
    support_request_decline(request=emergency, reason="No", acting_user=world.receiver)
    assert list(requests_received(world.receiver))[-1] == emergency


def test_the_lists_page_and_show_empty_states(world):
    client = verified_client(world.receiver)
    assert "No organisation has asked" in client.get(reverse("support:queue")).content.decode()
    assert "has not asked any mission" in client.get(reverse("support:sent")).content.decode()
    for _n in range(3):
        ask(world, case=CaseFactory(organisation=world.ngo))
    get_counting(client, reverse("support:queue"), queries=7, contains="Voces Libres")
    requester = verified_client(world.requester)
    get_counting(requester, reverse("support:sent"), queries=6, contains="Embassy of Norway")


def test_home_shows_both_sides(world):
    [request] = ask(world)
    assert [r.pk for r in work_items_of(world.receiver)] == [request.pk]
    assert list(work_items_of(world.requester)) == []  # nothing new for the requester yet
    support_request_accept(request=request, acting_user=world.receiver, authority="Court")
    assert [r.pk for r in work_items_of(world.requester)] == [request.pk]
    assert [r.pk for r in work_items_of(world.receiver)] == [request.pk]  # to report on
    # the requester opens it: no longer news
    verified_client(world.requester).get(reverse("support:detail", args=[request.pk]))
    assert list(work_items_of(world.requester)) == []
    home = get_counting(
        verified_client(world.receiver),
        reverse("home"),
        contains=reverse("support:detail", args=[request.pk]),
    )
    # The item shows the kind and the case: the reason and answer are neither read nor
    # decrypted for it (tests/work/test_home.py, the same for every source).
    assert not [sql for sql in home.queries if '"support_supportrequest"."reason"' in sql]
    assert list(work_items_of(world.stranger)) == []


def test_home_s_probe_never_skips_support_with_something_to_show(world):
    """Home asks the support source only when its probe finds a row (work.selectors.probe):
    each side's turn wakes it."""
    from work.selectors.home import probed, support_items

    def asked(user) -> bool:
        return support_items in probed(user, timezone.localdate())[0]

    assert not asked(world.receiver) and not asked(world.requester)
    [request] = ask(world)
    assert asked(world.receiver)
    support_request_accept(request=request, acting_user=world.receiver, authority="Court")
    assert asked(world.requester) and list(work_items_of(world.requester))
    assert not asked(world.stranger)


def test_a_partner_whose_share_ended_no_longer_sees_its_request(world):
    owner = OrganisationFactory(name="Embassy of Spain")
    owner_officer = UserFactory(organisation=owner, role=Role.OFFICER)
    case = CaseFactory(organisation=owner)
    share = share_case(case, world.ngo, "feedback", acting_user=owner_officer)
    [request] = ask(world, case=case)
    from cases.services.sharing import share_revoke

    share_revoke(share=share, acting_user=owner_officer)
    request.refresh_from_db()
    assert request.status == SupportStatus.WITHDRAWN  # unanswered: withdrawn with the share
    told = Notification.objects.for_recipient(world.receiver).filter(
        subject__contains="no longer follows the case"
    )
    assert told.count() == 1 and case.pseudonym in told.get().subject
    client = verified_client(world.requester)
    assert client.get(reverse("support:detail", args=[request.pk])).status_code == 404
    # the receiver keeps the request addressed to it
    assert (
        verified_client(world.receiver)
        .get(reverse("support:detail", args=[request.pk]))
        .status_code
        == 200
    )


def test_the_owner_sees_a_partners_request_and_shares_from_it(world):
    """The owner persona: a feedback partner (the NGO) asks a mission on the owner's case;
    the owner reads the request on its case page and the request's page, may share the case
    with the mission from it, and may neither answer nor withdraw it."""
    owner = OrganisationFactory(name="Embassy of Spain")
    owner_officer = UserFactory(organisation=owner, role=Role.OFFICER)
    case = CaseFactory(organisation=owner, pseudonym="Roble")
    share_case(case, world.ngo, "feedback", acting_user=owner_officer)
    [request] = ask(world, case=case)
    client = verified_client(owner_officer)
    case_page = client.get(reverse("cases:section", args=[case.pk, "actions"])).content.decode()
    assert reverse("support:detail", args=[request.pk]) in case_page
    assert "asked by Voces Libres" in case_page
    page = client.get(reverse("support:detail", args=[request.pk])).content.decode()
    assert "Share the case with this mission" in page and "Accept the request" not in page
    assert "Withdraw the request" not in page
    for step in ("accept", "withdraw"):
        response = client.post(reverse("support:step", args=[request.pk, step]), {})
        assert response.status_code == 403
    # the partner (requester) may not share the owner's case
    with pytest.raises(PermissionDenied):
        support_request_share(request=request, level="feedback", acting_user=world.requester)
    share_case(case, world.norway, "feedback", acting_user=owner_officer)  # consent + share
    assert (
        verified_client(world.receiver).get(reverse("cases:detail", args=[case.pk])).status_code
        == 200
    )


def test_a_purge_blanks_the_texts(world):
    from support.services import support_requests_purge

    [request] = ask(world)
    support_request_decline(request=request, reason="No staff.", acting_user=world.receiver)
    assert (
        Notification.objects.unscoped()
        .filter(recipient=world.receiver, subject__contains=world.case.pseudonym)
        .exists()
    )
    support_requests_purge(world.case)
    request.refresh_from_db()
    assert (request.reason, request.answer, request.outcome) == ("", "", "")
    # the receivers' notifications (no case link) no longer name the pseudonym
    assert (
        not Notification.objects.unscoped().filter(subject__contains=world.case.pseudonym).exists()
    )


def test_accepting_names_a_bad_authority_and_writes_nothing(world):
    [request] = ask(world, kind="demarche")
    for authority, field in [("", "authority"), ("Ministry\nof Justice", "authority")]:
        with pytest.raises(ValidationError) as error:
            support_request_accept(request=request, acting_user=world.receiver, authority=authority)
        assert field in error.value.message_dict
    request.refresh_from_db()
    assert request.status == SupportStatus.OPEN and request.action is None
    assert not DiplomaticAction.objects.unscoped().exists()


def test_a_partner_whose_share_changes_level_keeps_its_open_request(world):
    from cases.services.sharing import case_share

    owner = OrganisationFactory(name="Embassy of Spain")
    owner_officer = UserFactory(organisation=owner, role=Role.OFFICER)
    case = CaseFactory(organisation=owner)
    share_case(case, world.ngo, "full", acting_user=owner_officer)
    [request] = ask(world, case=case)
    case_share(
        case=case, partner=world.ngo, level="feedback", reason="Less", acting_user=owner_officer
    )
    request.refresh_from_db()
    assert request.status == SupportStatus.OPEN
