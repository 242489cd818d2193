"""``cases.forms.case.FastSelect`` draws exactly the markup of Django's ``Select`` through the
Django template engine (the case list's filter form uses it for speed, not for a different
look)."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from cases.forms.case import CaseFilterForm, FastSelect

CHOICES = [("", "Any"), ("x<", "X & <y>"), ("Group", [("1", "one"), ("2", "two")])]


def _form(widget):
    class Form(forms.Form):
        pick = forms.ChoiceField(
            choices=CHOICES, required=False, widget=widget(attrs={"class": "c", "data-on": True})
        )
        need = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=widget)

    return Form


@pytest.mark.parametrize("data", [None, {"pick": "2", "need": "b"}, {"pick": "zz"}])
def test_it_draws_the_same_select_as_django(data):
    django_form = _form(forms.Select)(data, renderer=DjangoTemplates())
    fast_form = _form(FastSelect)(data)
    if data:
        django_form.is_valid()
        fast_form.is_valid()
    for name in ("pick", "need"):
        assert str(fast_form[name]) == str(django_form[name])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_it_offers_every_country_in_the_viewers_language(language, org):
    with translation.override(language):
        form = CaseFilterForm({"country": "CO"}, organisation=org)
        assert form.is_valid()
        html = str(form["country"])
        reference = forms.Select(choices=list(CaseFilterForm.base_fields["country"].choices))
        expected = reference.render(
            "country", "CO", attrs={"id": "id_country"}, renderer=DjangoTemplates()
        )
    assert html == expected
    assert html.count("<option") > 240
