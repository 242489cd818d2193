"""Dates are unambiguous in every language (issue 19): "4 Dec 2026", "4 déc. 2026",
"4 dic 2026", never 12/04/2026 (4 December or 12 April?). ``hrdcase.formats`` holds them."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import formats, translation

from accounts.models import Role, User
from accounts.testing import verified_client
from cases.forms.case import DateInput
from tests.factories import CaseFactory, UserFactory

DAY = datetime.date(2026, 12, 4)
AT = datetime.datetime(2026, 12, 4, 14, 30)

EXPECTED = {
    "en": ("4 Dec 2026", "4 Dec 2026, 14:30"),
    "fr": ("4 déc. 2026", "4 déc. 2026, 14:30"),
    "es": ("4 dic 2026", "4 dic 2026, 14:30"),
    "ar": ("4 ديسمبر 2026", "4 ديسمبر 2026, 14:30"),
}

#: a day and a month in digits, whichever order: what must never be shown.
AMBIGUOUS = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_every_language_names_the_month(language):
    date_text, datetime_text = EXPECTED[language]
    with translation.override(language):
        assert formats.date_format(DAY, "DATE_FORMAT") == date_text
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == date_text
        assert formats.date_format(AT, "DATETIME_FORMAT") == datetime_text
        assert formats.date_format(AT, "SHORT_DATETIME_FORMAT") == datetime_text.replace(",", "")
        assert formats.time_format(AT, "TIME_FORMAT") == "14:30"


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_other_months_read_as_each_language_writes_them(language):
    july = datetime.date(2026, 7, 4)
    expected = {"en": "4 Jul 2026", "fr": "4 juil. 2026", "es": "4 jul 2026"}
    with translation.override(language):
        text = formats.date_format(july, "DATE_FORMAT")
    assert not AMBIGUOUS.search(text)
    if language in expected:
        assert text == expected[language]


class _DayForm(forms.Form):
    day = forms.DateField(widget=DateInput)
    at = forms.DateTimeField()


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_forms_read_iso_and_date_inputs_are_written_in_iso(language):
    """``<input type="date">`` posts YYYY-MM-DD and reads only that in its value: a French
    page must not put 04/12/2026 in it (the browser would show an empty field)."""
    with translation.override(language):
        form = _DayForm({"day": "2026-12-04", "at": "2026-12-04T14:30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == DAY
        shown = str(_DayForm(initial={"day": DAY})["day"])
    assert 'value="2026-12-04"' in shown


# --- the main pages, for a demo-like dataset -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_case_list_shows_the_same_day_in_each_language(language):
    officer = UserFactory(role=Role.OFFICER, language=language)
    CaseFactory(organisation=officer.organisation, opened_on=DAY, pseudonym="Ceiba")
    page = verified_client(officer).get(reverse("cases:list"))
    assert page.status_code == 200
    assert EXPECTED[language][0] in page.content.decode()


def _main_pages(user: User) -> list[str]:
    from cases.models import Case

    urls = [reverse("cases:list"), reverse("alerts:list")]
    for case in Case.objects.visible_to(user):
        urls += [
            reverse("cases:detail", args=[case.pk]),
            reverse("logbooks:case_logbook", args=[case.pk]),
            reverse("logbooks:case_actions", args=[case.pk]),
        ]
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_no_page_of_the_demo_shows_a_date_in_digits(language):
    from accounts import demo as accounts_demo
    from alerts import demo as alerts_demo
    from cases import demo as cases_demo
    from logbooks import demo as logbooks_demo

    accounts_demo.seed()
    cases_demo.seed()
    logbooks_demo.seed()
    alerts_demo.seed()
    officer = User.objects.get(email=f"ana.officer@{accounts_demo.EMAIL_DOMAIN}")
    officer.language = language
    officer.save(update_fields=["language"])
    client = verified_client(officer)
    urls = _main_pages(officer)
    assert len(urls) > 2, "the demo gives the officer cases to look at"
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        # Machine dates (ISO, in attributes and query strings) are not what this is about.
        text = re.sub(r"<[^>]*>", " ", body)
        assert not AMBIGUOUS.search(text), (url, AMBIGUOUS.search(text).group(0))
