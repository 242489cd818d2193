"""Tables that become cards on a phone name each cell (``data-label``): the labels are
translated once per page, before the rows (not once per cell), and none is left empty."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.services.alerts import alert_raise
from cases.services.task import task_create
from tests.conftest import verified_client
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_cell_of_the_lists_names_its_column(officer, language):
    officer.language = language
    officer.save(update_fields=["language"])
    case = CaseFactory(organisation=officer.organisation, lead_officer=officer)
    task_create(
        case=case,
        title="Call the lawyer",
        due_on=timezone.localdate(),
        assignee=officer,
        acting_user=officer,
    )
    alert_raise(case=case, kind="detained", message="Taken.", acting_user=officer)
    client = verified_client(officer)
    for url in (reverse("cases:list"), reverse("cases:tasks"), reverse("alerts:list")):
        body = client.get(url).content.decode()
        labels = re.findall(r'data-label="([^"]*)"', body)
        assert labels, url
        # only a row's selection box goes without a name
        unnamed = [label for label in labels if not label.strip()]
        assert len(unnamed) <= body.count('type="checkbox" name="alerts"'), url
    if language == "ar":
        assert 'data-label="Reference"' not in client.get(reverse("cases:list")).content.decode()
