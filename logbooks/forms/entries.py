"""Forms of logbook entries: the quick log and the full entry form, a correction, and the
logbook's filter."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import BenchmarkMilestone, Case
from hrdcase.dates import PlausibleDateField, PlausibleDateTimeField
from hrdcase.forms import ListedModelChoiceField
from logbooks.models import EntryKind, HearingOutcome, LogEntry, Visibility

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def open_milestones(case: Case):
    """The case's detention benchmarks still open: what an entry or an action may mark done."""
    return (
        BenchmarkMilestone.objects.owned_by(case.organisation)
        .filter(detention__incident__case=case, status=BenchmarkMilestone.Status.OPEN)
        .order_by("due_on")
    )


def offer_milestones(form: forms.Form, case: Case, *, with_milestone: bool) -> None:
    """Keep the form's benchmark field only for the owner, and only when one is open."""
    if with_milestone:
        form.fields["milestone"].queryset = open_milestones(case)
    if not with_milestone or not form.fields["milestone"].queryset.exists():
        del form.fields["milestone"]


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
        offer_milestones(self, case, with_milestone=with_milestone)


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

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            # an empty list would read as "nothing was logged then"
            self.add_error("date_to", _("“To” is before “From”: swap the two dates."))
        return cleaned


def hearings_for_observation(case: Case):
    """The hearings a trial observation logged on ``case`` may name (the full file's)."""
    from cases.selectors.court import hearings_of_case

    # what the choice shows (its date and court): the service reads the chosen one again
    return (
        hearings_of_case(case)
        .prefetch_related(None)
        .select_related(None)
        .only("id", "date", "court", "proceeding_id")
    )


class ObservationFields(forms.Form):
    """A trial observation's structured fields (``services.actions.Observation``), shared by
    the quick log and the action form. The hearing is offered only to those who see the full
    file (``offer_hearings``)."""

    hearing = ListedModelChoiceField(
        label=_("Hearing observed"), queryset=None, required=False, empty_label=_("None")
    )
    attended = forms.NullBooleanField(
        label=_("Attended"), required=False, widget=forms.NullBooleanSelect
    )
    hearing_outcome = forms.ChoiceField(
        label=_("What the hearing came to"),
        choices=[("", "—"), *HearingOutcome.choices],
        required=False,
    )
    next_hearing_on = PlausibleDateField(
        label=_("Next hearing"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("On your own case, the next hearing is added to the proceeding."),
    )

    def offer_hearings(self, case: Case, *, sees_hearings: bool) -> None:
        if sees_hearings:
            self.fields["hearing"].queryset = hearings_for_observation(case)
            self.fields["hearing"].label_from_instance = lambda h: f"{h.date:%Y-%m-%d} — {h.court}"
        else:
            del self.fields["hearing"]

    def observation_data(self) -> dict:
        """The observation's fields, taken out of ``cleaned_data`` (the rest goes on)."""
        data = self.cleaned_data
        return {
            "hearing": data.pop("hearing", None),
            "attended": data.pop("attended", None),
            "hearing_outcome": data.pop("hearing_outcome", "") or "",
            "next_hearing_on": data.pop("next_hearing_on", None),
        }


class QuickLogForm(ObservationFields, EntryForm):
    """The case page's quick log: an entry, and for a démarche, a trial observation or a
    prison visit the diplomatic action it records (``services.entries.quick_log_record``),
    with a trial observation's structured fields."""

    field_order = ["kind", "summary", "visibility", "occurred_at", "follow_up_on", "authority"]
    authority = forms.CharField(
        label=_("Authority or court addressed"),
        required=False,
        max_length=200,
        help_text=_(
            "For a démarche, an observation or a visit: every organisation that follows the "
            "case sees it. Do not name the defender here."
        ),
    )

    def __init__(self, *args, case: Case, sees_hearings: bool = False, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.offer_hearings(case, sees_hearings=sees_hearings)
