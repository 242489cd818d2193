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
