"""Helpers of the alerts tests (shared factories come from tests.factories)."""

from __future__ import annotations

import pytest

from accounts.models import Role
from alerts.services.alerts import alert_raise
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case


def raise_alert(case, user, *, kind="detained", severity="high", message="Taken at a checkpoint."):
    return alert_raise(case=case, kind=kind, severity=severity, message=message, acting_user=user)


def post_json(client, url, data=None):
    """A POST to the API with a JSON body (an empty object by default)."""
    return client.post(url, data or {}, content_type="application/json")


def partner_with(case, level, *, acting_user=None):
    """A partner organisation holding ``case`` at ``level``, with an officer and a viewer."""
    partner = OrganisationFactory(kind="ngo")
    share_case(case, partner, level, acting_user=acting_user)
    officer = UserFactory(organisation=partner, role=Role.OFFICER)
    viewer = UserFactory(organisation=partner, role=Role.VIEWER)
    return partner, officer, viewer


@pytest.fixture
def case(org, officer):
    return CaseFactory(organisation=org, lead_officer=officer)


@pytest.fixture
def eager_celery():
    """Run tasks in-process (the integration tests use a real worker instead)."""
    from hrdcase.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
