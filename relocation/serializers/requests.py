"""API representations of relocation requests and their steps."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
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
from relocation.selectors.requests import Standing, standings
from relocation.serializers.referral import pseudonym_field, reason_field


def actor_shown(step: RequestTransition, relocation_request: RelocationRequest) -> bool:
    """Whether the person who took a step is named with it: a member of the requester or the
    reviewer. A request that completes by itself does so on an addressee's answer (a mission,
    a city, a grantor), whose staff the request's sides are never told the names of."""
    return step.actor.organisation_id in (
        relocation_request.organisation_id,
        relocation_request.reviewer_id,
    )


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_actor(self, obj: RequestTransition) -> str:
        """Who took the step; empty when it was taken by itself (see ``actor_shown``)."""
        relocation_request = getattr(self.root, "instance", None)
        if not isinstance(relocation_request, RelocationRequest):
            relocation_request = obj.request
        return obj.actor.full_name if actor_shown(obj, relocation_request) else ""

    class Meta:
        model = RequestTransition
        fields = ["from_status", "to_status", "actor", "reason", "at"]
        read_only_fields = fields


class WaitingSerializer(serializers.Serializer):
    """An answer a request waits for: from whom, which step, due when (or null)."""

    who = serializers.CharField(read_only=True)
    step = serializers.CharField(read_only=True)
    due = serializers.CharField(read_only=True, allow_null=True)


class ReferralStatusSerializer(serializers.Serializer):
    """A referral of the request: its kind (``visa_referrals``, ``shelter_referrals``,
    ``grants``), addressee and status."""

    kind = serializers.CharField(read_only=True)
    addressee = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(read_only=True)


def _standing(obj: RelocationRequest) -> Standing:
    """The request's standing: set on every row of a list page by the viewset (one query per
    kind of referral for the page), read here for a single request."""
    found = getattr(obj, "standing", None)
    if found is None:
        found = standings([obj])[obj.pk]
        obj.standing = found
    return found


class RelocationRequestSerializer(serializers.ModelSerializer):
    pseudonym = pseudonym_field()
    requester = serializers.CharField(source="organisation.name", read_only=True)
    reviewer = serializers.CharField(source="reviewer.name", read_only=True)
    waiting_for_text = serializers.SerializerMethodField()
    waiting_for = serializers.SerializerMethodField()
    referrals = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_waiting_for_text(self, obj: RelocationRequest) -> str:
        """``Waiting for: <organisation> (<step>, due <deadline>); …`` or empty."""
        return _standing(obj).text

    @extend_schema_field(WaitingSerializer(many=True))
    def get_waiting_for(self, obj: RelocationRequest) -> list[dict]:
        return [
            {
                "who": item.who,
                "step": item.step,
                "due": item.due.isoformat() if item.due is not None else None,
            }
            for item in _standing(obj).waiting
        ]

    @extend_schema_field(ReferralStatusSerializer(many=True))
    def get_referrals(self, obj: RelocationRequest) -> list[dict]:
        return [
            {
                "kind": line.kind,
                "addressee": line.addressee,
                "status": line.status,
                "status_label": line.status_label,
            }
            for line in _standing(obj).referrals
        ]

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
            "waiting_for_text",
            "waiting_for",
            "referrals",
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
