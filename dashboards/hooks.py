"""What dashboards registers with the rest of hrdcase (the main menu): ``register()``, called
once from ``DashboardsConfig.ready``; nothing registers on import."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from hrdcase.navigation import register_nav_item


def _coordinator(user: User) -> bool:
    return user.role == Role.COORDINATOR


def register() -> None:
    register_nav_item("dashboards:organisation", _("Dashboard"), order=5)
    register_nav_item("dashboards:networks", _("Network dashboard"), order=90, when=_coordinator)
