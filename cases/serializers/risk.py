"""API shapes of risk assessments and of the case's risk level. Serializers validate; the
services write."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import Case, RiskAssessment, RiskLevel
from cases.models.case import NARRATIVE_MAX_LENGTH, OVERRIDE_REASON_MAX_LENGTH
from cases.models.risk import SCALE_MAX, SCALE_MIN, Capacity
from hrdcase.dates import ApiDateField


class DimensionScoreSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    likelihood = serializers.IntegerField()
    impact = serializers.IntegerField()
    capacity = serializers.CharField()
    capacity_percent = serializers.IntegerField()
    raw = serializers.IntegerField(help_text="likelihood x impact")
    score = serializers.IntegerField(help_text="ceil(raw x capacity_percent / 100), at least 1")
    level = serializers.CharField()


class RiskAssessmentSerializer(serializers.ModelSerializer):
    """One version, with its scores per dimension (see cases.models.risk)."""

    case = serializers.UUIDField(source="case_id", read_only=True)
    assessed_by = serializers.SerializerMethodField()
    dimensions = serializers.SerializerMethodField()

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "case",
            "version",
            "assessed_on",
            "assessed_by",
            "threats",
            "vulnerabilities",
            "capacities",
            "physical_likelihood",
            "physical_impact",
            "physical_capacity",
            "digital_likelihood",
            "digital_impact",
            "digital_capacity",
            "psychosocial_likelihood",
            "psychosocial_impact",
            "psychosocial_capacity",
            "dimensions",
            "score",
            "level",
            "formula_version",
            "mitigation",
            "next_review_date",
            "created_at",
        ]
        read_only_fields = fields

    def get_assessed_by(self, assessment) -> dict:
        user = assessment.assessed_by
        return {"id": str(user.pk), "name": user.full_name or user.email}

    def get_dimensions(self, assessment) -> list[dict]:
        return DimensionScoreSerializer(assessment.result().dimensions, many=True).data


def _rating() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=SCALE_MIN, max_value=SCALE_MAX)


def _narrative(*, required: bool) -> serializers.CharField:
    return serializers.CharField(
        max_length=NARRATIVE_MAX_LENGTH, required=required, allow_blank=not required
    )


class RiskAssessmentCreateSerializer(serializers.Serializer):
    """A new version. Field names are the service's keyword arguments."""

    assessed_on = ApiDateField()
    threats = _narrative(required=True)
    vulnerabilities = _narrative(required=True)
    capacities = _narrative(required=False)
    physical_likelihood = _rating()
    physical_impact = _rating()
    physical_capacity = serializers.ChoiceField(choices=Capacity.choices)
    digital_likelihood = _rating()
    digital_impact = _rating()
    digital_capacity = serializers.ChoiceField(choices=Capacity.choices)
    psychosocial_likelihood = _rating()
    psychosocial_impact = _rating()
    psychosocial_capacity = serializers.ChoiceField(choices=Capacity.choices)
    mitigation = _narrative(required=False)
    next_review_date = ApiDateField()


class CaseRiskSerializer(serializers.ModelSerializer):
    """The level in force on the case and where it comes from."""

    case = serializers.UUIDField(source="pk", read_only=True)
    overridden = serializers.BooleanField(source="risk_overridden", read_only=True)

    class Meta:
        model = Case
        fields = ["case", "risk_level", "risk_assessed_level", "overridden", "risk_override_reason"]
        read_only_fields = fields


class RiskOverrideSerializer(serializers.Serializer):
    """``risk_level`` with a reason overrides; an empty ``risk_level`` returns to the assessed
    level."""

    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, allow_blank=True)
    risk_override_reason = serializers.CharField(
        max_length=OVERRIDE_REASON_MAX_LENGTH, allow_blank=True, default=""
    )
