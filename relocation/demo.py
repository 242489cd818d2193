"""Fictional relocation demo data (``manage.py seed_demo``): shelter programmes with capacity,
a mission's visa service level, a submitted request, and an approved one carried out through
a visa referral and a shelter-city referral. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import Case, Consent
from cases.services.consent import consent_record
from relocation.models import (
    CapacityPeriod,
    RelocationRequest,
    RelocationSettings,
    ShelterProgramme,
)
from relocation.selectors.capacity import programme_of
from relocation.selectors.settings import settings_for
from relocation.services.requests import request_create, request_transition
from relocation.services.settings import settings_update
from relocation.services.shelter import shelter_referral_create
from relocation.services.visa import visa_referral_create

PROGRAMMES = {
    # city code: (languages, support, places)
    "SC-MAA": ("English, Spanish, French", "Psychosocial care, security training, advocacy", 4),
    "SC-SJO": ("Spanish, English", "Rest and respite, digital-security training", 2),
}


def _user(local: str) -> User | None:
    return User.objects.filter(email__startswith=local + "@").first()


def _case(user: User, pseudonym: str) -> Case | None:
    return Case.objects.owned_by(user.organisation).filter(pseudonym=pseudonym).first()


def _relocation_consent(case: Case, officer: User) -> None:
    if not case.consents.filter(scope=Consent.Scope.RELOCATION, revoked_at__isnull=True).exists():
        consent_record(
            case=case,
            scope=Consent.Scope.RELOCATION,
            given_on=datetime.date(2026, 2, 10),
            method=Consent.Method.SECURE_MESSAGE,
            acting_user=officer,
        )


def _programmes() -> None:
    """Programmes and capacity for the demo cities (written directly: demo set-up has no
    acting admin in every city)."""
    today = timezone.localdate()
    for code, (languages, support, places) in PROGRAMMES.items():
        city = Organisation.objects.filter(code=code, kind=Organisation.Kind.SHELTER_CITY).first()
        if city is None or programme_of(city.pk) is not None:
            continue
        programme = ShelterProgramme.objects.create(
            organisation=city,
            name=f"{city.name} programme",
            stay_months=3,
            languages=languages,
            support_offered=support,
        )
        CapacityPeriod.objects.create(
            organisation=city,
            programme=programme,
            start=today.replace(month=1, day=1),
            end=today.replace(year=today.year + 1, month=12, day=31),
            places=places,
        )


def _settings() -> None:
    """The Norwegian mission's visa service level; the demo's grantor (an NGO fund)."""
    no_admin = _user("no.admin")
    if no_admin is not None:
        current = settings_for(no_admin.organisation_id)
        if current.pk is None:
            settings_update(
                organisation=no_admin.organisation,
                acting_user=no_admin,
                visa_service_days=7,
                grant_cap_amount=current.grant_cap_amount,
                grant_cap_currency=current.grant_cap_currency,
            )
    andes = _user("andes.caseworker")
    if andes is not None:
        # unscoped: the demo's own settings row of one organisation, by id.
        RelocationSettings.objects.unscoped().update_or_create(
            organisation=andes.organisation, defaults={"offers_grants": True}
        )


def _partner_request(ana: User, lucia: User | None) -> None:
    """A full partner (Voces Seguras) asks for relocation on the mission's case "Ceiba"."""
    ceiba = _case(ana, "Ceiba")
    if (
        lucia is None
        or ceiba is None
        or RelocationRequest.objects.owned_by(lucia.organisation).filter(case=ceiba).exists()
    ):
        return
    _relocation_consent(ceiba, ana)
    request_create(
        case=ceiba,
        acting_user=lucia,
        support=["shelter_city_stay", "short_stay_visa", "security_training"],
        urgency="urgent",
        languages="Spanish",
        family_members=1,
        medical_needs="None known.",
        digital_security_needs="Phone likely compromised: needs a clean device.",
        visa_plan="Short-stay multiple-entry visa through the fast-track procedure.",
        journey_security_plan="Leave from Cali, not Popayán; accompanied to the airport.",
        family_support_plan="Daughter (16) travels with her; school arranged remotely.",
        return_strategy="Return after the March hearing if the risk review allows.",
        submit=True,
    )


def _referrals(req: RelocationRequest, ana: User) -> None:
    """The approved request carried out: a visa referral to Norway, a stay in Maastricht."""
    norway = Organisation.objects.filter(code="NOR-CO").first()
    if norway is not None:
        visa_referral_create(
            relocation_request=req,
            mission=norway,
            visa_type="short_stay_multiple",
            nationality="CO",
            requested_on=timezone.localdate() - datetime.timedelta(days=6),
            note_for_mission="Passport valid until 2031. Urgent: threats since last week.",
            acting_user=ana,
        )
    maastricht = Organisation.objects.filter(code="SC-MAA").first()
    if maastricht is not None and programme_of(maastricht.pk) is not None:
        start = timezone.localdate() + datetime.timedelta(days=21)
        shelter_referral_create(
            relocation_request=req,
            city=maastricht,
            start=start,
            end=start + datetime.timedelta(days=89),
            acting_user=ana,
        )


@transaction.atomic
def seed() -> None:
    _programmes()
    _settings()
    nl_admin, ana, lucia = _user("nl.admin"), _user("ana.officer"), _user("lucia.caseworker")
    if ana is None or nl_admin is None:
        return
    _partner_request(ana, lucia)
    # The mission's own request on "Guayacán", approved and carried out.
    guayacan = _case(ana, "Guayacán")
    if (
        guayacan is None
        or RelocationRequest.objects.owned_by(ana.organisation).filter(case=guayacan).exists()
    ):
        return
    _relocation_consent(guayacan, ana)
    req = request_create(
        case=guayacan,
        acting_user=ana,
        support=["short_stay_visa", "shelter_city_stay"],
        urgency="emergency",
        languages="Spanish, English",
        visa_plan="Fast-track visa from the Norwegian embassy; Schengen entry via Amsterdam.",
        journey_security_plan="Direct flight; met at arrival by the city's coordinator.",
        return_strategy="Three months' respite, then return with protective measures.",
        submit=True,
    )
    for step in ("in_review", "approved"):
        request_transition(relocation_request=req, to_status=step, acting_user=nl_admin)
    _referrals(req, ana)
