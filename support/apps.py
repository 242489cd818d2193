from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """Support requests: an organisation that follows a case asks a mission to act."""

    name = "support"
    verbose_name = _("Support requests")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from support import hooks

        hooks.register()  # menu, case panel, kinds' readable source, due sources
