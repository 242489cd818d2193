"""Home's probe (work.selectors.probe): one query says which sources may have rows, and Home
skips the others. A probe may be broader than its source, never narrower: a source with
something to show is never skipped."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.factories import OrganisationFactory, UserFactory
from tests.queries import counting
from work.selectors.home import PROBES, sources_for, sources_of_kind

pytestmark = pytest.mark.django_db

PERSONAS = ["officer", "viewer", "admin", "ngo_officer", "city_staff", "coordinator"]


def test_no_source_with_rows_is_skipped_for_any_persona(world):
    today = timezone.localdate()
    shown_somewhere = set()
    for persona in PERSONAS:
        user = getattr(world, persona)
        asked = sources_for(user, today)
        for source in sources_of_kind(user.organisation.kind):
            found = source(user, today)
            if found.items or found.aside:
                assert source in asked, f"{source.__name__} skipped for {persona}"
                shown_somewhere.add(source)
    # The world fills every probed source but support requests (tests/support covers them):
    # the check above is not vacuous.
    assert {s.__name__ for s in PROBES} - {s.__name__ for s in shown_somewhere} == {"support_items"}


def test_an_organisation_with_nothing_waiting_skips_every_probed_source(world):
    quiet = UserFactory(organisation=OrganisationFactory(name="Quiet mission"), role=Role.OFFICER)
    with counting(queries=1):  # the probe
        asked = sources_for(quiet, timezone.localdate())
    assert not set(asked) & set(PROBES)
    assert {source.__name__ for source in asked} == {"alert_items", "review_items"}


def test_another_organisation_s_rows_do_not_wake_the_probe(world):
    """The officer's mission has a visa to decide; a mission of no request has none."""
    today = timezone.localdate()
    visa_items = next(s for s in PROBES if s.__name__ == "visa_items")
    assert visa_items in sources_for(world.officer, today)
    assert visa_items not in sources_for(world.other_officer, today)
