from __future__ import annotations

import pytest

from accounts import demo as accounts_demo
from cases import demo as cases_demo
from support import demo
from support.models import SupportRequest

pytestmark = pytest.mark.django_db


def test_the_demo_asks_the_norwegian_embassy_once():
    accounts_demo.seed()
    cases_demo.seed()
    demo.seed()
    demo.seed()
    [request] = SupportRequest.objects.unscoped().select_related("receiver", "case")
    assert request.receiver.code == "NOR-CO" and request.case.pseudonym == "Yarumo"
    assert request.status == "open" and request.due_at is not None
