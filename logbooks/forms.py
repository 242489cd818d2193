"""Forms of the logbooks pages: they check shape; the services check the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import BenchmarkMilestone, Case
from hrdcase.dates import PlausibleDateField, PlausibleDateTimeField
from hrdcase.text import validate_single_line
from logbooks.attachments import ACCEPT_ATTRIBUTE
from logbooks.models import (
    ActionStatus,
    ActionType,
    DiplomaticAction,
    EntryKind,
    LogEntry,
    Visibility,
)

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def open_milestones(case: Case):
    return (
        BenchmarkMilestone.objects.owned_by(case.organisation)
        .filter(detention__incident__case=case, status=BenchmarkMilestone.Status.OPEN)
        .order_by("due_on")
    )


class EntryForm(forms.Form):
    """The quick-log form and the full entry form (the latter adds the benchmark)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices, initial=EntryKind.NOTE)
    summary = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Stored encrypted. Name the defender only if you must: partners with feedback "
            "access read shared entries."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.INTERNAL,
        widget=forms.RadioSelect,
        help_text=_(
            "Internal: your organisation only. Shared: every organisation with full or "
            "feedback access to the case."
        ),
    )
    occurred_at = PlausibleDateTimeField(
        label=_("When"), widget=DATETIME_INPUT, required=False, help_text=_("Empty means now.")
    )
    follow_up_on = PlausibleDateField(
        label=_("Follow up on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("You (or the case's lead officer) get a reminder on that day."),
    )
    milestone = forms.ModelChoiceField(
        label=_("Marks this benchmark done"),
        queryset=BenchmarkMilestone.objects.none(),
        required=False,
        help_text=_("A step of the detention benchmark plan that this entry fulfils."),
    )

    def __init__(self, *args, case: Case, with_milestone: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "log_%s")
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        if with_milestone:
            self.fields["milestone"].queryset = open_milestones(case)
        if not with_milestone or not self.fields["milestone"].queryset.exists():
            del self.fields["milestone"]


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6}))
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        # What each choice does to the versions before it (docs/logbooks.md): the author
        # decides knowing that "internal" also withdraws what partners could read so far.
        help_text=_(
            "Internal takes every earlier version of this entry, and its documents, back from "
            "partners. Shared shares this version; earlier internal versions, and their "
            "documents, stay with your organisation."
        ),
    )
    occurred_at = PlausibleDateTimeField(label=_("When"), widget=DATETIME_INPUT)
    follow_up_on = PlausibleDateField(label=_("Follow up on"), widget=DATE_INPUT, required=False)

    @classmethod
    def for_entry(cls, entry: LogEntry, data=None) -> CorrectionForm:
        return cls(
            data,
            initial={
                "kind": entry.kind,
                "summary": entry.summary,
                "visibility": entry.visibility,
                "occurred_at": timezone.localtime(entry.occurred_at),
                "follow_up_on": entry.follow_up_on,
            },
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach a document"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is a setting (HRDCASE_ATTACHMENT_MAX_MB): say the one in force.
        self.fields["file"].help_text = _(
            "PDF, JPEG, PNG, plain text, ODT or DOCX, at most %(size)s MB. Stored encrypted; "
            "the type is checked from the content, not the name."
        ) % {"size": settings.LOGBOOKS_ATTACHMENT_MAX_BYTES // (1024 * 1024)}


class EntryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *EntryKind.choices], required=False
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[("", _("Any")), *Visibility.choices],
        required=False,
    )
    author = forms.ModelChoiceField(
        label=_("Author"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    date_from = PlausibleDateField(label=_("From"), widget=DATE_INPUT, required=False)
    date_to = PlausibleDateField(label=_("To"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = User.objects.filter(
            organisation_id=user.organisation_id
        ).order_by("full_name", "email")
        self.fields["author"].help_text = _(
            "Summaries are encrypted, so they cannot be searched: filter by kind, author and date."
        )


class ActionForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=ActionType.choices)
    authority = forms.CharField(
        label=_("Authority or company addressed"),
        max_length=200,
        validators=[validate_single_line],
        help_text=DiplomaticAction._meta.get_field("authority").help_text,
    )
    taken_on = PlausibleDateField(label=_("Date"), widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(ActionStatus.PLANNED, _("Planned")), (ActionStatus.DONE, _("Done"))],
        initial=ActionStatus.PLANNED,
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Stored encrypted."),
    )
    outcome_shared = forms.BooleanField(
        label=_("Share the outcome with partners"),
        required=False,
        help_text=DiplomaticAction._meta.get_field("outcome_shared").help_text,
    )
    milestone = forms.ModelChoiceField(
        label=_("Marks this benchmark done"),
        queryset=BenchmarkMilestone.objects.none(),
        required=False,
        help_text=_("Marked done when the action is done."),
    )

    def __init__(self, *args, case: Case, with_milestone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = timezone.localdate()
        self.fields["type"].help_text = _(
            "Public and joint statements need the defender's consent to public action."
        )
        if with_milestone:
            self.fields["milestone"].queryset = open_milestones(case)
        if not with_milestone or not self.fields["milestone"].queryset.exists():
            del self.fields["milestone"]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices)
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome_shared = forms.BooleanField(label=_("Share the outcome with partners"), required=False)


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Invite a mission"),
        queryset=None,
        help_text=_(
            "Missions of your protection networks. They see this action record, not the case "
            "file (unless the case is shared with them)."
        ),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queryset


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("pdf", _("PDF briefing")), ("csv", _("CSV"))], initial="pdf"
    )
    include_identity = forms.BooleanField(
        label=_("Include the defender's identity"),
        required=False,
        help_text=_(
            "Off by default: the briefing uses the pseudonym. Including the identity is "
            "recorded in the case's access log."
        ),
    )
