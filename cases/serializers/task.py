"""API shapes of tasks. Serializers validate the input's shape; ``cases.services.task`` checks
the rest (who may write, the assignee, the dates) and writes."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from cases.forms.task import WHEN_CHOICES, WHO_CHOICES
from cases.models import Case, Task
from cases.models.task import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH
from cases.services.task import ASSIGNEE_REFUSED
from hrdcase.dates import ApiDateField
from hrdcase.text import validate_single_line


class TaskSerializer(serializers.ModelSerializer):
    # null for a task of the organisation (no case): the schema says so (allow_null).
    case_reference = serializers.CharField(
        source="case.reference", read_only=True, default=None, allow_null=True
    )
    case_pseudonym = serializers.CharField(
        source="case.pseudonym", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "case_reference",
            "case_pseudonym",
            "title",
            "notes",
            "due_on",
            "assignee",
            "status",
            "status_changed_at",
            "status_changed_by",
            "snoozed_until",
            "kind",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.UUID)
class _AssigneeField(serializers.PrimaryKeyRelatedField):
    """Any user id is taken here; the service refuses one who is not a writer of the task's
    organisation. An id of nobody gets the service's message too: whether a user of another
    organisation exists is not the caller's to learn."""

    def get_queryset(self):
        return User.objects.all()

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise serializers.ValidationError(ASSIGNEE_REFUSED) from None


class TaskCreateSerializer(serializers.Serializer):
    # A case id the user cannot add to answers 400 naming ``case`` (cases.api.task).
    case = serializers.UUIDField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH, validators=[validate_single_line])
    due_on = ApiDateField()
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    assignee = _AssigneeField(required=False, allow_null=True, default=None)


class TaskUpdateSerializer(serializers.Serializer):
    """PATCH: the fields given change (``assignee: null``: nobody)."""

    title = serializers.CharField(
        max_length=TITLE_MAX_LENGTH, validators=[validate_single_line], required=False
    )
    due_on = ApiDateField(required=False)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    assignee = _AssigneeField(required=False, allow_null=True)


class TaskSnoozeSerializer(serializers.Serializer):
    until = ApiDateField(allow_null=True, help_text="null wakes the task now")


class TaskListFiltersSerializer(serializers.Serializer):
    """The task list's query parameters, those of the page (selectors.TaskFilters)."""

    who = serializers.ChoiceField(
        choices=[value for value, _label in WHO_CHOICES],
        required=False,
        allow_blank=True,
        help_text="default: everyone",
    )
    when = serializers.ChoiceField(
        choices=[value for value, _label in WHEN_CHOICES if value],
        required=False,
        allow_blank=True,
        help_text="default: every open task",
    )
    case = serializers.UUIDField(required=False, help_text="one case's tasks")


__all__ = [
    "Case",
    "TaskCreateSerializer",
    "TaskListFiltersSerializer",
    "TaskSerializer",
    "TaskSnoozeSerializer",
    "TaskUpdateSerializer",
]
