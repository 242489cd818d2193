"""A choice among a case's hearings or an organisation's members is read with one plain query
per form (``hrdcase.forms.ListedModelChoiceField``), not a server-side cursor and a count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from cases.forms.task import TaskForm
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory
from tests.queries import counting, get_counting


@pytest.fixture
def officer(db):
    return UserFactory(organisation=OrganisationFactory(), role=Role.OFFICER, full_name="Ana")


def test_the_assignee_choices_are_read_once_for_the_form(officer):
    UserFactory(organisation=officer.organisation, role=Role.OFFICER, full_name="Bea")
    form = TaskForm(organisation_id=officer.organisation_id)
    field = form.fields["assignee"]
    with counting(queries=1):
        drawn = str(form["assignee"])
        assert len(field.choices) == 3 and field.choices  # "nobody", Ana, Bea
        str(form["assignee"])
    assert ">Ana</option>" in drawn and ">Bea</option>" in drawn
    assert "Nobody (anybody of the organisation)" in drawn


@pytest.mark.postgresql
def test_the_case_overview_opens_no_server_side_cursor(officer):
    case = CaseFactory(organisation=officer.organisation)
    client = verified_client(officer)
    url = reverse("cases:detail", args=[case.pk])
    response = get_counting(client, url, contains="Ana</option>")  # the task's assignee
    assert not [sql for sql in response.queries if sql.startswith("DECLARE")]
