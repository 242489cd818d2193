from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Defenders, cases, consent, sharing, incidents and detention, risk assessments."""

    name = "cases"
    verbose_name = _("Cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import cases.risk_hooks  # (risk assessments: timeline, purger)
        import cases.services.incident  # (purger of incidents and detention)
        import cases.timeline_incidents  # noqa: F401  (incidents, detention, benchmarks)
        from cases import (
            hooks,
            timeline_sources,  # noqa: F401  (registers the case's own timeline parts)
        )
        from cases.services import break_glass, retention  # noqa: F401  (timeline, purgers)

        hooks.register()
