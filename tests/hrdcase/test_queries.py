"""The query-count helper (tests/queries.py) fails on the wrong page, not only on the wrong
count: a count taken on an error page or a redirect proves nothing about the page."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation
from tests.queries import counting, get_counting

pytestmark = pytest.mark.django_db


def test_it_passes_on_the_page_asked_for(officer_client):
    page = get_counting(officer_client, reverse("home"), max_queries=50, contains="Welcome")
    assert page.status_code == 200 and page.queries


def test_it_fails_on_an_error_page_within_the_bound(officer_client):
    missing = reverse("cases:detail", args=[uuid.uuid4()])
    with pytest.raises(AssertionError, match="answered 404, expected 200"):
        get_counting(officer_client, missing, max_queries=50, contains="")


def test_it_fails_on_a_redirect_to_the_login(db):
    with pytest.raises(AssertionError, match="answered 302"):
        get_counting(Client(), reverse("home"), max_queries=50, contains="")


def test_it_fails_when_the_page_lacks_what_the_user_should_see(officer_client):
    with pytest.raises(AssertionError, match="'Open alerts' is not in the page"):
        get_counting(officer_client, reverse("home"), contains="Open alerts")


def test_it_fails_on_a_count_off_the_mark_and_lists_the_queries(officer_client):
    with pytest.raises(AssertionError, match=r"expected at most 1:\n1\. "):
        get_counting(officer_client, reverse("home"), max_queries=1, contains="Welcome")
    with pytest.raises(AssertionError, match="queries, expected 1000"):
        get_counting(officer_client, reverse("home"), queries=1000, contains="Welcome")


def test_counting_checks_code_that_answers_no_request(org):
    with counting(queries=1) as counted:
        Organisation.objects.filter(pk=org.pk).exists()
    assert len(counted) == 1
    with pytest.raises(AssertionError, match="2 queries, expected 1"), counting(queries=1):
        Organisation.objects.filter(pk=org.pk).exists()
        Organisation.objects.count()


def test_every_query_count_of_the_suite_goes_through_the_helper():
    """A count taken with the bare tools can again pass on an error page: use tests/queries.py."""
    from pathlib import Path

    bare = ("CaptureQueriesContext", "django_assert_num_queries", "django_assert_max_num_queries")
    tests_dir = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(tests_dir))
        for path in sorted(tests_dir.rglob("*.py"))
        if path.name != "queries.py" and path != Path(__file__).resolve()
        if any(name in path.read_text(encoding="utf-8") for name in bare)
    ]
    assert offenders == []
