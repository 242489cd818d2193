"""Fictional demo cases (``manage.py seed_demo``): every name here is invented."""

from __future__ import annotations

import datetime

from django.db import transaction

from accounts.models import Organisation, ProtectionNetwork, User
from cases.models import AreaOfWork, Case, Consent, ThreatType
from cases.services.case import DefenderIdentity, case_register
from cases.services.consent import consent_record
from cases.services.sharing import case_share

DEMO_CASES = [
    # owner officer, pseudonym, identity, areas, threats, summary, shares [(org code, level)]
    (
        "ana.officer",
        "Ceiba",
        DefenderIdentity(
            kind="individual",
            legal_name="Mariela Quintero Ruiz",
            country="CO",
            location="Cauca",
            gender="woman",
        ),
        ["environment_land", "women_hrd"],
        ["threats", "smear"],
        "Community leader opposing an open-pit mine; death threats by pamphlet since January.",
        [("VOCES", "full"), ("NOR-CO", "feedback")],
    ),
    (
        "ana.officer",
        "Guayacán",
        DefenderIdentity(
            kind="individual",
            legal_name="Tomás Arango Leal",
            country="CO",
            location="Bogotá",
            gender="man",
        ),
        ["journalist"],
        ["judicial", "surveillance"],
        "Investigative journalist charged with defamation after reporting on land grabs; "
        "spyware suspected.",
        [],
    ),
    (
        "ana.officer",
        "Frailejón",
        DefenderIdentity(
            kind="collective",
            legal_name="Asociación Campesina del Alto Sinú",
            country="CO",
            member_count=140,
        ),
        ["environment_land", "indigenous"],
        ["threats", "eviction"],
        "Peasant association facing eviction; collective protection measures requested.",
        [("NLD-MFA", "feedback")],
    ),
    (
        "ola.officer",
        "Orquídea",
        # the same defender as "Ceiba", followed by Norway too: the duplicate hint shows.
        DefenderIdentity(
            kind="individual", legal_name="QUINTERO RUIZ, Mariela", country="CO", gender="woman"
        ),
        ["environment_land"],
        ["threats"],
        "Met at a trial observation in Popayán.",
        [],
    ),
    (
        "lucia.caseworker",
        "Yarumo",
        DefenderIdentity(
            kind="individual", legal_name="Esteban Molina Paz", country="CO", location="Chocó"
        ),
        ["lawyer"],
        ["detention", "judicial"],
        "Lawyer of displaced communities, detained since March on rebellion charges.",
        [("NLD-CO", "full")],
    ),
]


#: a court proceeding of a demo case (pseudonym: court, the defender's role, charges), with a
#: hearing in five days that nobody is planned to observe yet (docs/court.md).
DEMO_PROCEEDINGS = {
    "Yarumo": (
        "Juzgado 2 penal especializado de Quibdó",
        "defendant",
        "Rebellion (art. 467); charges the defence calls retaliation for land claims.",
    ),
}


def _seed_proceeding(case: Case, officer: User) -> None:
    from django.utils import timezone

    from cases.services.court import hearing_schedule, proceeding_create

    court, role, charges = DEMO_PROCEEDINGS[case.pseudonym]
    proceeding = proceeding_create(
        case=case, court=court, defender_role=role, charges=charges, acting_user=officer
    )
    hearing_schedule(
        proceeding=proceeding,
        date=timezone.localdate() + datetime.timedelta(days=5),
        acting_user=officer,
    )


@transaction.atomic
def seed() -> None:
    """Open the demo cases that do not exist yet (by pseudonym per organisation)."""
    for email_local, pseudonym, identity, areas, threats, summary, shares in DEMO_CASES:
        officer = User.objects.filter(email__startswith=email_local + "@").first()
        if (
            officer is None
            or Case.objects.owned_by(officer.organisation).filter(pseudonym=pseudonym).exists()
        ):
            continue
        case = case_register(
            identity=identity,
            pseudonym=pseudonym,
            acting_user=officer,
            areas_of_work=list(AreaOfWork.objects.filter(code__in=areas)),
            threat_types=list(ThreatType.objects.filter(code__in=threats)),
            summary=summary,
            opened_on=datetime.date(2026, 2, 2),
        )
        network = ProtectionNetwork.objects.filter(members=officer.organisation).first()
        if network is not None:
            consent_record(
                case=case,
                scope=Consent.Scope.SHARE_NETWORK,
                network=network,
                given_on=datetime.date(2026, 2, 2),
                method=Consent.Method.IN_PERSON,
                acting_user=officer,
            )
        for code, level in shares:
            partner = Organisation.objects.get(code=code)
            if network is None or not network.members.filter(pk=partner.pk).exists():
                consent_record(
                    case=case,
                    scope=Consent.Scope.SHARE_ORGANISATION,
                    partner=partner,
                    given_on=datetime.date(2026, 2, 3),
                    method=Consent.Method.SECURE_MESSAGE,
                    acting_user=officer,
                )
            case_share(
                case=case,
                partner=partner,
                level=level,
                reason="Demo: joint follow-up",
                acting_user=officer,
            )
        if pseudonym in DEMO_PROCEEDINGS:
            _seed_proceeding(case, officer)
