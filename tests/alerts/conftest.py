from tests.alerts.factories import case, eager_celery  # noqa: F401  (fixtures)
