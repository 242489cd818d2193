"""REST shapes of logbook entries."""

from __future__ import annotations

from rest_framework import serializers

from hrdcase.dates import ApiDateField, ApiDateTimeField
from logbooks.models import EntryKind, LogEntry, Visibility


def _person(user) -> str:
    return user.full_name or user.email


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


class EntryInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    summary = serializers.CharField(max_length=20_000, trim_whitespace=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.INTERNAL)
    occurred_at = ApiDateTimeField(required=False, allow_null=True, default=None)
    follow_up_on = ApiDateField(required=False, allow_null=True, default=None)


class EntryCreateSerializer(EntryInputSerializer):
    milestone = serializers.UUIDField(required=False, allow_null=True, default=None)
