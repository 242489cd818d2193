"""The OpenAPI schema tells the truth (issue 17): every operation documents the errors it can
give, in the shapes the API answers them, and the schema generates without a warning.

Schemathesis checks the live API against this schema in CI (`.ci/schemathesis`); these tests
catch a regression in `make test`, without a server.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Role
from accounts.testing import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRITES = {"POST", "PUT", "PATCH", "DELETE"}

#: operations that move an object through its states: the service answers 409 with
#: ``allowed`` when the state does not allow the step.
STATE_TRANSITIONS = [
    ("POST", "/api/v1/alerts/{id}/acknowledge/"),
    ("POST", "/api/v1/alerts/{id}/resolve/"),
    ("POST", "/api/v1/cases/{id}/break-glass/"),
    ("POST", "/api/v1/cases/{case_pk}/milestones/{id}/done/"),
    ("POST", "/api/v1/entries/{id}/correct/"),
    ("POST", "/api/v1/entries/{id}/attachments/"),
    ("POST", "/api/v1/actions/{id}/transition/"),
    ("POST", "/api/v1/actions/{id}/invite/"),
    ("POST", "/api/v1/actions/{id}/answer/"),
    ("POST", "/api/v1/relocation/requests/{id}/transition/"),
    ("POST", "/api/v1/relocation/visas/"),
    ("POST", "/api/v1/relocation/visas/{id}/decide/"),
    ("POST", "/api/v1/relocation/visas/{id}/withdraw/"),
    ("POST", "/api/v1/relocation/stays/"),
    ("POST", "/api/v1/relocation/stays/{id}/answer/"),
    ("POST", "/api/v1/relocation/stays/{id}/confirm/"),
    ("POST", "/api/v1/relocation/stays/{id}/hosting/"),
    ("POST", "/api/v1/relocation/stays/{id}/complete/"),
    ("POST", "/api/v1/relocation/stays/{id}/withdraw/"),
    ("POST", "/api/v1/relocation/grants/"),
    ("POST", "/api/v1/relocation/grants/{id}/decide/"),
    ("POST", "/api/v1/relocation/grants/{id}/disburse/"),
]


@functools.cache
def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def schema() -> dict[str, Any]:
    return _schema()


def _operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def _body(response: dict[str, Any]) -> str:
    """The component a JSON response refers to."""
    return response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def _missing(schema, code: str, component: str, applies) -> list[str]:
    return [
        f"{method} {path}"
        for method, path, operation in _operations(schema)
        if applies(method, path, operation)
        and (code not in operation["responses"] or _body(operation["responses"][code]) != component)
    ]


def test_it_generates_the_schema_without_a_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")


def test_the_error_bodies_are_shared_components_in_the_shapes_the_api_answers(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    validation = components["ValidationError"]
    assert set(validation["properties"]) == {"detail", "non_field_errors"}
    assert validation["properties"]["non_field_errors"]["items"] == {"type": "string"}
    assert "additionalProperties" in validation  # {field: [messages]}
    assert components["StateConflict"]["required"] == ["detail", "allowed"]


def test_every_operation_documents_401(schema):
    assert _missing(schema, "401", "Error", lambda *_: True) == []


def test_every_write_and_every_administrators_route_documents_403(schema):
    admin_routes = ("/api/v1/users/",)
    assert (
        _missing(
            schema,
            "403",
            "Error",
            lambda method, path, _op: method in WRITES or path.startswith(admin_routes),
        )
        == []
    )
    # A read of one's own organisation's data is never refused for the role: no 403 there.
    assert "403" not in schema["paths"]["/api/v1/cases/{id}/"]["get"]["responses"]


def test_every_route_naming_an_object_documents_404(schema):
    assert _missing(schema, "404", "Error", lambda _m, path, _op: "{" in path) == []


def test_every_paginated_list_documents_404_for_a_page_past_the_last(schema):
    def paginated(method, _path, operation):
        parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
        return method == "GET" and "page" in parameters

    assert _missing(schema, "404", "Error", paginated) == []


def test_every_write_with_a_body_documents_400_and_413(schema):
    def has_body(_method, _path, operation):
        return "requestBody" in operation

    assert _missing(schema, "400", "ValidationError", has_body) == []
    assert (
        _missing(
            schema, "413", "Error", lambda m, p, o: has_body(m, p, o) and "/attachments/" not in p
        )
        == []
    )


def test_lists_whose_filters_are_checked_document_400(schema):
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{case_pk}/entries/",
        "/api/v1/cases/{case_pk}/incidents/",
        "/api/v1/notifications/",
        "/api/v1/inbox/",
        "/api/v1/relocation/visas/",
        "/api/v1/users/",
    ):
        assert _body(schema["paths"][path]["get"]["responses"]["400"]) == "ValidationError", path


def test_the_state_transitions_document_409(schema):
    for method, path in STATE_TRANSITIONS:
        responses = schema["paths"][path][method.lower()]["responses"]
        assert _body(responses["409"]) == "StateConflict", path
    # and only those (and the break-glass), not every write
    assert "409" not in schema["paths"]["/api/v1/cases/"]["post"]["responses"]


def test_an_upload_documents_413_naming_the_file(schema):
    responses = schema["paths"]["/api/v1/entries/{id}/attachments/"]["post"]["responses"]
    assert _body(responses["413"]) == "ValidationError"


def test_an_object_named_in_the_body_documents_404(schema):
    for path in (
        "/api/v1/relocation/requests/",
        "/api/v1/relocation/visas/",
        "/api/v1/relocation/stays/",
        "/api/v1/relocation/grants/",
    ):
        assert "404" in schema["paths"][path]["post"]["responses"], path


def test_writes_a_service_may_refuse_without_a_body_document_400(schema):
    for path in (
        "/api/v1/users/{id}/deactivate/",
        "/api/v1/users/{id}/reactivate/",
        "/api/v1/cases/{id}/shares/{share_pk}/revoke/",
    ):
        assert _body(schema["paths"][path]["post"]["responses"]["400"]) == "ValidationError"


def test_lists_are_pages_only_where_the_api_pages(schema):
    def body_of(path: str, method: str = "get") -> dict[str, Any]:
        ok = schema["paths"][path][method]["responses"]
        return next(iter(ok[min(ok)]["content"].values()))["schema"]

    assert body_of("/api/v1/cases/") == {"$ref": "#/components/schemas/PaginatedCaseListList"}
    assert body_of("/api/v1/cases/{id}/risk/")["$ref"].endswith("PaginatedRiskAssessmentList")
    for path in ("/api/v1/cases/{id}/consents/", "/api/v1/entries/{id}/attachments/"):
        assert body_of(path)["type"] == "array", path
        parameters = schema["paths"][path]["get"].get("parameters", [])
        assert {parameter["in"] for parameter in parameters} == {"path"}, path
    created = schema["paths"]["/api/v1/cases/{id}/consents/"]["post"]["responses"]
    assert _body(created["201"]) == "Consent"


def test_the_stay_list_documents_the_rows_it_answers(schema):
    body = schema["paths"]["/api/v1/relocation/stays/"]["get"]["responses"]["200"]
    page = _body(body)
    rows = schema["components"]["schemas"][page]["properties"]["results"]["items"]["$ref"]
    assert rows.endswith("/ShelterList")


def test_a_choice_left_blank_is_in_the_enum_it_answers(schema):
    components = schema["components"]["schemas"]
    for component, field in (
        ("Identity", "gender"),
        ("CaseRisk", "risk_level"),
        ("EscalationStep", "role"),
    ):
        refs = [choice["$ref"] for choice in components[component]["properties"][field]["oneOf"]]
        assert "#/components/schemas/BlankEnum" in refs, component


def test_who_acknowledged_or_resolved_an_alert_may_be_nobody_yet(schema):
    properties = schema["components"]["schemas"]["Alert"]["properties"]
    for field in ("raised_by", "acknowledged_by", "resolved_by"):
        assert properties[field]["nullable"] is True
        assert set(properties[field]["required"]) == {"id", "name"}


def test_a_role_change_requires_the_role(schema):
    body = schema["paths"]["/api/v1/users/{id}/"]["patch"]["requestBody"]
    assert body["required"] is True
    component = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][component]["required"] == ["role"]


def test_a_download_declares_the_types_a_file_may_have(schema):
    content = schema["paths"]["/api/v1/attachments/{id}/download/"]["get"]["responses"]["200"]
    assert "application/pdf" in content["content"]
    assert "application/octet-stream" not in content["content"]


def test_a_revocation_documents_its_note(schema):
    body = schema["paths"]["/api/v1/cases/{id}/consents/{consent_pk}/revoke/"]["post"]
    assert "requestBody" in body


# --- the answers themselves ------------------------------------------------------------------


def test_an_api_url_matching_no_route_answers_json_like_other_404s(officer_client):
    for url in ("/api/v1/attachments/0.5/download/", "/api/v1/cases/not-an-id/incidents/"):
        response = officer_client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}
    page = officer_client.get("/cases/not-a-case-id/nothing/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_a_refused_search_term_answers_the_documented_400_object(org):
    """DRF's search refuses a NUL character with a bare list; the API answers an object."""
    admin = UserFactory(organisation=org, role=Role.ADMIN)
    response = verified_client(admin).get(reverse("api:member-list"), {"search": "a\x00b"})
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_a_task_of_the_organisation_has_no_case_and_the_schema_says_so(schema):
    # GET /api/v1/tasks/ answers null for a task without a case: Schemathesis (ST108) refused
    # the answer while the schema said "string".
    task = schema["components"]["schemas"]["Task"]["properties"]
    for field in ("case", "case_reference", "case_pseudonym"):
        assert task[field].get("nullable") is True, field
