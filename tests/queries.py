"""Query-count assertions that cannot pass on the wrong page.

A bare ``django_assert_num_queries`` around ``client.get(url)`` passes just as well when the
view answers a 404, a redirect to the two-step login or a 500 page: those cost few queries.
Every query-count test of the suite goes through this module instead:

    from tests.queries import counting, get_counting

    page = get_counting(client, url, max_queries=12, contains="Open alerts")
    # N+1 check: the same page with more rows costs what it cost with few.
    get_counting(client, url, queries=len(page.queries), contains="Open alerts")

    with counting(queries=1):  # code that answers no HTTP request
        rows = list(due_benchmarks())

``get_counting`` checks the status (200 unless told) and that the body holds every
``contains`` string before it compares the count, and attaches the SQL it ran to the
response as ``response.queries``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, connections
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext


def _listing(queries: Sequence[str]) -> str:
    return "\n".join(f"{n}. {sql}" for n, sql in enumerate(queries, start=1))


def _check_count(queries: Sequence[str], *, exactly: int | None, at_most: int | None) -> None:
    if exactly is not None:
        assert len(queries) == exactly, (
            f"{len(queries)} queries, expected {exactly}:\n{_listing(queries)}"
        )
    if at_most is not None:
        assert len(queries) <= at_most, (
            f"{len(queries)} queries, expected at most {at_most}:\n{_listing(queries)}"
        )


class CountedQueries:
    """The SQL a block ran (``sql``), available once the block has left ``counting``."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def __len__(self) -> int:
        return len(self.sql)


@contextmanager
def counting(
    *, queries: int | None = None, max_queries: int | None = None
) -> Iterator[CountedQueries]:
    """Count the queries of the block; when it ends, assert exactly ``queries`` and/or at
    most ``max_queries`` of them (neither: just count, e.g. to compare two runs)."""
    counted = CountedQueries()
    with CaptureQueriesContext(connection) as context:
        yield counted
    counted.sql = [query["sql"] for query in context.captured_queries]
    _check_count(counted.sql, exactly=queries, at_most=max_queries)


def get_counting(
    client: Client,
    url: str,
    data: Mapping[str, Any] | None = None,
    *,
    contains: str | Sequence[str],
    queries: int | None = None,
    max_queries: int | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponseBase:
    """``client.get(url, data, **extra)`` counted: asserts the status, that the body holds
    each of ``contains`` (what the user would see on the right page, so a count taken on an
    error page or a redirect fails), then the count (``queries`` exactly, ``max_queries`` at
    most). Returns the response, with the SQL it ran as ``response.queries``."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data, **extra)
    assert response.status_code == status, (
        f"GET {url} answered {response.status_code}, expected {status}"
    )
    body = response.content.decode()
    for text in [contains] if isinstance(contains, str) else contains:
        assert text in body, f"GET {url}: {text!r} is not in the page"
    sql = [query["sql"] for query in context.captured_queries]
    _check_count(sql, exactly=queries, at_most=max_queries)
    response.queries = sql  # type: ignore[attr-defined]
    return response


@contextmanager
def captured_on(alias: str) -> Iterator[CaptureQueriesContext]:
    """The statements run through the database ``alias`` in the block: which connection a
    read went through (the replica router's tests), never a count (``counting`` is)."""
    with CaptureQueriesContext(connections[alias]) as context:
        yield context
