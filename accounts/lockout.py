"""The name django-axes counts login failures under (``AXES_USERNAME_CALLABLE``).

Login is case-insensitive (``UserManager.get_by_natural_key`` matches ``email__iexact``), so
counting failures under the address as typed let an attacker try five passwords as
``a@x.org``, five more as ``A@x.org``, and so on: the lockout never fired. Failures are
counted under the account the login would reach (its stored address), or, for an address
with no account, under the typed address lower-cased.

Resolving through the same lookup as the login, rather than lower-casing alone, also closes
the look-alike letters a database may fold that Python's ``lower()`` does not (e.g. the dotless
i, U+0131, that PostgreSQL's ``UPPER`` turns into "I").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        typed = data.get(field)
    typed = str(typed or "").strip()
    if not typed:
        return ""
    user_model = get_user_model()
    try:
        user = user_model._default_manager.get_by_natural_key(typed)
    except (user_model.DoesNotExist, user_model.MultipleObjectsReturned):
        return typed.lower()
    return user.get_username().lower()
