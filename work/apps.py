from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    """The user's work: Home (the work queue), the calendar and its private iCal feed."""

    name = "work"
    verbose_name = _("My work")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from work import hooks

        hooks.register()
