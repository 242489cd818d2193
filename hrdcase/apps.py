from django.apps import AppConfig


class HrdcaseConfig(AppConfig):
    """Cross-cutting primitives: tenancy, encrypted fields, audit chain, health."""

    name = "hrdcase"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hrdcase import checks  # noqa: F401  (registers system checks)
