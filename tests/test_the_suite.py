"""Rules for the suite itself, read from its source with ``ast``.

A ``parametrize`` list and a default argument are evaluated when pytest collects the module,
which can be minutes before the test runs. A date read there is the collection's date: a run
that crossed midnight once tested "tomorrow" against a product already living in it, and the
assessment dated in the future was accepted (CI, 2026-12-07). Read dates inside the test, from
offsets (``tests.dates.in_days``).

Module constants a month or more ahead (a shelter city's capacity periods) stay valid across
midnight and are left alone.

A browser test asserts what it sees with Playwright's ``expect``, which waits for the page.
``is_visible()`` answers at once: a click returns when its navigation has committed, before the
new page is parsed, and "the invited colleague is in the table" failed on a loaded CI machine
although the page showed it a moment later (CI, 2026-12-07).
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
#: calls that read the clock: timezone.now/localdate/localtime, date.today, datetime.now,
#: tests.dates.today/in_days.
CLOCK_READS = {"now", "today", "localdate", "localtime", "in_days", "utcnow"}


def _clock_reads(node: ast.AST) -> list[ast.Call]:
    return [
        call
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        and (getattr(call.func, "attr", None) or getattr(call.func, "id", None)) in CLOCK_READS
    ]


def clock_reads_at_collection(path: Path) -> list[tuple[int, str]]:
    """(line, call) of each clock read in a decorator or a default argument."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        evaluated_early = [
            *getattr(function, "decorator_list", []),
            *function.args.defaults,
            *(default for default in function.args.kw_defaults if default is not None),
        ]
        for node in evaluated_early:
            found += [(call.lineno, ast.unparse(call)) for call in _clock_reads(node)]
    return found


def test_no_date_is_read_when_the_suite_is_collected():
    offenders = [
        f"{path.relative_to(TESTS.parent)}:{line}: {call}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, call in clock_reads_at_collection(path)
    ]
    assert offenders == []


def _module(tmp_path: Path, source: str) -> Path:
    module = tmp_path / "test_example.py"
    module.write_text(source, encoding="utf-8")
    return module


def test_the_rule_sees_a_date_in_a_parametrize_list(tmp_path):
    module = _module(
        tmp_path,
        "import pytest\n"
        "from tests.dates import in_days\n"
        "@pytest.mark.parametrize('when', [in_days(1)])\n"
        "def test_tomorrow(when, now=timezone.now()):\n"
        "    assert in_days(0) < when\n",
    )
    assert clock_reads_at_collection(module) == [(3, "in_days(1)"), (4, "timezone.now()")]


#: Playwright calls that answer at once, without waiting for the page.
SNAPSHOT_CHECKS = {"is_visible", "is_hidden"}


def snapshot_checks(path: Path) -> list[tuple[int, str]]:
    """(line, call) of each ``is_visible()``/``is_hidden()`` in a browser test module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (call.lineno, ast.unparse(call))
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and getattr(call.func, "attr", None) in SNAPSHOT_CHECKS
    ]


def test_browser_tests_wait_for_what_they_assert():
    offenders = [
        f"{path.relative_to(TESTS.parent)}:{line}: {call}"
        for path in sorted((TESTS / "e2e").rglob("*.py"))
        for line, call in snapshot_checks(path)
    ]
    assert offenders == []


def test_the_rule_sees_an_assertion_that_does_not_wait(tmp_path):
    module = _module(
        tmp_path,
        "def test_invite(page):\n"
        "    page.get_by_role('button', name='Send').click()\n"
        "    assert page.get_by_role('cell', name='new@example.org').is_visible()\n"
        "    expect(page.get_by_role('cell', name='new@example.org')).to_be_visible()\n",
    )
    assert snapshot_checks(module) == [
        (3, "page.get_by_role('cell', name='new@example.org').is_visible()")
    ]
