from django.apps import AppConfig


class TestappConfig(AppConfig):
    """Models that exist only for testing the primitives in hrdcase/ (never migrated)."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"
