"""API representations of shelter referrals: what the city needs, the requester's proposal,
the city's answer and the dates it confirms."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation
from hrdcase.dates import ApiDateField
from relocation.models import REQUEST_NEEDS, ShelterReferral
from relocation.serializers.referral import pseudonym_field, reason_field


class ShelterReferralSerializer(serializers.ModelSerializer):
    """What the city needs: pseudonym, dates, needs and languages (never the identity; the
    identity has its own page, after acceptance and with consent)."""

    pseudonym = pseudonym_field()
    referred_by = serializers.CharField(source="organisation.name", read_only=True)
    city_name = serializers.CharField(source="city.name", read_only=True)
    #: the request's urgency; ``due_at``: the deadline of the addressee's answer (issue 20).
    urgency = serializers.CharField(source="request.urgency", read_only=True)
    languages = serializers.CharField(source="request.languages", read_only=True)
    family_members = serializers.IntegerField(source="request.family_members", read_only=True)
    medical_needs = serializers.CharField(source="request.medical_needs", read_only=True)
    accessibility_needs = serializers.CharField(
        source="request.accessibility_needs", read_only=True
    )
    digital_security_needs = serializers.CharField(
        source="request.digital_security_needs", read_only=True
    )

    class Meta:
        model = ShelterReferral
        fields = [
            "id",
            "pseudonym",
            "referred_by",
            "city",
            "city_name",
            "start",
            "end",
            "override_reason",
            "status",
            "urgency",
            "due_at",
            "answer_reason",
            "answered_at",
            "arrived_on",
            "returned_on",
            "languages",
            "family_members",
            *REQUEST_NEEDS,
        ]
        read_only_fields = fields


class ShelterListSerializer(ShelterReferralSerializer):
    """The list leaves the encrypted needs out (one decryption per row saved)."""

    class Meta(ShelterReferralSerializer.Meta):
        fields = [f for f in ShelterReferralSerializer.Meta.fields if f not in REQUEST_NEEDS]
        read_only_fields = fields


class ShelterCreateSerializer(serializers.Serializer):
    request = serializers.UUIDField()
    city = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.SHELTER_CITY)
    )
    start = ApiDateField()
    end = ApiDateField()
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ShelterAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["accepted", "waitlisted", "declined"])
    reason = reason_field()


class StayDatesSerializer(serializers.Serializer):
    start = ApiDateField(required=False, allow_null=True)
    end = ApiDateField(required=False, allow_null=True)
