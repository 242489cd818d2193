"""Test settings: production settings with test-only keys made up for this run.

No key lives in the repository: each test process draws fresh random keys (subprocesses such
as a Celery worker inherit them through the environment).
"""

import base64
import os
import secrets

os.environ.setdefault("HRDCASE_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault(
    "HRDCASE_FIELD_KEYS", "t1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)
os.environ.setdefault(
    "HRDCASE_BLIND_INDEX_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("HRDCASE_SSL_REDIRECT", "0")
os.environ.setdefault("HRDCASE_SECURE_COOKIES", "0")
os.environ.setdefault("HRDCASE_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
if "HRDCASE_VAR_DIR" not in os.environ:
    import tempfile

    os.environ["HRDCASE_VAR_DIR"] = tempfile.mkdtemp(prefix="hrdcase-test-var-")

from hrdcase.settings import *  # noqa: F403

# bench: the smoke run of the benchmark (tests/bench); production never installs it
# (bench/settings.py adds it for the benchmark's own commands).
INSTALLED_APPS = [*INSTALLED_APPS, "bench", "tests.testapp"]  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Every request computes the menu badges, so query counts do not depend on which request came
# first; tests/logbooks/test_inbox.py switches the badge cache on to test it.
CACHES = {**CACHES, "badges": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405

# A read replica alias mirroring the test database: another connection to the same data
# (hrdcase/db_router.py). Reads stay on "default" unless a test turns REPLICA_READS on
# (tests/hrdcase/test_db_scaling.py).
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "TEST": {**DATABASES["default"].get("TEST", {}), "MIRROR": "default"},  # noqa: F405
}
REPLICA_READS = False
