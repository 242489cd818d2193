"""Relocation test helpers: organisations of each kind, consent, requests in a given state,
shelter cities with capacity."""

from __future__ import annotations

import datetime
from decimal import Decimal

from accounts.models import Organisation, Role
from cases.models import Consent
from cases.services.consent import consent_record
from relocation.models import (
    CapacityPeriod,
    GrantRequest,
    RelocationRequest,
    RelocationSettings,
    RequestStatus,
    ShelterProgramme,
    ShelterReferral,
)
from relocation.services.grants import grant_request_create
from relocation.services.requests import request_create
from relocation.services.shelter import shelter_referral_create
from tests.factories import CaseFactory, OrganisationFactory, UserFactory


def mission(**kwargs) -> Organisation:
    return OrganisationFactory(kind=Organisation.Kind.MISSION, **kwargs)


def city(*, periods=(), stay_months: int = 3, **kwargs) -> Organisation:
    """A shelter city with its programme and the given (start, end, places) periods."""
    organisation = OrganisationFactory(kind=Organisation.Kind.SHELTER_CITY, **kwargs)
    programme = ShelterProgramme.objects.create(
        organisation=organisation, name="Shelter City", stay_months=stay_months, languages="en"
    )
    for start, end, places in periods:
        CapacityPeriod.objects.create(
            organisation=organisation, programme=programme, start=start, end=end, places=places
        )
    return organisation


def grantor(**kwargs) -> Organisation:
    """An organisation that offers emergency grants (default cap and currency)."""
    organisation = OrganisationFactory(**kwargs)
    offers_grants(organisation)
    return organisation


def offers_grants(organisation) -> Organisation:
    RelocationSettings.objects.unscoped().update_or_create(
        organisation=organisation, defaults={"offers_grants": True}
    )
    return organisation


def staff(organisation, role=Role.OFFICER):
    return UserFactory(organisation=organisation, role=role)


def give_relocation_consent(case, user) -> Consent:
    return consent_record(
        case=case,
        scope=Consent.Scope.RELOCATION,
        given_on=datetime.date(2026, 3, 2),
        method=Consent.Method.IN_PERSON,
        acting_user=user,
    )


def make_request(case, user, *, status: str = RequestStatus.DRAFT, **fields) -> RelocationRequest:
    """A request raised by ``user`` on ``case``, then put in ``status`` directly (the workflow
    itself is tested in test_requests)."""
    fields.setdefault("support", ["shelter_city_stay", "short_stay_visa"])
    fields.setdefault("languages", "Spanish, English")
    fields.setdefault("medical_needs", "Insulin, kept cold")
    fields.setdefault("visa_plan", "Schengen visa through the fast-track procedure")
    created = request_create(case=case, acting_user=user, **fields)
    if status != RequestStatus.DRAFT:
        # unscoped: test set-up of a state, bypassing the workflow under test elsewhere.
        RelocationRequest.objects.unscoped().filter(pk=created.pk).update(status=status)
        created.refresh_from_db()
    return created


def approved_request(case, user, **fields) -> RelocationRequest:
    return make_request(case, user, status=RequestStatus.APPROVED, **fields)


def grant(relocation_request, grantor, user) -> GrantRequest:
    """An emergency grant of 900 EUR for digital security asked of ``grantor`` on
    ``relocation_request`` (approved) by ``user``."""
    return grant_request_create(
        relocation_request=relocation_request,
        grantor=grantor,
        purpose="digital_security",
        amount=Decimal("900"),
        currency="EUR",
        acting_user=user,
        justification="Laptop seized",
    )


def approved_requests(organisation, user, n: int) -> list[RelocationRequest]:
    """``n`` approved requests of ``user``, each on a new case of ``organisation`` with
    relocation consent (rows for the lists' query counts)."""
    requests = []
    for _ in range(n):
        case = CaseFactory(organisation=organisation)
        give_relocation_consent(case, user)
        requests.append(approved_request(case, user))
    return requests


def stay(
    organisation, user, city, start, end, *, status=None, pseudonym=None, **kwargs
) -> ShelterReferral:
    """A stay in ``city`` proposed by ``user`` on a new case of ``organisation``, then put in
    ``status`` directly (the stay's steps themselves are tested in test_shelter)."""
    case = CaseFactory(organisation=organisation, **({"pseudonym": pseudonym} if pseudonym else {}))
    give_relocation_consent(case, user)
    referral = shelter_referral_create(
        relocation_request=approved_request(case, user),
        city=city,
        start=start,
        end=end,
        acting_user=user,
        **kwargs,
    )
    if status:
        # unscoped: test set-up of a stay state.
        ShelterReferral.objects.unscoped().filter(pk=referral.pk).update(status=status)
        referral.refresh_from_db()
    return referral


# --- one shelter city with two capacity periods (test_shelter, test_capacity) -----------------

#: day 0 of the city's capacity periods: a month ahead, so every stay is in the future.
CAPACITY_BASE = datetime.date.today() + datetime.timedelta(days=30)


def capacity_day(n: int) -> datetime.date:
    """Day ``n`` of the two-period city (``two_period_city``)."""
    return CAPACITY_BASE + datetime.timedelta(days=n)


def two_period_city():
    """1 place from day 0 to day 29, 2 places from day 30 to day 59, nothing after."""
    return city(
        name="Shelter The Hague",
        code="SCH",
        periods=[(capacity_day(0), capacity_day(29), 1), (capacity_day(30), capacity_day(59), 2)],
    )
