"""API shapes of court proceedings, their hearings and observers. Input serializers validate
types and choices (an unknown enum is a 400 naming the field); the services decide."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import (
    DefenderRole,
    Hearing,
    HearingObserver,
    ObserverStatus,
    Proceeding,
    ProceedingStatus,
)
from hrdcase.dates import ApiDateField


class ObserverSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    observer = serializers.UUIDField(source="observer_id", read_only=True, allow_null=True)
    observer_name = serializers.SerializerMethodField()

    class Meta:
        model = HearingObserver
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "observer",
            "observer_name",
            "status",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_observer_name(self, row: HearingObserver) -> str | None:
        if row.observer is None:
            return None
        return row.observer.full_name or row.observer.email


class CourtHearingSerializer(serializers.ModelSerializer):
    proceeding = serializers.UUIDField(source="proceeding_id", read_only=True, allow_null=True)
    detention = serializers.UUIDField(source="detention_id", read_only=True, allow_null=True)
    observers = ObserverSerializer(many=True, read_only=True)

    class Meta:
        model = Hearing
        fields = [
            "id",
            "proceeding",
            "detention",
            "date",
            "court",
            "note",
            "observers",
            "created_at",
        ]
        read_only_fields = fields


class ProceedingSerializer(serializers.ModelSerializer):
    hearings = CourtHearingSerializer(many=True, read_only=True)
    detentions: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Proceeding
        fields = [
            "id",
            "court",
            "case_number",
            "charges",
            "defender_role",
            "lawyer",
            "status",
            "detentions",
            "hearings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProceedingInputSerializer(serializers.Serializer):
    court = serializers.CharField(max_length=200)
    case_number = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    charges = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    defender_role = serializers.ChoiceField(
        choices=DefenderRole.choices, required=False, default=DefenderRole.DEFENDANT
    )
    lawyer = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=ProceedingStatus.choices, required=False, default=ProceedingStatus.OPEN
    )
    detention = serializers.UUIDField(required=False, allow_null=True, default=None)


class ProceedingUpdateSerializer(serializers.Serializer):
    """PATCH: only the fields sent change."""

    court = serializers.CharField(max_length=200, required=False)
    case_number = serializers.CharField(max_length=200, required=False, allow_blank=True)
    charges = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    defender_role = serializers.ChoiceField(choices=DefenderRole.choices, required=False)
    lawyer = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ProceedingStatus.choices, required=False)
    detention = serializers.UUIDField(required=False, allow_null=True)


class HearingScheduleSerializer(serializers.Serializer):
    date = ApiDateField()
    court = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ObserverPlanSerializer(serializers.Serializer):
    organisation = serializers.UUIDField()
    observer = serializers.UUIDField(required=False, allow_null=True, default=None)


class ObserverRecordSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ObserverStatus.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
