from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Cross-mission aggregates for coordinators and each organisation's own overview."""

    name = "dashboards"
    verbose_name = _("Dashboards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.models import Role
        from hrdcase.navigation import register_nav_item

        register_nav_item("dashboards:organisation", _("Dashboard"), order=5)
        register_nav_item(
            "dashboards:networks",
            _("Network dashboard"),
            order=90,
            when=lambda user: user.role == Role.COORDINATOR,
        )
