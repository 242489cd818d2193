"""Settings of the real Celery worker started by tests/integration/test_alerts_pipeline.py.

The test settings, plus: the database and broker the test process chose (environment),
e-mail written to files the test reads, a private queue and a private urgent queue, and the
beat sweep every second with short pipeline delays so the recovery paths run within seconds.
"""

import os

from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.alerts.failing_backends.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["HRDCASE_TEST_MAIL_DIR"]

_queue = os.environ["HRDCASE_TEST_QUEUE"]
CELERY_TASK_ROUTES = {"alerts.tasks.*": {"queue": _queue}}
# Urgent deliveries: a private urgent queue (the test's workers consume both, or one each).
ALERTS_URGENT_QUEUE = os.environ["HRDCASE_TEST_URGENT_QUEUE"]
CELERY_BEAT_SCHEDULE = {
    "alerts-sweep": {
        "task": "alerts.tasks.sweep_task",
        "schedule": 1.0,
        "options": {"queue": _queue, "expires": 5},
    }
}
CELERY_BEAT_SCHEDULE_FILENAME = os.path.join(EMAIL_FILE_PATH, "..", "celerybeat-schedule")
ALERTS_REQUEUE_AFTER_SECONDS = 2
ALERTS_STALE_CLAIM_SECONDS = 4
ALERTS_RENOTIFY_SECONDS = 3600
# The default cache in a directory the test process shares (the pipeline fixture points its
# own there): the right of way's mark (alerts.services.right_of_way) crosses processes here
# as Redis carries it in production.
CACHES = {
    **CACHES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.path.join(os.environ["HRDCASE_VAR_DIR"], "shared-cache"),
    },
}
