"""Issue 21's journey: the NGO asks the Norwegian mission for trial observation of a hearing
in five days; the mission (which does not follow the case) accepts from its Home; the hearing
shows the mission planned as observer; after the hearing the mission reports the observation
and the NGO reads it in its inbox. The mission never opens the case."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import Organisation
from cases.services.court import hearing_schedule, proceeding_create
from support.models import SupportRequest
from tests.e2e.conftest import axe_violations, login, person
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(db):
    ngo = OrganisationFactory(name="Voces Libres", kind=Organisation.Kind.NGO)
    norway = OrganisationFactory(name="Embassy of Norway in Bogotá", kind=Organisation.Kind.MISSION)
    OrganisationFactory(name="Embassy of Sweden", kind=Organisation.Kind.MISSION)
    NetworkFactory(name="Andes network", members=[ngo, norway])
    caseworker = person(ngo)
    case = CaseFactory(organisation=ngo, pseudonym="Ceiba", reference="VOC-2026-0007")
    proceeding = proceeding_create(
        case=case, court="Third Criminal Court of Bogotá", acting_user=caseworker
    )
    hearing = hearing_schedule(
        proceeding=proceeding,
        date=timezone.localdate() + datetime.timedelta(days=5),
        acting_user=caseworker,
    )
    return {
        "caseworker": caseworker,
        "officer": person(norway),
        "case": case,
        "hearing": hearing,
    }


def test_the_ngo_asks_norway_to_observe_a_hearing_and_reads_the_observation(world, new_page):
    case, hearing = world["case"], world["hearing"]
    ngo = new_page()
    login(ngo, world["caseworker"])
    ngo.goto(f"/cases/{case.pk}/")
    ngo.get_by_role("navigation", name="Case sections").get_by_role("link", name="Actions").click()
    ngo.get_by_role("region", name="Diplomatic support").get_by_role(
        "link", name="Ask for support"
    ).click()
    ngo.get_by_label("Support asked").select_option(label="Trial observation")
    ngo.get_by_label("Ask the mission").select_option(label="Embassy of Norway in Bogotá")
    ngo.get_by_label("Hearing to observe").select_option(index=1)
    ngo.get_by_label("Why").fill("The court may close the hearing to the public.")
    ngo.get_by_label("Needed by").fill(hearing.date.isoformat())
    ngo.get_by_label("Urgency").select_option(label="Urgent (days)")
    ngo.get_by_role("button", name="Send the request").click()
    ngo.get_by_role(
        "heading", name="Trial observation asked of Embassy of Norway in Bogotá"
    ).wait_for()
    expect(ngo.get_by_text("Awaiting an answer")).to_be_visible()
    assert axe_violations(ngo) == []

    # The mission: the request is on its Home; it accepts without seeing the case.
    mission = new_page()
    login(mission, world["officer"])
    mission.get_by_role("link", name=re.compile("Trial observation — VOC-2026-0007 Ceiba")).click()
    expect(mission.locator("main")).to_contain_text("not shared with your organisation")
    mission.wait_for_load_state()
    assert case.defender.legal_name not in mission.content()
    mission.get_by_role("button", name="Accept the request").click()
    mission.get_by_text("Accepted: the requester is told.").wait_for()
    assert axe_violations(mission) == []
    assert mission.goto(f"/cases/{case.pk}/").status == 404
    request = SupportRequest.objects.unscoped().get()
    assert request.status == "accepted" and request.action.type == "trial_observation"

    # The hearing shows the mission as its planned observer (the NGO's case page).
    ngo.goto(f"/cases/{case.pk}/s/incidents/")
    proceedings = ngo.get_by_role("region", name="Court proceedings")
    assert "Embassy of Norway in Bogotá (planned)" in proceedings.inner_text()

    # After the hearing (the clock moved a week on): the mission reports the observation.
    later = timezone.now() + datetime.timedelta(days=7)
    # Both sign in again a week on: their sessions expired. The test signs in twice within
    # one 30-second code window, which the authenticator check refuses as a replayed code;
    # a real phone would show the next code by then.
    TOTPDevice.objects.update(last_t=-1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        after = new_page()
        login(after, world["officer"])
        after.get_by_role("navigation", name="Main").wait_for()
        after.goto(f"/support/{request.pk}/")
        after.get_by_role("textbox", name="Outcome").fill(
            "Attended; the judge adjourned the hearing to May."
        )
        after.get_by_label("Done on").fill(hearing.date.isoformat())
        after.get_by_role("button", name="Report to the requester").click()
        after.get_by_text("Outcome reported to the requester.").wait_for()

        reader = new_page()
        login(reader, world["caseworker"])
        reader.get_by_role("navigation", name="Main").get_by_role(
            "link", name=re.compile("Inbox")
        ).click()
        reader.get_by_role("button", name=re.compile("reported the outcome")).first.click()
        reader.get_by_text("Attended; the judge adjourned the hearing to May.").wait_for()
        assert axe_violations(reader) == []
    request.refresh_from_db()
    assert request.status == "done" and request.action.status == "done"
    assert request.hearing.observers.get().status == "attended"
