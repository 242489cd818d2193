"""Serializer pieces the relocation API shares: the pseudonym a row on a case is shown by, the
reason of an answer or a step, and the one date of a step."""

from __future__ import annotations

from rest_framework import serializers

from hrdcase.dates import ApiDateField


def pseudonym_field() -> serializers.CharField:
    """A row on a case shows the case's pseudonym, never its identity."""
    return serializers.CharField(source="case.pseudonym", read_only=True)


def reason_field() -> serializers.CharField:
    """The reason for an answer or a step (required by the service where the other side
    must read one)."""
    return serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class DaySerializer(serializers.Serializer):
    day = ApiDateField(required=False, allow_null=True)
