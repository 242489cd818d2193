"""Forms of tasks: a new task or a change to one, snoozing, assigning, and the task list's
filters. The views hand their cleaned data to ``cases.services.task``, which checks again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from cases.forms.case import DateInput
from cases.models.task import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH
from hrdcase.dates import PlausibleDateField
from hrdcase.forms import ListedModelChoiceField
from hrdcase.text import validate_single_line

#: the task list's filters: whose tasks, and when they are due.
WHO_CHOICES = [
    ("everyone", _("Everyone's")),
    ("mine", _("Mine")),
    ("unassigned", _("Unassigned")),
]
WHEN_CHOICES = [
    ("", _("All open")),
    ("overdue", _("Overdue")),
    ("today", _("Due today")),
    ("week", _("This week")),
    ("later", _("Later")),
    ("snoozed", _("Snoozed")),
    ("done", _("Done")),
    ("cancelled", _("Cancelled")),
]


def writers_of(organisation_id: Any):
    """Who a task may go to: the organisation's active officers and admins."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=[Role.ADMIN, Role.OFFICER]
    ).order_by("full_name", "email")


class AssigneeField(ListedModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


def _assignee(organisation_id: Any) -> AssigneeField:
    return AssigneeField(
        label=_("Assigned to"),
        # what a choice shows, and what a task keeps (the user's id)
        queryset=writers_of(organisation_id).only("id", "full_name", "email", "organisation_id"),
        required=False,
        empty_label=_("Nobody (anybody of the organisation)"),
    )


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("What is to be done"),
        max_length=TITLE_MAX_LENGTH,
        validators=[validate_single_line],
        help_text=_("One line. Shown in lists; never the defender's name."),
    )
    due_on = PlausibleDateField(label=_("Due on"), widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted."),
    )

    def __init__(self, *args: Any, organisation_id: Any, follow_up: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = _assignee(organisation_id)
        if follow_up:
            # A follow-up's title and date are its logbook entry's (cases.services.task).
            self.fields["title"].disabled = True
            self.fields["due_on"].disabled = True


class SnoozeForm(forms.Form):
    until = PlausibleDateField(label=_("Snooze until"), widget=DateInput)


class AssignForm(forms.Form):
    def __init__(self, *args: Any, organisation_id: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = _assignee(organisation_id)


class TaskFilterForm(forms.Form):
    who = forms.ChoiceField(label=_("Whose"), choices=WHO_CHOICES, required=False)
    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    case = forms.UUIDField(required=False, widget=forms.HiddenInput)
