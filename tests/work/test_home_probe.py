"""Home's probe (work.selectors.probe): one query says which sources may have rows, and Home
skips the others. A probe may be broader than its source, never narrower: a source with
something to show is never skipped."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from alerts.models import Notification
from logbooks.services.entries import entry_create
from tests.conftest import verified_client
from tests.factories import OrganisationFactory, UserFactory
from tests.queries import counting, get_counting
from work.selectors.home import PROBES, probed, sources_of_kind, unread_updates

pytestmark = pytest.mark.django_db

PERSONAS = ["officer", "viewer", "admin", "ngo_officer", "city_staff", "coordinator"]


def test_no_source_with_rows_is_skipped_for_any_persona(world):
    today = timezone.localdate()
    shown_somewhere = set()
    for persona in PERSONAS:
        user = getattr(world, persona)
        asked, _updates = probed(user, today)
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
        asked, _updates = probed(quiet, timezone.localdate())
    assert not set(asked) & set(PROBES)
    assert {source.__name__ for source in asked} == {"alert_items", "review_items"}


def test_another_organisation_s_rows_do_not_wake_the_probe(world):
    """The officer's mission has a visa to decide; a mission of no request has none."""
    today = timezone.localdate()
    visa_items = next(s for s in PROBES if s.__name__ == "visa_items")
    assert visa_items in probed(world.officer, today)[0]
    assert visa_items not in probed(world.other_officer, today)[0]


def test_no_unread_update_is_skipped_for_any_persona(world):
    """Home reads the unread updates only when the probe finds an unread shared-entry
    notification of the user's: never narrower than the updates themselves."""
    today = timezone.localdate()
    with_updates = 0
    for persona in PERSONAS:
        user = getattr(world, persona)
        updates, _more = unread_updates(user)
        _asked, may_have_updates = probed(user, today)
        assert may_have_updates or not updates, persona
        with_updates += bool(updates)
    assert with_updates  # the world's officer has one: the check above is not vacuous


def test_home_skips_the_updates_read_until_one_is_unread(world):
    """Reading the update (its notification) leaves nothing for the probe: Home then costs one
    query fewer and shows no update; a new shared entry brings it back."""
    client = verified_client(world.officer)
    url = reverse("home")
    with_update = get_counting(client, url, max_queries=20, contains="Call the lawyer back")
    Notification.objects.for_recipient(world.officer).update(read_at=timezone.now())
    without = get_counting(
        client, url, queries=len(with_update.queries) - 1, contains="Call the lawyer back"
    )
    assert without.context["queue"].updates == []
    entry = entry_create(
        case=world.objects["entry"].case,
        kind="note",
        summary="The lawyer called back.",
        visibility="shared",
        acting_user=world.ngo_officer,
    )
    again = get_counting(
        client, url, queries=len(with_update.queries), contains="Call the lawyer back"
    )
    assert [u.url for u in again.context["queue"].updates] == [
        reverse("logbooks:entry_detail", args=[entry.pk])
    ]
