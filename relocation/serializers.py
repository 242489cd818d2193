"""API representations. Each addressee serializer carries what its decision needs, only:
the pseudonym, never the case's identity, summary, risk or logbook."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation
from hrdcase.dates import ApiDateField
from hrdcase.text import validate_single_line
from relocation.models import (
    GrantPurpose,
    GrantRequest,
    RelocationRequest,
    RequestStatus,
    RequestTransition,
    ShelterReferral,
    Support,
    Urgency,
    VisaReferral,
)


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.full_name", read_only=True)

    class Meta:
        model = RequestTransition
        fields = ["from_status", "to_status", "actor", "reason", "at"]
        read_only_fields = fields


class RelocationRequestSerializer(serializers.ModelSerializer):
    pseudonym = serializers.CharField(source="case.pseudonym", read_only=True)
    requester = serializers.CharField(source="organisation.name", read_only=True)
    reviewer = serializers.CharField(source="reviewer.name", read_only=True)

    class Meta:
        model = RelocationRequest
        fields = [
            "id",
            "case",
            "pseudonym",
            "requester",
            "reviewer",
            "status",
            "support",
            "urgency",
            "window_start",
            "window_end",
            "languages",
            "family_members",
            "created_at",
            "status_changed_at",
        ]
        read_only_fields = fields


class RelocationRequestDetailSerializer(RelocationRequestSerializer):
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta(RelocationRequestSerializer.Meta):
        fields = [
            *RelocationRequestSerializer.Meta.fields,
            "medical_needs",
            "accessibility_needs",
            "digital_security_needs",
            "visa_plan",
            "journey_security_plan",
            "family_support_plan",
            "return_strategy",
            "transitions",
        ]
        read_only_fields = fields


class RelocationRequestCreateSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    support = serializers.ListField(
        child=serializers.ChoiceField(choices=Support.choices), allow_empty=False
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.URGENT)
    window_start = ApiDateField(required=False, allow_null=True)
    window_end = ApiDateField(required=False, allow_null=True)
    languages = serializers.CharField(
        required=False, allow_blank=True, max_length=200, validators=[validate_single_line]
    )
    family_members = serializers.IntegerField(required=False, min_value=0, max_value=20, default=0)
    medical_needs = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    accessibility_needs = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    digital_security_needs = serializers.CharField(
        required=False, allow_blank=True, max_length=4000
    )
    visa_plan = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    journey_security_plan = serializers.CharField(
        required=False, allow_blank=True, max_length=10000
    )
    family_support_plan = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    return_strategy = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    submit = serializers.BooleanField(required=False, default=False)


class TransitionInputSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=RequestStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class VisaReferralSerializer(serializers.ModelSerializer):
    """What the mission's visa decision needs, and the decision."""

    pseudonym = serializers.CharField(source="case.pseudonym", read_only=True)
    referred_by = serializers.CharField(source="organisation.name", read_only=True)
    mission_name = serializers.CharField(source="mission.name", read_only=True)
    family_members = serializers.IntegerField(source="request.family_members", read_only=True)
    nationality = serializers.CharField(read_only=True)

    class Meta:
        model = VisaReferral
        fields = [
            "id",
            "pseudonym",
            "referred_by",
            "mission",
            "mission_name",
            "visa_type",
            "nationality",
            "family_members",
            "requested_on",
            "deadline",
            "note_for_mission",
            "status",
            "decision_reason",
            "decided_at",
            "valid_from",
            "valid_until",
            "multiple_entries",
        ]
        read_only_fields = fields


class VisaListFiltersSerializer(serializers.Serializer):
    """The visa list's query parameters: an unknown value, or a NUL character (which
    PostgreSQL refuses: a 500), is a 400 naming the parameter."""

    side = serializers.ChoiceField(
        choices=[("queue", "queue")],
        required=False,
        allow_blank=True,
        help_text="queue: the referrals addressed to your mission (default: all yours)",
    )
    status = serializers.ChoiceField(
        choices=VisaReferral.Status.choices,
        required=False,
        allow_blank=True,
        help_text="with side=queue: this status only (default pending; empty: every status)",
    )


class VisaReferralCreateSerializer(serializers.Serializer):
    request = serializers.UUIDField()
    mission = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.MISSION)
    )
    visa_type = serializers.ChoiceField(choices=VisaReferral.VisaType.choices)
    requested_on = ApiDateField(required=False, allow_null=True)
    nationality = serializers.CharField(required=False, allow_blank=True, max_length=2)
    note_for_mission = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class VisaDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["granted", "refused"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    valid_from = ApiDateField(required=False, allow_null=True)
    valid_until = ApiDateField(required=False, allow_null=True)
    multiple_entries = serializers.BooleanField(required=False, default=True)


class ShelterReferralSerializer(serializers.ModelSerializer):
    """What the city needs: pseudonym, dates, needs and languages (never the identity; the
    identity has its own page, after acceptance and with consent)."""

    pseudonym = serializers.CharField(source="case.pseudonym", read_only=True)
    referred_by = serializers.CharField(source="organisation.name", read_only=True)
    city_name = serializers.CharField(source="city.name", read_only=True)
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
            "answer_reason",
            "answered_at",
            "arrived_on",
            "returned_on",
            "languages",
            "family_members",
            "medical_needs",
            "accessibility_needs",
            "digital_security_needs",
        ]
        read_only_fields = fields


class ShelterListSerializer(ShelterReferralSerializer):
    """The list leaves the encrypted needs out (one decryption per row saved)."""

    class Meta(ShelterReferralSerializer.Meta):
        fields = [
            f
            for f in ShelterReferralSerializer.Meta.fields
            if f not in ("medical_needs", "accessibility_needs", "digital_security_needs")
        ]
        read_only_fields = fields


class ShelterAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["accepted", "waitlisted", "declined"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class StayDatesSerializer(serializers.Serializer):
    start = ApiDateField(required=False, allow_null=True)
    end = ApiDateField(required=False, allow_null=True)


class DaySerializer(serializers.Serializer):
    day = ApiDateField(required=False, allow_null=True)


class GrantRequestSerializer(serializers.ModelSerializer):
    pseudonym = serializers.CharField(source="case.pseudonym", read_only=True)
    requested_by = serializers.CharField(source="organisation.name", read_only=True)
    grantor_name = serializers.CharField(source="grantor.name", read_only=True)

    class Meta:
        model = GrantRequest
        fields = [
            "id",
            "pseudonym",
            "requested_by",
            "grantor",
            "grantor_name",
            "purpose",
            "amount",
            "currency",
            "justification",
            "status",
            "decision_reason",
            "decided_at",
            "disbursed_on",
        ]
        read_only_fields = fields


class GrantCreateSerializer(serializers.Serializer):
    request = serializers.UUIDField()
    grantor = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    purpose = serializers.ChoiceField(choices=GrantPurpose.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField(max_length=3)
    justification = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class GrantDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approved", "declined"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class ShelterCreateSerializer(serializers.Serializer):
    request = serializers.UUIDField()
    city = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.SHELTER_CITY)
    )
    start = ApiDateField()
    end = ApiDateField()
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
