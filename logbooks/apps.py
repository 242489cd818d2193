from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbooksConfig(AppConfig):
    """Per-case logbook entries and diplomatic actions (démarches, trial observation)."""

    name = "logbooks"
    verbose_name = _("Logbooks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from logbooks import hooks

        hooks.register()
