"""The support requests API (/api/v1/support-requests/): ask, list both sides, accept,
decline, report; 400 naming the field with nothing written, 404 for what is not yours, and
answers that match the OpenAPI schema (nullable fields declared)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from support.models import SupportRequest
from tests.conftest import verified_client
from tests.dates import in_days
from tests.support.conftest import ask, hearing_in

pytestmark = pytest.mark.django_db

LIST = "api:support-request-list"


def _post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


def _payload(world, **fields):
    payload = {
        "case": str(world.case.pk),
        "receiver": str(world.norway.pk),
        "kind": "trial_observation",
        "reason": "Closed hearing feared.",
        "needed_by": in_days(5).isoformat(),
        "urgency": "urgent",
    }
    payload.update(fields)
    return payload


def test_it_asks_and_names_the_field_it_refuses(world):
    client = verified_client(world.requester)
    url = reverse(LIST)
    for field, value in [
        ("needed_by", "2999-01-01"),
        ("needed_by", in_days(-1).isoformat()),
        ("kind", "public_statement"),
        ("kind", "sing"),
        ("receiver", str(world.city.pk)),
        ("urgency", ""),
    ]:
        response = _post(client, url, _payload(world, **{field: value}))
        assert response.status_code == 400 and field in response.json(), (field, response.json())
    assert not SupportRequest.objects.unscoped().exists()
    created = _post(client, url, _payload(world))
    assert created.status_code == 201, created.content
    [body] = created.json()
    assert body["status"] == "open" and body["case_pseudonym"] == "Ceiba"
    assert body["action"] is None and body["hearing"] is None and body["due_at"]


def test_a_network_request_answers_one_row_per_mission(world):
    client = verified_client(world.requester)
    payload = _payload(world, receiver=None, network=str(world.network.pk))
    created = _post(client, reverse(LIST), payload)
    assert created.status_code == 201
    assert {row["receiver_name"] for row in created.json()} == {
        "Embassy of Norway",
        "Embassy of Sweden",
    }


def test_a_case_that_is_not_yours_is_404_and_a_viewer_403(world):
    response = _post(verified_client(world.stranger), reverse(LIST), _payload(world))
    assert response.status_code == 404
    response = _post(verified_client(world.ngo_viewer), reverse(LIST), _payload(world))
    assert response.status_code == 403


def test_both_sides_list_it_and_the_receiver_accepts_then_reports(world):
    hearing = hearing_in(world.case, world.requester, 5)
    [request] = ask(world, hearing=hearing)
    receiver = verified_client(world.receiver)
    listed = receiver.get(reverse(LIST), {"side": "received"}).json()["results"]
    assert [row["id"] for row in listed] == [str(request.pk)]
    assert listed[0]["hearing_date"] == hearing.date.isoformat()
    assert receiver.get(reverse(LIST), {"side": "sent"}).json()["results"] == []
    assert receiver.get(reverse(LIST), {"side": "both"}).status_code == 400
    requester = verified_client(world.requester)
    assert len(requester.get(reverse(LIST)).json()["results"]) == 1
    accept = reverse("api:support-request-accept", args=[request.pk])
    assert _post(requester, accept, {}).status_code == 403  # the requester does not answer
    answered = _post(receiver, accept, {"note": "We will attend."})
    assert answered.status_code == 200, answered.content
    body = answered.json()
    assert body["status"] == "accepted" and body["action_type"] == "trial_observation"
    assert _post(receiver, accept, {}).status_code == 409
    report = reverse("api:support-request-report", args=[request.pk])
    bad = _post(receiver, report, {"outcome": "Attended.", "done_on": in_days(2).isoformat()})
    assert bad.status_code == 400 and "done_on" in bad.json()
    done = _post(receiver, report, {"outcome": "Attended.", "done_on": in_days(0).isoformat()})
    assert done.status_code == 200 and done.json()["action_status"] == "done"
    assert requester.get(reverse("api:support-request-detail", args=[request.pk])).json()[
        "outcome"
    ] == ("Attended.")


def test_decline_needs_its_reason(world):
    [request] = ask(world)
    client = verified_client(world.receiver)
    url = reverse("api:support-request-decline", args=[request.pk])
    assert "reason" in _post(client, url, {}).json()
    assert _post(client, url, {"reason": "Not this time."}).json()["status"] == "declined"
    stranger = verified_client(world.stranger)
    assert _post(stranger, url, {"reason": "x"}).status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(world):
    from tests.factories import CaseFactory
    from tests.queries import get_counting

    client = verified_client(world.receiver)
    ask(world, case=CaseFactory(organisation=world.ngo))
    one = get_counting(client, reverse(LIST), contains='"results"', max_queries=8)
    for _n in range(3):
        ask(world, case=CaseFactory(organisation=world.ngo))
    four = get_counting(client, reverse(LIST), contains='"results"', queries=len(one.queries))
    assert len(four.json()["results"]) == 4


def test_the_schema_documents_the_routes_and_nullable_fields(world):
    schema = verified_client(world.requester).get(reverse("schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/support-requests/" in paths
    for step in ("accept", "decline", "report"):
        assert f"/api/v1/support-requests/{{id}}/{step}/" in paths
    fields = schema["components"]["schemas"]["SupportRequest"]["properties"]
    for name in ("network", "hearing", "hearing_date", "action", "action_type", "answered_at"):
        assert fields[name].get("nullable") is True, name
