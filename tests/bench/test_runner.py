"""The benchmark's in-process count compares pages, never a page with an error page."""

from __future__ import annotations

import uuid

import pytest

from bench import runner
from bench.operations import Operation, RunContext

pytestmark = pytest.mark.django_db


def test_it_fails_an_operation_whose_second_page_answers_an_error(officer):
    operation = Operation(
        name="case list",
        actor="officer",
        path=lambda ctx: "/cases/",
        target_p95_ms=None,
        probe_path=lambda ctx: f"/cases/{uuid.uuid4()}/",  # a 404 page
    )
    ctx = RunContext(users={"officer": officer}, case_id=None, search_term="")
    result = runner.measure_queries(operation, ctx)
    assert result.errors == ["HTTP 404 in-process on the second page"]
    assert result.passed is False


def test_it_passes_an_operation_whose_pages_both_answer(officer):
    operation = Operation(
        name="case list",
        actor="officer",
        path=lambda ctx: "/cases/",
        target_p95_ms=None,
        probe_path=lambda ctx: "/cases/?status=open",
    )
    ctx = RunContext(users={"officer": officer}, case_id=None, search_term="")
    result = runner.measure_queries(operation, ctx)
    assert result.errors == [] and result.fixed_queries


def test_bench_run_refuses_what_it_cannot_measure_honestly(db, settings):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="at least 100"):
        call_command("bench_run", requests=50)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--bench-database"):
        call_command("bench_run", seed_if_needed=True)
    with pytest.raises(CommandError, match=r"not scale 0\.01"):
        call_command("bench_run", scale=0.01)
