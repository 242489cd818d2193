"""A closed or purged case takes no more support: closing or purging it withdraws its
unanswered requests (audited, no reminder nor escalation after), and a request still open on
such a case cannot be accepted (409 from the API, an error on the page) (security review,
D2)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Notification
from cases.models import Case
from cases.registries.purgers import registered_purgers
from cases.services.case import case_close
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent
from support.models import SupportRequest, SupportStatus
from support.selectors import support_answer_escalations, support_answer_reminders
from support.services import support_request_accept
from tests.conftest import verified_client
from tests.support.conftest import ask

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=30)


def _status(request) -> str:
    return SupportRequest.objects.unscoped().get(pk=request.pk).status


def _chased(now) -> list:
    return list(support_answer_reminders(now)) + list(support_answer_escalations(now))


@pytest.mark.parametrize("how", ["closed", "purged"])
def test_a_request_left_open_on_a_closed_or_purged_case_cannot_be_accepted(world, how):
    [request] = ask(world)
    # closed (or purged) without its receivers having run: a request from before this rule
    if how == "closed":
        Case.objects.unscoped().filter(pk=world.case.pk).update(
            status="closed", closing_reason="risk_reduced", closed_on=timezone.localdate()
        )
    else:
        Case.objects.unscoped().filter(pk=world.case.pk).update(purged_at=timezone.now())
    request.refresh_from_db()
    request.case.refresh_from_db()
    with pytest.raises(StateConflict):
        support_request_accept(request=request, acting_user=world.receiver)
    response = verified_client(world.receiver).post(
        reverse("api:support-request-accept", args=[request.pk]), {}, "application/json"
    )
    assert response.status_code == 409, response.content
    page = verified_client(world.receiver).post(
        reverse("support:step", args=[request.pk, "accept"]), {}, follow=True
    )
    assert "This case is closed" in page.content.decode()
    assert _status(request) == SupportStatus.OPEN and request.action_id is None
    # and nobody is chased for it any more
    assert _chased(timezone.now() + datetime.timedelta(hours=40)) == []


def test_closing_a_case_withdraws_its_open_requests_and_nothing_is_chased_after(world):
    [answered] = ask(world)
    support_request_accept(request=answered, acting_user=world.receiver, authority="Court")
    [waiting] = ask(world, kind="prison_visit")
    case_close(case=world.case, reason="risk_reduced", acting_user=world.requester)
    assert _status(waiting) == SupportStatus.WITHDRAWN
    assert _status(answered) == SupportStatus.ACCEPTED  # the mission's record stays
    event = AuditEvent.objects.get(action="support.withdraw")
    assert event.data["reason"] == "case closed" and event.data["request"] == str(waiting.pk)
    assert _chased(timezone.now() + datetime.timedelta(hours=40)) == []
    # the mission is told the prison visit is no longer needed; not the accepted one
    told = Notification.objects.for_recipient(world.receiver).filter(
        subject__startswith="Support no longer needed"
    )
    assert [n.subject for n in told] == [
        "Support no longer needed: Prison visit for Ceiba (the case was closed)"
    ]


def test_purging_a_case_withdraws_its_open_requests(world):
    [waiting] = ask(world)
    registered_purgers()["support"](world.case)
    assert _status(waiting) == SupportStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action="support.withdraw").count() == 1
    # a purge is silent: no notification names the purged case's pseudonym
    assert not Notification.objects.for_recipient(world.receiver).filter(
        subject__contains="no longer"
    )
