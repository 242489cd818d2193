"""Forms of defenders and cases (registering, editing, closing, the case list's filters) and
the inputs every part's forms share (``DateInput``); ``FastSelect`` draws the list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import User
from cases.models import AreaOfWork, Case, ClosingReason, Defender, RiskLevel, ThreatType
from cases.models.case import MEMBER_COUNT_MAX, NARRATIVE_MAX_LENGTH
from hrdcase.dates import PlausibleDateField
from hrdcase.form_renderer import widget_attrs
from hrdcase.text import validate_single_line


def _officers(organisation) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Lead officer"),
        queryset=User.objects.filter(
            organisation=organisation, is_active=True, role__in=["admin", "officer"]
        ),
        required=False,
    )


def _threat_types() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Threats"),
        queryset=ThreatType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _summary(*, rows: int) -> forms.CharField:
    return forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _LeadOfficerLast(forms.Form):
    """The lead officer, an active writer of the case's organisation, as the last field."""

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"] = _officers(organisation)


class DateInput(forms.DateInput):
    input_type = "date"


# Every ``<select>`` is drawn in Python by the form renderer (``hrdcase.form_renderer``
# ``render_select``). ``FastSelect`` goes further for choices built once per process
# (``SharedChoices``: the filter's ~250 countries): their options' markup is kept too.


class SharedChoices(BaseChoiceIterator):
    """Flat choices already in Django's (value, label) form, built once and shared by every form
    that offers them: a field given them neither normalizes them again nor deep-copies them
    with the form (the filter's ~250 countries cost ~2 ms a request that way)."""

    def __init__(self, choices) -> None:
        self._choices = tuple(choices)
        self._options_html: tuple[tuple[str, str, str], ...] | None = None

    def __iter__(self):
        return iter(self._choices)

    def __len__(self) -> int:
        return len(self._choices)

    def __deepcopy__(self, _memo: dict) -> SharedChoices:
        return self  # never changed once built

    def options_html(self) -> tuple[tuple[str, str, str], ...]:
        """Each option as (value, markup before its attributes, markup after), escaped once."""
        if self._options_html is None:
            self._options_html = tuple(
                (
                    str(value),
                    f'\n  <option value="{conditional_escape(str(value))}"',
                    f">{conditional_escape(label)}</option>\n",
                )
                for value, label in self._choices
            )
        return self._options_html


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        if isinstance(self.choices, SharedChoices) and not self.allow_multiple_selected:
            return self._render_shared(name, value, attrs)
        return super().render(name, value, attrs, renderer)

    def _render_shared(self, name, value, attrs):
        """The same markup from the options' HTML that ``SharedChoices`` keeps: only the
        first option of the chosen value is marked, as Django's ``Select`` does."""
        chosen = self.format_value(value)
        chosen = chosen[0] if chosen else None
        out = [
            format_html('<select name="{}"', name),
            widget_attrs(self.build_attrs(self.attrs, attrs)),
        ]
        out.append(">")
        for option_value, head, tail in self.choices.options_html():
            if option_value == chosen:
                out.append(f"{head} selected{tail}")
                chosen = None
            else:
                out.append(f"{head}{tail}")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 (options escaped by SharedChoices)


class FastSelect(FastSelectMixin, forms.Select):
    pass


class DefenderFieldsMixin(forms.Form):
    kind = forms.ChoiceField(
        label=_("Defender is"), choices=Defender.Kind.choices, initial=Defender.Kind.INDIVIDUAL
    )
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=300,
        validators=[validate_single_line],
        help_text=_("Encrypted; shown only to those with identity access."),
    )
    other_names = forms.CharField(
        label=_("Other names"), required=False, max_length=1000, validators=[validate_single_line]
    )
    country = CountryField(blank=False).formfield(label=_("Country of activity"))
    contact_channels = forms.CharField(
        label=_("Contact channels"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=1000)
    notes = forms.CharField(
        label=_("Notes on the defender"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    member_count = forms.IntegerField(
        label=_("Number of members (collective)"),
        required=False,
        min_value=1,
        max_value=MEMBER_COUNT_MAX,
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=[("", "—"), *Defender.Gender.choices], required=False
    )
    areas_of_work = forms.ModelMultipleChoiceField(
        label=_("Areas of work"),
        queryset=AreaOfWork.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Defender.Kind.COLLECTIVE and not data.get("member_count"):
            self.add_error(
                "member_count", _("Give the approximate number of members of the collective.")
            )
        return data


class CaseRegisterForm(_LeadOfficerLast, DefenderFieldsMixin):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=80,
        validators=[validate_single_line],
        help_text=_(
            "Used in lists, notifications and by partners without identity access. "
            "Never the real name."
        ),
    )
    opened_on = PlausibleDateField(
        label=_("Opened on"), widget=DateInput, initial=timezone.localdate
    )
    threat_types = _threat_types()
    summary = _summary(rows=5)


class DefenderForm(DefenderFieldsMixin):
    pass


class CaseEditForm(_LeadOfficerLast):
    pseudonym = forms.CharField(
        label=_("Pseudonym"), max_length=80, validators=[validate_single_line]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Case.Status.OPEN, Case.Status.OPEN.label),
            (Case.Status.MONITORING, Case.Status.MONITORING.label),
        ],
    )
    threat_types = _threat_types()
    summary = _summary(rows=6)


class CaseCloseForm(forms.Form):
    closing_reason = forms.ChoiceField(label=_("Closing reason"), choices=ClosingReason.choices)
    closed_on = PlausibleDateField(
        label=_("Closed on"), widget=DateInput, initial=timezone.localdate
    )


#: the filter's country choices (~250, translated and sorted by name) per language: built
#: once per process instead of on every request of the case list.
_FILTER_COUNTRIES: dict[str | None, SharedChoices] = {}


def _filter_countries() -> SharedChoices:
    language = get_language()
    countries = _FILTER_COUNTRIES.get(language)
    if countries is None:
        field: Any = CountryField(blank=True).formfield()  # its lazily translated choices
        countries = SharedChoices((str(code), str(name)) for code, name in field.choices)
        _FILTER_COUNTRIES[language] = countries
    return countries


class CaseFilterForm(forms.Form):
    """The case list's filters. Invalid values are dropped, never a 500.

    Drawn on every case list request: its selects are ``FastSelect`` (same markup, rendered
    without a template per option) and the country choices are cached per language."""

    q = forms.CharField(label=_("Reference or pseudonym"), required=False, max_length=80)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any")), *Case.Status.choices],
        required=False,
        widget=FastSelect,
    )
    risk = forms.ChoiceField(
        label=_("Risk"),
        choices=[("", _("Any")), *RiskLevel.choices],
        required=False,
        widget=FastSelect,
    )
    # choices: the language's country list, set by __init__
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    threat = forms.ChoiceField(label=_("Threat"), required=False, widget=FastSelect)
    lead = forms.ChoiceField(label=_("Lead officer"), required=False, widget=FastSelect)
    scope = forms.ChoiceField(
        label=_("Owner"),
        choices=[
            ("", _("Own and shared")),
            ("own", _("Own cases")),
            ("shared", _("Shared with us")),
        ],
        required=False,
        widget=FastSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=FastSelect,
        choices=[
            ("-opened", _("Newest first")),
            ("opened", _("Oldest first")),
            ("-updated", _("Recently updated")),
            ("reference", _("Reference")),
            ("pseudonym", _("Pseudonym")),
        ],
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _filter_countries()
        self.fields["threat"].choices = [
            ("", _("Any")),
            *ThreatType.objects.values_list("code", "label"),
        ]
        officers = (
            User.objects.filter(organisation=organisation, role__in=["admin", "officer"])
            .order_by("full_name")
            .values_list("pk", "full_name", "email")
        )
        self.fields["lead"].choices = [
            ("", _("Anyone")),
            *((str(pk), full_name or email) for pk, full_name, email in officers),
        ]
