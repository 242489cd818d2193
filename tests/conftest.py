"""Shared fixtures: three actors per test (healthchecks' hc/test.py pattern) — an officer
of the owning organisation, a read-only viewer of the same organisation, and an outsider of
another organisation who must never see their things."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from accounts.models import Role
from accounts.testing import verified_client
from tests.factories import OrganisationFactory, UserFactory

# Property tests check what happens to any input, never how fast: speed is the benchmark's
# (docs/performance.md). Hypothesis's default 200 ms deadline per example failed a CI run on
# a shared 2-core machine (an archive example took 335 ms once, 0.2 ms when replayed).
hypothesis_settings.register_profile("hrdcase", deadline=None)
hypothesis_settings.load_profile("hrdcase")


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """Every test starts, and leaves, in the default language. A request through the test
    client runs in the test's own thread, where LocaleMiddleware leaves the page's language
    active: an Arabic page in one test made the next test of the same worker read a label in
    Arabic while the browser showed English (a CI run of test_my_work_journey)."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_cached_counter_left():
    """Every test starts with an empty default cache. Counters kept there outlive a test in
    its worker process: the password-reset limit per address (accounts.views), saturated by
    the test of that limit, silently stopped the reset e-mail of a later browser journey from
    the same address (127.0.0.1) in the same worker (a CI run of test_password_journey)."""
    caches["default"].clear()
    yield


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Embassy A", code="AAA")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Embassy B", code="BBB", represented_state="NO")


@pytest.fixture
def officer(org):
    return UserFactory(organisation=org, role=Role.OFFICER, email="officer@a.example")


@pytest.fixture
def admin_user(org):
    return UserFactory(organisation=org, role=Role.ADMIN, email="admin@a.example")


@pytest.fixture
def viewer(org):
    return UserFactory(organisation=org, role=Role.VIEWER, email="viewer@a.example")


@pytest.fixture
def outsider(other_org):
    return UserFactory(organisation=other_org, role=Role.ADMIN, email="admin@b.example")


@pytest.fixture
def officer_client(officer):
    return verified_client(officer)


@pytest.fixture
def admin_client_org(admin_user):
    return verified_client(admin_user)


@pytest.fixture
def viewer_client(viewer):
    return verified_client(viewer)


@pytest.fixture
def outsider_client(outsider):
    return verified_client(outsider)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` exercise PostgreSQL itself (triggers, locks): they run
    when the suite runs on PostgreSQL, as in `.ci/run`, and are deselected on SQLite."""
    import os
    from pathlib import Path

    from django.db import connection

    e2e_dir = Path(__file__).parent / "e2e"
    for item in items:
        if e2e_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
    # Browser tests need Debian's Chromium; .ci/run installs it. Elsewhere without it they
    # are deselected with a notice, never skipped silently.
    if not os.access("/usr/bin/chromium", os.X_OK):
        browser_tests = [item for item in items if item.get_closest_marker("e2e")]
        if browser_tests:
            config.hook.pytest_deselected(items=browser_tests)
            items[:] = [item for item in items if not item.get_closest_marker("e2e")]
            print(f"\n{len(browser_tests)} browser tests deselected: /usr/bin/chromium is missing")

    # The catalogue completeness check needs GNU gettext (.ci/run installs it).
    import shutil

    if shutil.which("xgettext") is None:
        needs_gettext = [item for item in items if item.get_closest_marker("gettext")]
        if needs_gettext:
            config.hook.pytest_deselected(items=needs_gettext)
            items[:] = [item for item in items if not item.get_closest_marker("gettext")]
            print(f"\n{len(needs_gettext)} catalogue checks deselected: xgettext is missing")

    if connection.vendor == "postgresql":
        return
    deselected = [item for item in items if item.get_closest_marker("postgresql")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


@pytest.fixture
def badge_cache(settings):
    """The production badge cache (the test settings compute badges on every request)."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "badges": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
    }
    caches["badges"].clear()
    return caches["badges"]
