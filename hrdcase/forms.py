"""Form helpers shared by every app."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors next to their field,
    the rest at the top. The view then re-renders the form (nothing was written)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ListedChoiceIterator(ModelChoiceIterator):
    """A model choice's options read once, with one plain query, for the form instance.

    Django's iterator reads them through ``QuerySet.iterator()``, which on PostgreSQL opens a
    server-side cursor (DECLARE, FETCH, CLOSE: three round trips for a handful of rows), and
    counts them with a query of its own. The fields using this one offer a case's hearings
    or an organisation's members: a list is what they are."""

    def _rows(self) -> list:
        return list(self.queryset)  # the queryset keeps them: one query per form

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self._rows():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self._rows()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self._rows())


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice among a few rows (``ListedChoiceIterator``)."""

    iterator = ListedChoiceIterator


def form_status(*forms: forms.Form) -> int:
    """400 when a submitted form is shown again with its errors (nothing was written): a
    person reads the messages, a script or a test sees the refusal."""
    return 400 if any(form.is_bound and form.errors for form in forms) else 200


#: A list page's link carried a filter value the list does not offer (tampered, or stale
#: after a status was renamed). The value is not echoed: the page is no place for it.
FILTER_NOT_UNDERSTOOD = gettext_lazy(
    "A filter in this link was not understood: the list shows its usual view instead."
)


def chosen_filter(
    request: HttpRequest, name: str, allowed: Collection[str], *, default: str = ""
) -> tuple[str, bool]:
    """A list page's filter ``name`` from its query string: ``(value, True)`` when it is one
    of ``allowed``, ``(default, True)`` when absent or empty, ``(default, False)`` for anything
    else; ``filter_status`` then answers 400."""
    value = request.GET.get(name) or default
    understood = value == default or value in allowed
    return (value if understood else default), understood


def filter_status(request: HttpRequest, *understood: bool) -> int:
    """200, or 400 with ``FILTER_NOT_UNDERSTOOD`` shown once on the page when a filter was not
    understood: the list is shown in its usual view, and the refusal is not silent."""
    if all(understood):
        return 200
    messages.error(request, FILTER_NOT_UNDERSTOOD)
    return 400
