"""Fictional demo organisations, networks and users for the embedded mode.

Every name here is invented. Later features add their demo records by extending
``seed_demo`` through their own modules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts import services
from accounts.models import Organisation, ProtectionNetwork, Role, User

DEMO_PASSWORD = "demo-hrdcase-2026"  # noqa: S105  (printed to the operator; embedded mode only)


@dataclass(frozen=True)
class DemoOrg:
    code: str
    name: str
    kind: str
    country: str
    represented_state: str = ""
    time_zone: str = "UTC"


BOGOTA = "America/Bogota"
AMSTERDAM = "Europe/Amsterdam"
SAN_JOSE = "America/Costa_Rica"

ORGANISATIONS = [
    DemoOrg("NLD-CO", "Embassy of the Netherlands in Bogotá", "mission", "CO", "NL", BOGOTA),
    DemoOrg("NOR-CO", "Embassy of Norway in Bogotá", "mission", "CO", "NO", BOGOTA),
    DemoOrg("NLD-MFA", "Netherlands MFA, Human Rights Desk", "capital", "NL", "NL", AMSTERDAM),
    DemoOrg("VOCES", "Voces Seguras (NGO)", "ngo", "CO", time_zone=BOGOTA),
    DemoOrg("ANDES", "Andes Defenders Fund (NGO)", "ngo", "CO", time_zone=BOGOTA),
    DemoOrg("SC-MAA", "Shelter City Maastricht", "shelter_city", "NL", time_zone=AMSTERDAM),
    DemoOrg("SC-SJO", "Shelter City San José", "shelter_city", "CR", time_zone=SAN_JOSE),
    DemoOrg("SC-SEC", "Shelter City network secretariat", "secretariat", "NL", time_zone=AMSTERDAM),
]

NETWORKS = {
    "Like-minded missions in Colombia": ("CO", ["NLD-CO", "NOR-CO", "NLD-MFA"]),
    "Shelter City network": ("", ["SC-MAA", "SC-SJO", "SC-SEC"]),
}

# (email local part, organisation code, role)
USERS = [
    ("ana.officer", "NLD-CO", Role.OFFICER),
    ("nl.admin", "NLD-CO", Role.ADMIN),
    ("nl.viewer", "NLD-CO", Role.VIEWER),
    ("ola.officer", "NOR-CO", Role.OFFICER),
    ("no.admin", "NOR-CO", Role.ADMIN),
    ("desk.coordinator", "NLD-MFA", Role.COORDINATOR),
    ("desk.admin", "NLD-MFA", Role.ADMIN),
    ("lucia.caseworker", "VOCES", Role.OFFICER),
    ("voces.admin", "VOCES", Role.ADMIN),
    ("andes.caseworker", "ANDES", Role.OFFICER),
    ("maastricht.staff", "SC-MAA", Role.OFFICER),
    ("maastricht.admin", "SC-MAA", Role.ADMIN),
    ("sanjose.staff", "SC-SJO", Role.OFFICER),
    ("secretariat.coordinator", "SC-SEC", Role.COORDINATOR),
]

EMAIL_DOMAIN = "demo.hrdcase.test"


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Create what is missing (idempotent); returns (email, organisation, role) rows."""
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisation = Organisation.objects.filter(code=spec.code).first()
        if organisation is None:
            organisation = services.organisation_create(
                name=spec.name,
                code=spec.code,
                kind=spec.kind,
                country=spec.country,
                represented_state=spec.represented_state,
                time_zone=spec.time_zone,
            )
        organisations[spec.code] = organisation

    for name, (country, codes) in NETWORKS.items():
        network, _ = ProtectionNetwork.objects.get_or_create(
            name=name, defaults={"country": country}
        )
        network.members.add(*(organisations[code] for code in codes))

    rows = []
    for local, code, role in USERS:
        email = f"{local}@{EMAIL_DOMAIN}"
        organisation = organisations[code]
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=local.replace(".", " ").title(),
                organisation=organisation,
                role=role,
            )
            user.groups.add(organisation.group)
        rows.append((email, organisation.name, role.label))

    staff_email = f"platform.staff@{EMAIL_DOMAIN}"
    if not User.objects.filter(email=staff_email).exists():
        User.objects.create_superuser(staff_email, DEMO_PASSWORD, full_name="Platform Staff")
    rows.append((staff_email, "(platform staff)", "Django admin"))
    return rows
