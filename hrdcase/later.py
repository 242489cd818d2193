"""Text written now and read later, in the reader's language.

A notification is written by whoever acted (an officer who reads Spanish) or by the beat
sweep (which has no language at all), and read by people who each chose theirs: a Dutch
mission's officer reading Arabic got "Risk review due" in English, and a mission answering an
NGO that works in Spanish got its subject in Spanish. So a subject is not translated when it
is written: ``later(gettext_noop("Risk review due: %(pseudonym)s"), pseudonym=...)`` is a lazy
string that translates its message, and its lazy parameters (choice labels: ``label``; dates:
``later_date``), each time it is read. ``alerts.services.notify`` reads it once per
recipient's language (``in_language_of``) and stores that text on each recipient's row.

Parameters are taken when ``later`` is called (a subject made in a loop keeps its own row's
values); only their translation waits.

This module is a core primitive: it imports no app, every app imports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise, lazy


def _render(message: str, params: dict[str, Any]) -> str:
    values = {k: str(v) if isinstance(v, Promise) else v for k, v in params.items()}
    return translation.gettext(str(message)) % values


_later = lazy(_render, str)


def later(message: str, **params: Any) -> str:
    """``message`` (marked with ``gettext_noop``) % ``params``, translated when read."""
    return _later(message, params)


later_date = lazy(date_format, str)
"""``later_date(day, "DATE_FORMAT")``: a date written in the reader's language's format."""


def label(instance: models.Model, field: str) -> Any:
    """The display label of ``instance``'s choice ``field``, translated when read (Django's
    ``get_FOO_display`` translates at once, in the writer's language)."""
    value = getattr(instance, field)
    choices: Any = instance._meta.get_field(field)  # a concrete choice field
    return dict(choices.flatchoices).get(value, value)


def language_of(user: Any) -> str:
    """The language the user chose (the language menu saves it), else the site's."""
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user: Any) -> Iterator[None]:
    with translation.override(language_of(user)):
        yield


def is_later(value: object) -> bool:
    return isinstance(value, Promise)
