"""Two confirmations racing for a city's last place: the programme row lock makes the second
wait for the first and count its stay, so capacity is never exceeded. Needs two real
connections and row locks: PostgreSQL only (deselected on SQLite)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from relocation.models import ShelterReferral
from relocation.services.shelter import shelter_answer, shelter_confirm, shelter_referral_create
from tests.factories import CaseFactory, OrganisationFactory
from tests.relocation import factories as f


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_confirmations_cannot_both_take_the_last_place():
    start = datetime.date.today() + datetime.timedelta(days=10)
    end = start + datetime.timedelta(days=20)
    the_city = f.city(periods=[(start, end, 1)])
    city_officer = f.staff(the_city)
    ngo = OrganisationFactory(kind="ngo")
    officer = f.staff(ngo)
    referrals = []
    for _ in range(2):
        case = CaseFactory(organisation=ngo)
        f.give_relocation_consent(case, officer)
        referral = shelter_referral_create(
            relocation_request=f.approved_request(case, officer),
            city=the_city,
            start=start,
            end=end,
            acting_user=officer,
        )
        shelter_answer(referral=referral, answer="accepted", acting_user=city_officer)
        referrals.append(referral)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm(referral):
        try:
            barrier.wait(timeout=10)
            shelter_confirm(referral=referral, acting_user=city_officer)
            outcomes.append("confirmed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in referrals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["confirmed", "refused"]
    # unscoped: counting the city's confirmed stays after the race.
    confirmed = ShelterReferral.objects.unscoped().filter(city=the_city, status="confirmed")
    assert confirmed.count() == 1
