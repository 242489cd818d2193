"""What the work app registers with the rest of hrdcase (the main menu): ``register()``,
called once from ``WorkConfig.ready``; nothing registers on import. Home itself is the
site's root (hrdcase/urls.py), reached from the brand link, so it needs no menu entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrdcase.navigation import register_nav_item


def _member(user) -> bool:
    # Platform staff belong to no organisation: no cases, hence no calendar.
    return user.organisation_id is not None


def register() -> None:
    register_nav_item("work:calendar", _("Calendar"), order=14, when=_member)
