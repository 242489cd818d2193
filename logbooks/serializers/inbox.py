"""REST shapes of the updates inbox."""

from __future__ import annotations

from rest_framework import serializers

from logbooks.serializers.entries import EntrySerializer


class InboxEntrySerializer(EntrySerializer):
    is_unread = serializers.BooleanField(read_only=True)
    case_pseudonym = serializers.CharField(source="case.pseudonym", read_only=True)

    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "is_unread", "case_pseudonym"]
        read_only_fields = fields
