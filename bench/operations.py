"""The measured operations: a registry, so each app adds its pages in one place.

An ``Operation`` names a request (``path(ctx)`` gives its URL for the bench data set), who
makes it (``actor``: a key of the bench users, see ``bench.seeders.BENCH_USER_EMAILS``),
how it authenticates (``"session"``: a browser session that passed the two-step login;
``"token"``: an API token), its target from DESIGN.md ("Performance budget") and which
captured SQL query is its *main* query (``main_table``: the slowest captured query reading
that table, narrowed by ``main_match``), which ``bench_run`` also times straight through
psycopg2 (the floor).

Adding one (the logbook inbox, dashboards, visa queue, city calendar)::

    from bench.operations import Operation, register_operation

    register_operation(Operation(
        name="logbook inbox (NGO)",
        actor="ngo",
        path=lambda ctx: "/logbooks/inbox/",
        target_p95_ms=50,
        main_table="logbooks_entry",
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
    name: str
    actor: str
    path: Callable[[RunContext], str]
    target_p95_ms: float | None
    main_table: str = "cases_case"
    #: narrows the main query further: a fragment its SQL must contain.
    main_match: str = ""
    auth: str = "session"  # or "token"
    #: another URL of the same view returning a different number of rows: its query count
    #: must be the same (no N+1 whatever the page size).
    probe_path: Callable[[RunContext], str] | None = None


@dataclass(frozen=True)
class Probe:
    name: str
    run: Callable[[RunContext, int], list[float]]
    target_p95_ms: float | None


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
    # The bench officer's own case with the most shares: the busiest case page.
    own = Case.objects.owned_by(officer.organisation)
    shared = (
        CaseShare.objects.owned_by(officer.organisation)
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
        probe_path=lambda ctx: "/cases/?page=2",
    )
)
register_operation(
    Operation(
        name="case list, status+risk filter",
        actor="officer",
        path=lambda ctx: "/cases/?status=open&risk=high",
        target_p95_ms=CASE_LIST_P95_MS,
    )
)
register_operation(
    Operation(
        name="case list, search",
        actor="officer",
        path=lambda ctx: f"/cases/?q={ctx.search_term}",
        target_p95_ms=CASE_LIST_P95_MS,
    )
)
register_operation(
    Operation(
        name="case detail + timeline",
        actor="officer",
        path=lambda ctx: f"/cases/{ctx.case_id}/",
        target_p95_ms=CASE_DETAIL_P95_MS,
        # get_case_for: the case with its defender, through the visibility rule.
        main_match='FROM "cases_case" INNER JOIN "cases_defender"',
    )
)
register_operation(
    Operation(
        name="API case list (50)",
        actor="officer",
        path=lambda ctx: "/api/v1/cases/",
        target_p95_ms=CASE_LIST_P95_MS,
        auth="token",
        probe_path=lambda ctx: "/api/v1/cases/?page_size=10",
    )
)
