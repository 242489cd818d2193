from __future__ import annotations

import pytest

from logbooks.models import ActionParticipant, DiplomaticAction, LogEntry

pytestmark = pytest.mark.django_db


def test_the_demo_seed_adds_entries_and_a_joint_demarche_once():
    from accounts import demo as accounts_demo
    from cases import demo as cases_demo
    from logbooks import demo

    accounts_demo.seed()
    cases_demo.seed()
    demo.seed()
    demo.seed()
    assert LogEntry.objects.unscoped().count() == 3
    assert DiplomaticAction.objects.unscoped().count() == 3
    assert ActionParticipant.objects.filter(status="accepted").count() == 1
