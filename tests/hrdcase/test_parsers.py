"""The API's parsers answer bad bodies with a 4xx in JSON: JSON nested so deeply that the
parser itself overflowed the stack answered 500, and writes nothing."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError

from hrdcase.parsers import MAX_JSON_DEPTH, JSONParser, json_depth_exceeds
from logbooks.models import LogEntry
from tests.factories import CaseFactory
from tests.logbooks.factories import log

DEEP_ARRAYS = "[" * 100_000 + "]" * 100_000
DEEP_OBJECTS = '{"a":' * 100_000 + "1" + "}" * 100_000


@pytest.fixture
def case(officer):
    return CaseFactory(organisation=officer.organisation)


def _entries():
    return LogEntry.objects.unscoped()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [DEEP_ARRAYS, DEEP_OBJECTS], ids=["arrays", "objects"])
def test_deeply_nested_json_answers_400_and_writes_nothing(officer_client, case, body):
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/entries/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    assert not _entries().exists()


@pytest.mark.django_db
def test_json_deeper_than_the_limit_but_parseable_answers_400_too(officer_client, case, officer):
    entry = log(case, officer)
    summary: object = "text"
    for _ in range(MAX_JSON_DEPTH + 1):
        summary = [summary]
    payload = json.dumps({"kind": "note", "summary": summary, "visibility": "internal"})
    response = officer_client.post(
        f"/api/v1/entries/{entry.pk}/correct/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    assert _entries().count() == 1


@pytest.mark.django_db
def test_ordinary_json_still_works(officer_client, case):
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/entries/",
        {"kind": "note", "summary": "Met the lawyer.", "visibility": "internal"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert _entries().count() == 1


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=40,
)


@given(json_values, st.integers(min_value=0, max_value=8))
def test_the_depth_check_agrees_with_the_recursive_definition(value, limit):
    assert json_depth_exceeds(value, limit) == (_depth(value) > limit)


class _Stream:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data


@given(st.binary(max_size=200) | st.text(alphabet='[]{}":,0 a', max_size=200).map(str.encode))
def test_the_json_parser_answers_parsed_data_or_a_parse_error(body):
    with contextlib.suppress(ParseError):  # anything else (RecursionError) fails the test
        JSONParser().parse(_Stream(body), "application/json", {})
