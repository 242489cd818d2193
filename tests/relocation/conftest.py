from __future__ import annotations

import pytest

from accounts.models import Organisation, Role
from tests.factories import CaseFactory, OrganisationFactory, UserFactory
from tests.relocation import factories as f


@pytest.fixture
def ngo(db):
    return OrganisationFactory(name="Defenders NGO", code="NGO", kind=Organisation.Kind.NGO)


@pytest.fixture
def ngo_officer(ngo):
    return UserFactory(organisation=ngo, role=Role.OFFICER, email="caseworker@ngo.example")


@pytest.fixture
def ngo_admin(ngo):
    return UserFactory(organisation=ngo, role=Role.ADMIN, email="admin@ngo.example")


@pytest.fixture
def case(ngo, ngo_officer):
    return CaseFactory(organisation=ngo, pseudonym="Ceiba")


@pytest.fixture
def consented_case(case, ngo_officer):
    f.give_relocation_consent(case, ngo_officer)
    return case


@pytest.fixture
def the_mission(db):
    return f.mission(name="Embassy of NL", code="NLE")


@pytest.fixture
def mission_officer(the_mission):
    return UserFactory(organisation=the_mission, role=Role.OFFICER, email="visa@nl.example")
