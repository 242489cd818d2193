"""The bare view (issue 24): a page's own SQL and a minimal template, nothing else.

For an operation with ``bare=True`` (the case list, the case page), ``bench_run`` captures
in-process, with one signed-in client of the operation's user:

1. every statement the real page runs (the Django test client under CaptureQueriesContext,
   cache cleared first, as the counted request);
2. every statement the bare URL runs when it replays nothing: what the middleware costs
   (session, user, second factor, language...), the same for both pages;

and writes the real page's statements minus the middleware's (a multiset difference, in the
real page's order; SELECT statements only, a server-side cursor's DECLARE as the SELECT it
declares: a write would not replay) to
``$BENCH_BARE_DIR/<slug>.json`` with the user's id. Through gunicorn the bare URL
(``/__bench__/bare/<slug>/``, in ``bench.urls``, which only the bench web settings route)
replays those exact statements, with the parameters the real page bound, through Django's
connection, and renders every row they return in a minimal template. So the bare page runs
the same SQL as the real page (the middleware's own and the replayed view's) and renders
the same rows, without the view's Python: forms, querysets, model instances, decryption,
template includes. ``real / bare`` is then what the page costs above its SQL and its rows.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

from django.db import connection
from django.http import Http404, HttpResponse
from django.template import engines
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.text import slugify

BARE_URLCONF = "bench.urls"
#: issue 24: a page may cost at most 1.5 times its bare view (p95 through gunicorn).
REAL_BARE_TARGET = 1.5

_TEMPLATE = (
    "<!doctype html><title>{{ name }}</title>"
    "{% for rows in results %}<table>{% for row in rows %}<tr>"
    "{% for cell in row %}<td>{{ cell }}</td>{% endfor %}"
    "</tr>{% endfor %}</table>{% endfor %}"
)
_template = None
_specs: dict[str, tuple[int, dict]] = {}


def slug(name: str) -> str:
    return slugify(name) or "page"


def bare_path(name: str) -> str:
    return f"/__bench__/bare/{slug(name)}/"


def spec_dir() -> Path:
    directory = os.environ.get("BENCH_BARE_DIR")
    if not directory:
        raise Http404("no BENCH_BARE_DIR")
    return Path(directory)


def _load(name: str) -> dict:
    """The spec of ``name``, read once per process (again when the file changes)."""
    path = spec_dir() / f"{name}.json"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise Http404("no bare spec") from None
    cached = _specs.get(name)
    if cached is None or cached[0] != mtime:
        cached = (mtime, json.loads(path.read_text()))
        _specs[name] = cached
    return cached[1]


def write_spec(name: str, user_id, statements: list[str]) -> None:
    directory = spec_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{slug(name)}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"user_id": str(user_id), "statements": statements}))
    tmp.replace(path)


def bare_view(request, name: str):
    global _template
    spec = _load(name)
    user = request.user
    if not user.is_authenticated or str(user.pk) != spec["user_id"]:
        raise Http404("bare pages answer their bench user only")
    results = []
    with connection.cursor() as cursor:
        for sql in spec["statements"]:
            cursor.execute(sql)  # no params: the statement as the real page bound it
            results.append(cursor.fetchall() if cursor.description else [])
    if _template is None:
        _template = engines["django"].from_string(_TEMPLATE)
    return HttpResponse(_template.render({"name": name, "results": results}, request))


# --- capture (in the bench_run process) --------------------------------------------------------


#: a server-side cursor (``QuerySet.iterator()`` on PostgreSQL): the rows come by FETCH,
#: which Django does not capture; the bare view runs the SELECT it was declared for.
_DECLARE = re.compile(
    r'^\s*DECLARE\s+"[^"]+"\s+(?:NO\s+)?SCROLL\s+CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+(.*)$',
    re.S | re.I,
)


def _is_select(sql: str) -> bool:
    head = sql.lstrip().upper()
    return head.startswith("SELECT") or head.startswith("WITH")


def _readable(sql: str) -> str:
    declared = _DECLARE.match(sql)
    return declared.group(1) if declared else sql


#: a timestamp literal: the session's ``expire_date > now`` differs between two requests.
_TIMESTAMP = re.compile(r"'\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d(:?\d\d)?)?'")


def _same(sql: str) -> str:
    return _TIMESTAMP.sub("'<now>'", sql)


def replayed_statements(page: list[str], middleware: list[str]) -> tuple[list[str], list[str]]:
    """The page's statements that the middleware did not run (multiset difference, in the
    page's order, timestamps aside), SELECTs only; and the writes left out (an INSERT
    replayed would repeat its primary key)."""
    left = Counter(_same(sql) for sql in middleware)
    replay, skipped = [], []
    for sql in page:
        if left[_same(sql)]:
            left[_same(sql)] -= 1
        elif _is_select(_readable(sql)):
            replay.append(_readable(sql))
        else:
            skipped.append(sql)
    return replay, skipped


def _capture(client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    return response.status_code, [q["sql"] for q in captured.captured_queries]


def prepare(operation, ctx) -> dict:
    """Capture the real page's statements and write the bare spec of ``operation``; return
    what was found (for the results): statements replayed, writes left out, and the bare
    page's query count in-process (the real page's, less the writes)."""
    from bench import runner

    client = runner.client_for(operation, ctx)
    path = operation.path(ctx)
    user = ctx.users[operation.actor]
    client.get(path, secure=True)  # warm, as the counted request
    runner.clear_cache()
    status, page = _capture(client, path)
    with override_settings(ROOT_URLCONF=BARE_URLCONF):
        write_spec(operation.name, user.pk, [])
        bare = bare_path(operation.name)
        client.get(bare, secure=True)
        bare_status, middleware = _capture(client, bare)
        replay, skipped = replayed_statements(page, middleware)
        write_spec(operation.name, user.pk, replay)
        check_status, checked = _capture(client, bare)
    errors = []
    if {status, bare_status, check_status} != {200}:
        errors.append(f"bare capture: HTTP {status} / {bare_status} / {check_status}")
    if len(checked) != len(page) - len(skipped):
        errors.append(f"bare page runs {len(checked)} statements, the real page {len(page)}")
    return {
        "bare_path": bare,
        "bare_statements": len(replay),
        # The start of each (its table), for the results file: what the bare page skips.
        "bare_writes_left_out": [" ".join(sql.split()[:4]) for sql in skipped],
        "bare_queries": len(checked),
        "errors": errors,
    }
