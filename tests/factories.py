"""factory-boy factories for the test suite."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from accounts.models import Organisation, ProtectionNetwork, Role, User

TEST_PASSWORD = "correct-horse-battery-staple-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    code = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organisation.Kind.MISSION
    country = "CO"
    represented_state = "NL"
    group = factory.LazyAttribute(lambda o: Group.objects.create(name=f"org:{o.code}"))


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectionNetwork
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Network {n}")
    country = "CO"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def join_group(self, create, extracted, **kwargs):
        if create:
            self.save()
            if self.organisation_id:
                self.groups.add(self.organisation.group)


class DefenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Defender"

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "individual"
    legal_name = factory.Faker("name")
    country = "CO"
    name_index = factory.LazyAttribute(
        lambda d: __import__("hrdcase.crypto", fromlist=["blind_index"]).blind_index(
            d.legal_name, scope=str(d.country)
        )
    )


class CaseFactory(factory.django.DjangoModelFactory):
    """A case of ``organisation`` (default: a new one) about a new defender of the same one."""

    class Meta:
        model = "cases.Case"

    organisation = factory.SubFactory(OrganisationFactory)
    defender = factory.SubFactory(
        DefenderFactory, organisation=factory.SelfAttribute("..organisation")
    )
    reference = factory.Sequence(lambda n: f"TST-2026-{n:04d}")
    pseudonym = factory.Sequence(lambda n: f"Ceiba {n}")
    opened_on = factory.LazyFunction(lambda: __import__("datetime").date(2026, 3, 1))
    summary = "Threatened after reporting on land grabs."


def share_case(case, partner, level="full", *, acting_user=None):
    """Record the defender's consent to share with ``partner`` and share at ``level``, as an
    officer of the owner would."""
    import datetime

    from cases.models import Consent
    from cases.services.consent import consent_record
    from cases.services.sharing import case_share

    acting_user = acting_user or UserFactory(organisation=case.organisation, role=Role.OFFICER)
    consent_record(
        case=case,
        scope=Consent.Scope.SHARE_ORGANISATION,
        partner=partner,
        given_on=datetime.date(2026, 3, 2),
        method=Consent.Method.IN_PERSON,
        acting_user=acting_user,
    )
    if level == "relocation":
        consent_record(
            case=case,
            scope=Consent.Scope.RELOCATION,
            given_on=datetime.date(2026, 3, 2),
            method=Consent.Method.IN_PERSON,
            acting_user=acting_user,
        )
    return case_share(
        case=case, partner=partner, level=level, reason="Joint follow-up", acting_user=acting_user
    )


# --- incidents and detention (cases/models/incident.py) --------------------------------------


def _days_ago(days: int):
    import datetime

    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=days)


class IncidentFactory(factory.django.DjangoModelFactory):
    """An incident on ``case`` (default: a new case), recorded by an officer of its owner."""

    class Meta:
        model = "cases.Incident"

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    occurred_on = factory.LazyFunction(lambda: _days_ago(10))
    type = "threat"
    perpetrator = "state"
    place = "Near the community radio"
    description = "Armed men asked for her at the radio station."
    recorded_by = factory.LazyAttribute(
        lambda i: UserFactory(organisation=i.case.organisation, role=Role.OFFICER)
    )


def record_detention(case=None, *, acting_user=None, detained_since=None, **fields):
    """An arbitrary-detention incident on ``case`` with its detention recorded through the
    service, so its benchmark plan is generated from the owner's template."""
    from cases.services.detention import detention_record

    case = case or CaseFactory()
    acting_user = acting_user or UserFactory(organisation=case.organisation, role=Role.OFFICER)
    incident = IncidentFactory(
        case=case,
        type="arbitrary_detention",
        recorded_by=acting_user,
        **({"occurred_on": detained_since} if detained_since else {}),
    )
    return detention_record(
        incident=incident,
        acting_user=acting_user,
        detained_since=detained_since,
        place=fields.pop("place", "Central prison, block C"),
        charges=fields.pop("charges", "Rebellion"),
        lawyer=fields.pop("lawyer", "Ana Lawyer, +57 300 000 0000"),
    )


def _risk_result(assessment):
    from cases.models.risk import compute_risk

    return compute_risk(
        {
            d: (
                getattr(assessment, f"{d}_likelihood"),
                getattr(assessment, f"{d}_impact"),
                getattr(assessment, f"{d}_capacity"),
            )
            for d in ("physical", "digital", "psychosocial")
        }
    )


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    """The next version of ``case``'s risk assessment, its level computed by the formula.

    Goes around the service, so the case's level does not follow: tests of that behaviour
    call ``cases.services.risk.risk_assessment_create``. Its next review date does (the case
    keeps the latest one, ``Case.risk_review_on``: what "due for review" reads)."""

    class Meta:
        model = "cases.RiskAssessment"
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    version = factory.LazyAttribute(lambda o: o.case.assessments.count() + 1)
    assessed_on = factory.LazyFunction(lambda: __import__("datetime").date(2026, 3, 10))
    assessed_by = factory.LazyAttribute(
        lambda o: UserFactory(organisation=o.case.organisation, role=Role.OFFICER)
    )
    threats = "Smear campaign naming the defender; men watching the office."
    vulnerabilities = "Lives alone near the plantation; uses an unencrypted phone."
    capacities = "Strong community network; lawyer on call."
    physical_likelihood = 4
    physical_impact = 4
    physical_capacity = "partial"
    digital_likelihood = 3
    digital_impact = 3
    digital_capacity = "limited"
    psychosocial_likelihood = 2
    psychosocial_impact = 3
    psychosocial_capacity = "strong"
    score = factory.LazyAttribute(lambda o: _risk_result(o).score)
    level = factory.LazyAttribute(lambda o: _risk_result(o).level)
    mitigation = "Accompaniment to hearings; secure phone."
    next_review_date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 6, 10))

    @factory.post_generation
    def case_review_on(self, create, extracted, **kwargs):
        if create and not self.case.assessments.filter(version__gt=self.version).exists():
            type(self.case).objects.unscoped().filter(pk=self.case_id).update(
                risk_review_on=self.next_review_date
            )
            self.case.risk_review_on = self.next_review_date
