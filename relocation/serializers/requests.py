"""API representations of relocation requests and their steps."""

from __future__ import annotations

from rest_framework import serializers

from hrdcase.dates import ApiDateField
from hrdcase.text import validate_single_line
from relocation.models import (
    REQUEST_NEEDS,
    REQUEST_PLANS,
    RelocationRequest,
    RequestStatus,
    RequestTransition,
    Support,
    Urgency,
)
from relocation.serializers.referral import pseudonym_field, reason_field


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.full_name", read_only=True)

    class Meta:
        model = RequestTransition
        fields = ["from_status", "to_status", "actor", "reason", "at"]
        read_only_fields = fields


class RelocationRequestSerializer(serializers.ModelSerializer):
    pseudonym = pseudonym_field()
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
            *REQUEST_NEEDS,
            *REQUEST_PLANS,
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
    reason = reason_field()
