"""REST shapes of the logbooks API. Input serializers check shape; the services check rules."""

from __future__ import annotations

from rest_framework import serializers

from hrdcase.dates import ApiDateField, ApiDateTimeField
from hrdcase.text import validate_single_line
from logbooks.models import (
    ActionParticipant,
    ActionStatus,
    ActionType,
    Attachment,
    DiplomaticAction,
    EntryKind,
    LogEntry,
    Visibility,
)


def _person(user) -> str:
    return user.full_name or user.email


class AttachmentSerializer(serializers.ModelSerializer):
    filename = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "entry", "filename", "content_type", "size", "sha256", "created_at"]
        fields += ["download_url"]
        read_only_fields = fields

    def get_filename(self, obj: Attachment) -> str:
        return obj.filename or ""

    def get_download_url(self, obj: Attachment) -> str:
        from django.urls import reverse

        return reverse("api:logbook-attachment-download", kwargs={"pk": obj.pk})


class EntrySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = LogEntry
        fields = [
            "id",
            "case",
            "organisation",
            "author",
            "occurred_at",
            "kind",
            "summary",
            "visibility",
            "follow_up_on",
            "milestone",
            "version",
            "version_of",
            "supersedes",
            "is_current",
            "created_at",
        ]
        read_only_fields = fields

    def get_author(self, obj: LogEntry) -> str:
        return _person(obj.author)


class InboxEntrySerializer(EntrySerializer):
    is_unread = serializers.BooleanField(read_only=True)
    case_pseudonym = serializers.CharField(source="case.pseudonym", read_only=True)

    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "is_unread", "case_pseudonym"]
        read_only_fields = fields


class EntryInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    summary = serializers.CharField(max_length=20_000, trim_whitespace=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.INTERNAL)
    occurred_at = ApiDateTimeField(required=False, allow_null=True, default=None)
    follow_up_on = ApiDateField(required=False, allow_null=True, default=None)


class EntryCreateSerializer(EntryInputSerializer):
    milestone = serializers.UUIDField(required=False, allow_null=True, default=None)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)


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
            "participants",
            "created_at",
        ]
        read_only_fields = fields

    def _sees_case(self, obj: DiplomaticAction) -> bool:
        visible = self.context.get("visible_cases")
        return visible is not None and obj.case_id in visible

    def get_outcome(self, obj: DiplomaticAction) -> str | None:
        user = self.context["request"].user
        return obj.outcome if obj.outcome_visible_to(user, sees_case=self._sees_case(obj)) else None

    def get_case(self, obj: DiplomaticAction) -> str | None:
        return str(obj.case_id) if self._sees_case(obj) else None

    def get_case_pseudonym(self, obj: DiplomaticAction) -> str | None:
        return obj.case.pseudonym if self._sees_case(obj) else None


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


class ActionTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ActionStatus.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default=None)
    outcome_shared = serializers.BooleanField(required=False, default=None, allow_null=True)


class ActionInviteSerializer(serializers.Serializer):
    organisation = serializers.UUIDField()


class ActionAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
