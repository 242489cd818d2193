"""Isolation when access ends: a partner whose share was revoked, whose share is past its
expiry (before the beat sweep tidies it up), or whose share was lowered to ``relocation``
(its referrals only), is an outsider again on every object route.

Each route's object is made inside the owner organisation; every case the owner then holds
is shared in full with the partner, and the share ends. The partner's people must get what
any other organisation gets: 404 (405 for a method the route does not have).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import Case, CaseShare
from cases.services.sharing import share_revoke
from tests.conftest import verified_client
from tests.factories import OrganisationFactory, UserFactory, share_case
from tests.isolation.registry import ROUTES, Object
from tests.isolation.test_every_route import OBJECT_ROUTES, _statuses, world  # noqa: F401
from tests.relocation.factories import give_relocation_consent


def _share_every_case_then_end(world, partner, how: str) -> int:  # noqa: F811  (the fixture)
    """Share every open case of the owner with ``partner`` (full), then end the shares (or
    lower them to ``relocation``: the full share ends, replaced)."""
    # unscoped: the test world's own cases, every one of them.
    cases = Case.objects.unscoped().filter(organisation=world.owner_org).exclude(status="closed")
    shares = [
        share_case(case, partner, "full", acting_user=world.owner_colleague) for case in cases
    ]
    for share in shares:
        if how == "revoked":
            share_revoke(share=share, acting_user=world.owner_colleague)
        elif how == "lowered":
            give_relocation_consent(share.case, world.owner_colleague)
            share_case(share.case, partner, "relocation", acting_user=world.owner_colleague)
        else:  # lapsed: past its expiry, the sweep not yet run
            CaseShare.objects.unscoped().filter(pk=share.pk).update(
                expires_at=timezone.now() - datetime.timedelta(seconds=1)
            )
    return len(shares)


@pytest.mark.parametrize("how", ["revoked", "lapsed", "lowered"])
@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_a_former_partner_gets_404_everywhere(world, name, how):  # noqa: F811
    kind: Object = ROUTES[name]
    url = reverse(name, kwargs=kind.make(world))
    partner = OrganisationFactory(name="Former partner", code="FMR")
    _share_every_case_then_end(world, partner, how)
    client = verified_client(UserFactory(organisation=partner, role=Role.OFFICER))
    statuses = _statuses(client, url, kind)
    for method, status in statuses.items():
        assert status in (404, 405), (
            f"{method.upper()} {url} ({name}) answered {status} to a partner whose share {how}"
        )


@pytest.mark.django_db
def test_a_lapsed_share_still_shows_while_it_lasts(world):  # noqa: F811
    """The control: the same partner, before the share ends, opens the case."""
    from tests.factories import CaseFactory

    case = CaseFactory(organisation=world.owner_org)
    partner = OrganisationFactory(name="Current partner", code="CUR")
    share_case(case, partner, "full", acting_user=world.owner_colleague)
    client = verified_client(UserFactory(organisation=partner, role=Role.OFFICER))
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
