"""REST shapes of diplomatic actions."""

from __future__ import annotations

import uuid
from typing import Any

from rest_framework import serializers

from hrdcase.dates import ApiDateField
from hrdcase.text import validate_single_line
from logbooks.models import (
    ActionParticipant,
    ActionStatus,
    ActionType,
    DiplomaticAction,
    HearingOutcome,
)
from logbooks.selectors.actions import next_hearing_visible


class ParticipantSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ActionParticipant
        fields = ["id", "organisation", "status", "invited_at", "answered_at"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    """``outcome`` is null when the viewer may not read it; ``case``/``case_pseudonym`` are
    null for an invited mission that does not follow the case."""

    organisation = serializers.CharField(source="organisation.name", read_only=True)
    outcome = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    case_pseudonym = serializers.SerializerMethodField()
    participants = ParticipantSerializer(many=True, read_only=True)
    allowed_transitions = serializers.ListField(child=serializers.CharField(), read_only=True)
    hearing = serializers.SerializerMethodField()
    entry = serializers.SerializerMethodField()

    class Meta:
        model = DiplomaticAction
        fields = [
            "id",
            "case",
            "case_pseudonym",
            "organisation",
            "type",
            "authority",
            "taken_on",
            "status",
            "allowed_transitions",
            "outcome",
            "outcome_shared",
            "milestone",
            "hearing",
            "attended",
            "hearing_outcome",
            "next_hearing_on",
            "entry",
            "participants",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"attended": {"allow_null": True}, "next_hearing_on": {"allow_null": True}}

    def _sees_case(self, obj: DiplomaticAction) -> bool:
        visible = self.context.get("visible_cases")
        return visible is not None and obj.case_id in visible

    def _outcome_visible(self, obj: DiplomaticAction) -> bool:
        user = self.context["request"].user
        return obj.outcome_visible_to(user, sees_case=self._sees_case(obj))

    def get_outcome(self, obj: DiplomaticAction) -> str | None:
        return obj.outcome if self._outcome_visible(obj) else None

    def _sees_full_file(self, obj: DiplomaticAction) -> bool:
        full = self.context.get("full_cases")
        return full is not None and obj.case_id in full

    def to_representation(self, instance: DiplomaticAction) -> dict[str, Any]:
        """What the hearing came to and the next hearing's date are part of the outcome:
        blank and null for a viewer who may not read it (``outcome_visible_to``). The next
        date is a hearing date besides, the full file's: the author's organisation and
        those who see the full file only (``next_hearing_visible``)."""
        data = super().to_representation(instance)
        outcome_visible = self._outcome_visible(instance)
        if not outcome_visible:
            data["hearing_outcome"] = ""
        if not next_hearing_visible(
            instance,
            self.context["request"].user,
            outcome_visible=outcome_visible,
            sees_full_file=self._sees_full_file(instance),
        ):
            data["next_hearing_on"] = None
        return data

    def get_case(self, obj: DiplomaticAction) -> str | None:
        return str(obj.case_id) if self._sees_case(obj) else None

    def get_case_pseudonym(self, obj: DiplomaticAction) -> str | None:
        return obj.case.pseudonym if self._sees_case(obj) else None

    def get_hearing(self, obj: DiplomaticAction) -> uuid.UUID | None:
        """The hearing observed, for those who see the case's full file (its court and date
        are out of a feedback partner's reach: docs/court.md); null otherwise."""
        return obj.hearing_id if self._sees_full_file(obj) else None

    def get_entry(self, obj: DiplomaticAction) -> uuid.UUID | None:
        """The quick-log entry recorded with it (its first version; the entry's own rule
        decides who may open it), for those who follow the case."""
        return obj.entry_id if self._sees_case(obj) else None


class ActionInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ActionType.choices)
    authority = serializers.CharField(max_length=200, validators=[validate_single_line])
    taken_on = ApiDateField()
    status = serializers.ChoiceField(
        choices=[ActionStatus.PLANNED, ActionStatus.DONE], default=ActionStatus.PLANNED
    )
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    outcome_shared = serializers.BooleanField(required=False, default=False)
    milestone = serializers.UUIDField(required=False, allow_null=True, default=None)
    # A trial observation's structured fields (issue 21, item 4).
    hearing = serializers.UUIDField(required=False, allow_null=True, default=None)
    attended = serializers.BooleanField(required=False, allow_null=True, default=None)
    hearing_outcome = serializers.ChoiceField(
        choices=HearingOutcome.choices, required=False, allow_blank=True, default=""
    )
    next_hearing_on = ApiDateField(required=False, allow_null=True, default=None)


class ActionTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ActionStatus.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default=None)
    outcome_shared = serializers.BooleanField(required=False, default=None, allow_null=True)


class ActionInviteSerializer(serializers.Serializer):
    organisation = serializers.UUIDField()


class ActionAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
