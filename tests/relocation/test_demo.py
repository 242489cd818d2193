from __future__ import annotations

import pytest

from accounts import demo as accounts_demo
from accounts.models import Organisation
from cases import demo as cases_demo
from relocation import demo
from relocation.models import RelocationRequest, ShelterProgramme, ShelterReferral, VisaReferral

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_cities_requests_and_referrals_once():
    accounts_demo.seed()
    cases_demo.seed()
    demo.seed()
    demo.seed()
    cities = Organisation.objects.filter(kind="shelter_city")
    assert ShelterProgramme.objects.unscoped().filter(organisation__in=cities).count() == 2
    statuses = sorted(RelocationRequest.objects.unscoped().values_list("status", flat=True))
    assert statuses == ["approved", "submitted"]
    assert VisaReferral.objects.unscoped().count() == 1
    assert ShelterReferral.objects.unscoped().count() == 1
