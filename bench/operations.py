"""The measured operations: a registry, so each app adds its pages in one place.

An ``Operation`` names a request (``path(ctx)`` gives its URL for the bench data set), who
makes it (``actor``: a key of the bench users, see ``bench.seeders.BENCH_USER_EMAILS``),
how it authenticates (``"session"``: a browser session that passed the two-step login;
``"token"``: an API token), its target from DESIGN.md ("Performance budget") and which
captured SQL query is its *main* query (``main_table``: the slowest captured query reading
that table, narrowed by ``main_match``), which ``bench_run`` also times straight through
psycopg2 (the floor).

Adding one (the inbox, dashboards, visa queue, city calendar, Home, the iCal feed)::

    from bench.operations import Operation, register_operation

    register_operation(Operation(
        name="inbox: shared entries (NGO)",
        actor="ngo",
        path=lambda ctx: "/alerts/notifications/?category=shared_entries",
        target_p95_ms=50,
        main_table="alerts_notification",
    ))

``ctx`` is a ``RunContext``: the bench users (``ctx.users["officer"]``), a busy case of the
bench officer (``ctx.case_id``) and ``ctx.extra`` for what a seeding step put aside
(``ctx.extra`` is filled by ``prepare_context`` functions registered with
``register_context``). Non-HTTP measurements (an alert raised until its notification is
dispatched by a live worker) register a ``Probe`` instead: a function returning latency
samples in milliseconds, printed in the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunContext:
    users: dict[str, Any]
    case_id: Any
    search_term: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    #: no comma: ``BENCH_ONLY`` is a comma-separated list of names.
    name: str
    actor: str
    path: Callable[[RunContext], str]
    target_p95_ms: float | None
    main_table: str = "cases_case"
    #: narrows the main query further: a fragment its SQL must contain.
    main_match: str = ""
    #: ``"session"``, ``"token"`` or ``"none"`` (a secret URL: the iCal feed)
    auth: str = "session"
    #: ``"main"``: the floor is the main query alone; ``"all"``: every SELECT the page runs,
    #: one after the other (pages made of many aggregates, such as the dashboards).
    floor: str = "main"
    #: where DESIGN.md sets no target: the figure to compare with (shown, never failed).
    guide_p95_ms: float | None = None
    #: another URL of the same view returning a different number of rows: its query count
    #: must be the same (no N+1 whatever the page size).
    probe_path: Callable[[RunContext], str] | None = None
    #: a page served from a cache that a background job keeps warm: the dotted path of that
    #: job's function, run before counting (in-process) and before the HTTP run (in a
    #: subprocess with ``web_settings``, whose cache the gunicorn workers share).
    warm_with: str = ""
    #: the settings module of the gunicorn workers measuring this operation.
    web_settings: str = "bench.web_settings"
    #: also measure its bare view (bench/bare.py: the same SQL, a minimal template),
    #: interleaved with it through the same gunicorn, and print real/bare. Session pages only.
    bare: bool = False
    #: issue 24's target for this page (performance round 5), printed beside the budget
    #: above; a p95 over it fails the operation too.
    issue24_p95_ms: float | None = None


@dataclass
class ProbeOutcome:
    """What a probe measured: latency samples (ms), a line for the table, failures, and
    figures for the JSON results."""

    samples: list[float]
    note: str = ""
    errors: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    #: pass/fail of a probe whose target is not a p95 (the load run's req/s); None: none.
    passed: bool | None = None


@dataclass(frozen=True)
class Probe:
    name: str
    #: ``run(ctx, requests)``: latency samples in ms, or a ``ProbeOutcome``.
    run: Callable[[RunContext, int], list[float] | ProbeOutcome]
    target_p95_ms: float | None
    #: it serves pages through gunicorn (the load runs): skipped by ``bench_run --no-http``.
    http: bool = False


_operations: dict[str, Operation] = {}
_probes: dict[str, Probe] = {}
_context_builders: list[Callable[[RunContext], None]] = []


def register_operation(operation: Operation) -> None:
    _operations[operation.name] = operation


def register_probe(probe: Probe) -> None:
    _probes[probe.name] = probe


def register_context(builder: Callable[[RunContext], None]) -> None:
    """``builder(ctx)`` fills ``ctx.extra`` before the operations run (e.g. a referral id)."""
    _context_builders.append(builder)


def operations() -> list[Operation]:
    return list(_operations.values())


def probes() -> list[Probe]:
    return list(_probes.values())


def prepare_context() -> RunContext:
    from accounts.models import User
    from bench.seeders import BENCH_USER_EMAILS
    from cases.models import Case, CaseShare

    users = {
        label: User.objects.select_related("organisation").get(email=email)
        for label, email in BENCH_USER_EMAILS.items()
    }
    officer = users["officer"]
    # The bench officer's own case with an active share (the smallest id): the busiest case
    # page; the logbook step gives it 250 entries (bench/seed_apps.py, ``_busy_case``).
    own = Case.objects.owned_by(officer.organisation)
    shared = (
        CaseShare.objects.owned_by(officer.organisation)
        .filter(status=CaseShare.Status.ACTIVE)
        .values_list("case_id", flat=True)
        .order_by("case_id")
    )
    case_id = shared.first() or own.values_list("id", flat=True).first()
    # A search an officer types: the reference prefix of one year's cases ("BX0000-2024").
    reference = own.values_list("reference", flat=True).first() or "BX"
    ctx = RunContext(users=users, case_id=case_id, search_term=reference.rsplit("-", 1)[0])
    for builder in _context_builders:
        builder(ctx)
    return ctx


# --- what exists now: the case list, the case page, the case API ------------------------------

CASE_LIST_P95_MS = 50  # DESIGN.md: case list (page of 50) for an officer who sees ~2,000 cases
CASE_DETAIL_P95_MS = 50  # DESIGN.md: case detail with its latest 50 entries
# Issue 24's targets ("Targets (scale 1.0, make bench, p95)").
ISSUE24_CASE_LIST_MS = 20
ISSUE24_CASE_LIST_FILTERED_MS = 25  # filtered or searched
ISSUE24_CASE_SECTION_MS = 25  # the case page, each section
ISSUE24_API_CASE_LIST_MS = 15
ISSUE24_HOME_MS = 30
ISSUE24_ORGANISATION_DASHBOARD_MS = 40
ISSUE24_NETWORK_DASHBOARD_SERVED_MS = 30
ISSUE24_NETWORK_DASHBOARD_UNCACHED_MS = 150  # "any other period uncached": its first view

# The stack's own floor: session, 2FA and middleware, no tenant data (no target).
register_operation(
    Operation(
        name="healthz (stack floor)",
        actor="officer",
        path=lambda ctx: "/healthz",
        target_p95_ms=None,
        main_table="",
    )
)
register_operation(
    Operation(
        name="case list",
        actor="officer",
        path=lambda ctx: "/cases/",
        target_p95_ms=CASE_LIST_P95_MS,
        issue24_p95_ms=ISSUE24_CASE_LIST_MS,
        probe_path=lambda ctx: "/cases/?page=2",
        bare=True,
    )
)
register_operation(
    Operation(
        name="case list (status + risk filter)",
        actor="officer",
        path=lambda ctx: "/cases/?status=open&risk=high",
        target_p95_ms=CASE_LIST_P95_MS,
        issue24_p95_ms=ISSUE24_CASE_LIST_FILTERED_MS,
    )
)
register_operation(
    Operation(
        name="case list (search)",
        actor="officer",
        path=lambda ctx: f"/cases/?q={ctx.search_term}",
        target_p95_ms=CASE_LIST_P95_MS,
        issue24_p95_ms=ISSUE24_CASE_LIST_FILTERED_MS,
    )
)
# The case page is in sections, each its own URL (issue 23): the timeline with its latest 50
# events is the Logbook section ("case detail + timeline" before, which was the whole page);
# Overview is what opening a case shows (urgent alerts, quick log, facts, identity, tasks).
register_operation(
    Operation(
        name="case logbook",
        actor="officer",
        path=lambda ctx: f"/cases/{ctx.case_id}/s/logbook/",
        target_p95_ms=CASE_DETAIL_P95_MS,
        issue24_p95_ms=ISSUE24_CASE_SECTION_MS,
        bare=True,
        # The slowest query reading the case table (get_case_for's, or a panel's): the view
        # changes as panels are optimised, so no narrower match.
    )
)
register_operation(
    Operation(
        name="case overview",
        actor="officer",
        path=lambda ctx: f"/cases/{ctx.case_id}/",
        target_p95_ms=CASE_DETAIL_P95_MS,
        issue24_p95_ms=ISSUE24_CASE_SECTION_MS,
        bare=True,
    )
)
# The other sections, each with the same budget (issue 23: "the case page's sections").
for _section, _label in (
    ("actions", "case actions"),
    ("risk", "case risk"),
    ("incidents", "case incidents and court"),
    ("relocation", "case relocation"),
    ("sharing", "case sharing and consent"),
):
    register_operation(
        Operation(
            name=_label,
            actor="officer",
            path=lambda ctx, section=_section: f"/cases/{ctx.case_id}/s/{section}/",
            target_p95_ms=CASE_DETAIL_P95_MS,
            issue24_p95_ms=ISSUE24_CASE_SECTION_MS,
        )
    )
register_operation(
    Operation(
        name="API case list (50)",
        actor="officer",
        path=lambda ctx: "/api/v1/cases/",
        target_p95_ms=CASE_LIST_P95_MS,
        issue24_p95_ms=ISSUE24_API_CASE_LIST_MS,
        auth="token",
        probe_path=lambda ctx: "/api/v1/cases/?page_size=10",
    )
)


# --- the apps built on cases: logbooks, dashboards, relocation --------------------------------

#: DESIGN.md names no target for these pages: the list target is the guide.
LIST_GUIDE_MS = 50
NETWORK_DASHBOARD_P95_MS = 200  # DESIGN.md: network dashboard


def _bench_network(ctx: RunContext) -> None:
    from accounts.models import ProtectionNetwork

    coordinator = ctx.users["coordinator"]
    network = (
        ProtectionNetwork.objects.filter(members=coordinator.organisation_id)
        .order_by("name")
        .values_list("pk", flat=True)
        .first()
    )
    ctx.extra["network_id"] = network


register_context(_bench_network)

# The one inbox (alerts' notifications), filtered on partners' shared entries: the former
# logbook inbox, which now leads there.
register_operation(
    Operation(
        name="inbox: shared entries (NGO)",
        actor="ngo",
        path=lambda ctx: "/alerts/notifications/?category=shared_entries",
        target_p95_ms=None,
        guide_p95_ms=LIST_GUIDE_MS,
        main_table="alerts_notification",
        probe_path=lambda ctx: "/alerts/notifications/?category=shared_entries&page=2",
    )
)


def _last_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year - 1


# The network dashboard caches its figures for 5 minutes: today's open-case figures once per
# network (every period shows them), each period's own apart, and beat recomputes today's
# and the default period's before the copies expire (dashboards/caching.py). Measured:
# - "uncached": the web processes run with a dummy cache (bench/web_settings.py) and the
#   in-process count clears the cache first, so every request computes every figure (what
#   beat's refresh costs, and a first view if beat had stopped);
# - "another period: first view" (issue 24's "any other period uncached"): last year's
#   page, its own figures computed on every request (bench/cache.py never keeps them),
#   today's open-case figures from the copy beat keeps warm, as in production;
# - "as served": the default period from the shared cache beat keeps warm (Redis, as in
#   docker-compose), which is what a coordinator opening the dashboard gets.
register_operation(
    Operation(
        name="network dashboard (uncached)",
        actor="coordinator",
        path=lambda ctx: f"/dashboards/networks/{ctx.extra['network_id']}/",
        target_p95_ms=None,
        guide_p95_ms=NETWORK_DASHBOARD_P95_MS,
        main_table="",
        floor="all",
    )
)
register_operation(
    Operation(
        name="network dashboard (another period: first view)",
        actor="coordinator",
        path=lambda ctx: f"/dashboards/networks/{ctx.extra['network_id']}/?period={_last_year()}",
        target_p95_ms=None,
        issue24_p95_ms=ISSUE24_NETWORK_DASHBOARD_UNCACHED_MS,
        guide_p95_ms=NETWORK_DASHBOARD_P95_MS,
        main_table="",
        floor="all",
        warm_with="dashboards.caching.warm_network_figures",
        web_settings="bench.web_settings_first_view",
    )
)
register_operation(
    Operation(
        name="network dashboard (as served: kept warm by beat)",
        actor="coordinator",
        path=lambda ctx: f"/dashboards/networks/{ctx.extra['network_id']}/",
        target_p95_ms=NETWORK_DASHBOARD_P95_MS,
        issue24_p95_ms=ISSUE24_NETWORK_DASHBOARD_SERVED_MS,
        main_table="",
        floor="all",
        warm_with="dashboards.caching.warm_network_figures",
        web_settings="bench.web_settings_shared_cache",
    )
)
register_operation(
    Operation(
        name="organisation dashboard",
        actor="officer",
        path=lambda ctx: "/dashboards/",
        target_p95_ms=None,
        issue24_p95_ms=ISSUE24_ORGANISATION_DASHBOARD_MS,
        guide_p95_ms=LIST_GUIDE_MS,
        main_table="",
        floor="all",
    )
)
register_operation(
    Operation(
        name="visa queue (mission)",
        actor="officer",
        path=lambda ctx: "/relocation/visas/",
        target_p95_ms=None,
        guide_p95_ms=LIST_GUIDE_MS,
        main_table="relocation_visareferral",
        probe_path=lambda ctx: "/relocation/visas/?status=all&page=2",
    )
)
register_operation(
    Operation(
        name="city calendar",
        actor="city",
        path=lambda ctx: "/relocation/shelter/calendar/",
        target_p95_ms=None,
        guide_p95_ms=LIST_GUIDE_MS,
        main_table="",
        floor="all",
    )
)


# --- my work: Home (the work queue) and the private iCal feed ---------------------------------

HOME_P95_MS = 50  # issue 19: Home for an officer who sees ~2,000 cases
ICAL_FEED_P95_MS = 100  # issue 19: the iCal feed


def _bench_feed(ctx: RunContext) -> None:
    """A live calendar feed of the bench officer, made now (its raw token exists only here):
    the previous run's feed is revoked by the service."""
    from work.services import calendar_feed_create

    _feed, raw = calendar_feed_create(acting_user=ctx.users["officer"])
    ctx.extra["feed_token"] = raw


register_context(_bench_feed)

register_operation(
    Operation(
        name="home (officer)",
        actor="officer",
        path=lambda ctx: "/",
        target_p95_ms=HOME_P95_MS,
        issue24_p95_ms=ISSUE24_HOME_MS,
        # Home is one bounded query per source: the floor is all of them, one after another.
        main_table="",
        floor="all",
    )
)
register_operation(
    Operation(
        name="home (coordinator)",
        actor="coordinator",
        path=lambda ctx: "/",
        target_p95_ms=HOME_P95_MS,
        issue24_p95_ms=ISSUE24_HOME_MS,
        main_table="",
        floor="all",
    )
)
register_operation(
    Operation(
        name="iCal feed (officer)",
        actor="officer",
        path=lambda ctx: f"/calendar/feed/{ctx.extra['feed_token']}.ics",
        target_p95_ms=ICAL_FEED_P95_MS,
        auth="none",
        main_table="",
        floor="all",
    )
)

# The alert dispatch probe (a live Celery worker on Redis) and the load runs at concurrency 8
# on the production gunicorn command (bench/throughput.py).
from bench import dispatch, throughput  # noqa: E402, F401
