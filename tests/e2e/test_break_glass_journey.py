"""Break-glass in the browser: a feedback partner's admin opens the full file in an emergency
(the form refused first, then sent), the owner revokes the share and later shares the case
again at feedback, and the partner sees the pseudonym only: the opening ended with its share
(the review of 2026-12-07)."""

from __future__ import annotations

import pytest

from accounts.models import Organisation
from tests.e2e.conftest import axe_violations, login, person
from tests.factories import CaseFactory, DefenderFactory, OrganisationFactory, share_case

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "Detained at a checkpoint tonight; the owner mission does not answer since noon."


def test_an_opening_does_not_come_back_with_a_new_share(new_page):
    mission = OrganisationFactory(name="Embassy of Testland", kind=Organisation.Kind.MISSION)
    ngo = OrganisationFactory(name="Voces Test", kind=Organisation.Kind.NGO)
    officer, ngo_admin = person(mission), person(ngo, role="admin")
    defender = DefenderFactory(organisation=mission, legal_name="Ana María Quispe")
    case = CaseFactory(organisation=mission, defender=defender, pseudonym="Ceiba")
    share_case(case, ngo, "feedback", acting_user=officer)

    partner = new_page()
    login(partner, ngo_admin)
    partner.goto(f"/cases/{case.pk}/break-glass/")
    # sent without a reason: the form comes back (400) naming what is missing
    refused = partner.expect_response(lambda r: r.request.method == "POST")
    with refused as answer:
        partner.get_by_role("button", name="Open the full file").click()
    assert answer.value.status == 400
    partner.get_by_text("This field is required").first.wait_for()
    assert axe_violations(partner) == []
    partner.get_by_label("Reason").fill(REASON)
    partner.get_by_label("I confirm that the defender's life is at immediate risk").check()
    partner.get_by_role("button", name="Open the full file").click()
    partner.get_by_text("Break-glass access is open for 24 hours").wait_for()
    partner.goto(f"/cases/{case.pk}/identity/")
    partner.get_by_text("Ana María Quispe").first.wait_for()

    # The owner revokes the share from the case's sharing page, then shares it again at
    # feedback (ordinary cooperation restored the same day).
    owner = new_page()
    login(owner, officer)
    owner.goto(f"/cases/{case.pk}/shares/")
    owner.get_by_role("button", name="Revoke").click()
    owner.get_by_text("revoked").first.wait_for()
    share_case(case, ngo, "feedback", acting_user=officer)

    # The partner sees the case again, by its pseudonym only; the identity answers 404 and
    # break-glass asks for a new reason.
    assert partner.goto(f"/cases/{case.pk}/identity/").status == 404
    partner.goto(f"/cases/{case.pk}/")
    partner.get_by_text("Ceiba").first.wait_for()
    assert partner.get_by_text("Ana María Quispe").count() == 0
    partner.goto(f"/cases/{case.pk}/break-glass/")
    partner.get_by_role("button", name="Open the full file").wait_for()
