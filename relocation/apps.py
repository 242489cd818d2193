from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelocationConfig(AppConfig):
    """Emergency relocation requests, fast-track visas, shelter-city referrals, grants."""

    name = "relocation"
    verbose_name = _("Relocation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from relocation import hooks

        hooks.register()  # menu, case panel, timeline, purger, due sources, share receivers
