"""API shapes of detentions, hearings and benchmark milestones. Input serializers validate
types and choices (an unknown enum is a 400 naming the field); the services decide."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from cases.models import BenchmarkMilestone, Detention, Hearing
from hrdcase.dates import ApiDateField


class HearingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["id", "date", "court", "note", "created_at"]
        read_only_fields = fields


class HearingInputSerializer(serializers.Serializer):
    date = ApiDateField()
    court = serializers.CharField(max_length=200)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MilestoneSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = BenchmarkMilestone
        fields = [
            "id",
            "kind",
            "title",
            "due_on",
            "hearing",
            "requires_public_consent",
            "status",
            "overdue",
            "done_at",
            "note",
            "evidence_ref",
        ]
        read_only_fields = fields

    def get_overdue(self, milestone: BenchmarkMilestone) -> bool:
        return milestone.is_overdue_on(timezone.localdate())


class MilestoneDoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    evidence_ref = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )


class DetentionSerializer(serializers.ModelSerializer):
    hearings = HearingSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Detention
        fields = [
            "id",
            "incident",
            "detained_since",
            "released_on",
            "place",
            "charges",
            "lawyer",
            "hearings",
            "milestones",
        ]
        read_only_fields = fields


class DetentionInputSerializer(serializers.Serializer):
    detained_since = ApiDateField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    charges = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    lawyer = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class DetentionUpdateSerializer(serializers.Serializer):
    """PATCH: only the fields sent change."""

    place = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    charges = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    lawyer = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    released_on = ApiDateField(required=False, allow_null=True)
