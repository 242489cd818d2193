# SQL here is built from model metadata (quoted table and column names); values are
# always query parameters.
# ruff: noqa: S608
"""The benchmark data generator: an ordered registry of seeding steps.

``manage.py bench_seed --scale S`` runs every registered step, in registration order, with
one shared ``SeedContext``. At scale 1.0 the data set is the one of the performance budget
in DESIGN.md; every count is multiplied by the scale (with small floors so that
``--scale 0.01`` still has every kind of organisation).

What the core steps leave in the context, for the steps that come after them:

- ``ctx.orgs``: one ``OrgRow`` per organisation (``id``, ``code``, ``kind``, ``group_id``,
  ``country``, ``writers`` = user ids of its admins and officers, ``members`` = all users);
  ``ctx.orgs[0]`` is the bench officer's mission, ``ctx.orgs[1]`` the bench NGO,
  ``ctx.orgs[2]`` the coordinator's secretariat, ``ctx.orgs[3]`` a capital desk,
  ``ctx.orgs[4]`` the bench shelter city;
- ``ctx.networks``: ``(network_id, [org index, ...])``; network 0 is the coordinator's
  (``BENCH_NETWORK_MEMBERS`` members, the bench mission, NGO and city among them);
- ``ctx.cases``: one ``CaseRow`` per case (``id``, ``org`` index, ``opened_on``, ``status``);
- ``ctx.shares``: ``(case index, partner org index, level)`` of every *active* share;
- ``ctx.bench_users``: ``{"officer" | "ngo" | "coordinator" | "city": user id}``;
- ``ctx.rng``: a seeded ``random.Random`` (the data set is the same on every run);
- ``ctx.counts``: rows written per table label, printed and stored in ``BenchDataset``.

Adding a step (logbook entries, referrals, alerts, ...) takes one function in this
module or in the app's own ``bench`` module imported at the end of this one::

    from bench.bulk import encrypted_value, insert_rows
    from bench.seeders import register_step

    def seed_logbook_entries(ctx):
        from logbooks.models import Entry

        total = ctx.scaled(1_000_000)
        def rows():
            for n in range(total):
                case = ctx.cases[n % len(ctx.cases)]
                org = ctx.orgs[case.org]
                pk = uuid.uuid4()
                yield (pk, org.id, ctx.now, case.id, ctx.rng.choice(org.writers),
                       encrypted_value(Entry, "body", pk, "..."))
        ctx.counts["logbook entries"] = insert_rows(
            Entry, ["id", "organisation_id", "created_at", "case_id", "author_id", "body"],
            rows())

    register_step("logbook entries", seed_logbook_entries)

Rules for a step: write with ``insert_rows`` (COPY on PostgreSQL, ``executemany``
elsewhere), never one ``save()`` per row; give encrypted columns ``encrypted_value(...)``
(``insert_rows`` skips ``pre_save``); keep every row inside bench organisations
(``ctx.orgs``), since ``--reset`` finds bench data through its organisations: any
``TenantModel`` row of a bench organisation, and any row with a foreign key to such a
row, to a bench user or to a bench group, is deleted by the reset without further code.
A row reachable only through a longer chain needs a ``reset=`` function of its own
(``register_step(name, fn, reset=drop_fn)``), run before the generic reset.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection, models, transaction
from django.utils import timezone

from bench.bulk import encrypted_value, insert_rows
from hrdcase import crypto
from hrdcase.tenancy import TenantModel

BENCH_CODE_PREFIX = "BX"
BENCH_EMAIL_DOMAIN = "bench.hrdcase.test"
BENCH_PASSWORD = "bench-hrdcase-password-2026"  # noqa: S105 (fictional bench accounts)
BENCH_USER_EMAILS = {
    "officer": f"bench.officer@{BENCH_EMAIL_DOMAIN}",
    "ngo": f"bench.ngo@{BENCH_EMAIL_DOMAIN}",
    "coordinator": f"bench.coordinator@{BENCH_EMAIL_DOMAIN}",
    # Staff of the bench shelter city (``ctx.orgs[4]``): the city calendar.
    "city": f"bench.city@{BENCH_EMAIL_DOMAIN}",
}

# Scale 1.0 (DESIGN.md, "Performance budget").
FULL_ORGANISATIONS = 200
FULL_USERS = 2_000
FULL_CASES = 100_000
SHARED_FRACTION = 0.10
# The bench officer's organisation: its own cases, and the cases shared with it.
FULL_BENCH_OWN = 1_500
FULL_BENCH_SHARED_IN = 500
# The bench NGO: cases shared with it (its logbook inbox reads their shared entries).
FULL_NGO_SHARED_IN = 400
# The coordinator's network (network 0): its dashboard aggregates over this many members.
BENCH_NETWORK_MEMBERS = 20


@dataclass
class OrgRow:
    id: uuid.UUID
    code: str
    kind: str
    group_id: int
    country: str
    writers: list[uuid.UUID] = field(default_factory=list)
    members: list[uuid.UUID] = field(default_factory=list)


@dataclass
class CaseRow:
    id: uuid.UUID
    org: int
    opened_on: datetime.date
    status: str


@dataclass
class SeedContext:
    scale: float
    rng: random.Random
    now: datetime.datetime
    log: Callable[[str], None] = print
    orgs: list[OrgRow] = field(default_factory=list)
    networks: list[tuple[uuid.UUID, list[int]]] = field(default_factory=list)
    cases: list[CaseRow] = field(default_factory=list)
    shares: list[tuple[int, int, str]] = field(default_factory=list)
    bench_users: dict[str, uuid.UUID] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def scaled(self, full: int, minimum: int = 1) -> int:
        return max(minimum, round(full * self.scale))


StepFn = Callable[[SeedContext], None]


@dataclass(frozen=True)
class Step:
    name: str
    fn: StepFn
    reset: StepFn | None = None


_steps: dict[str, Step] = {}


def register_step(name: str, fn: StepFn, *, reset: StepFn | None = None) -> None:
    """Add (or replace, keeping its place) the seeding step ``name``; steps run in the order
    they were first registered."""
    _steps[name] = Step(name, fn, reset)


def steps() -> list[Step]:
    return list(_steps.values())


# --- recognising bench data ------------------------------------------------------------------


def bench_organisations():
    from accounts.models import Organisation

    return Organisation.objects.filter(code__startswith=BENCH_CODE_PREFIX)


def non_bench_data() -> dict[str, int]:
    """Rows that the generator did not write (a real or demo database): seeding refuses."""
    from accounts.models import Organisation, User

    found = {
        "organisations": Organisation.objects.exclude(code__startswith=BENCH_CODE_PREFIX).count(),
        "users": User.objects.exclude(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count(),
    }
    return {label: n for label, n in found.items() if n}


# --- running ----------------------------------------------------------------------------------


def run_steps(ctx: SeedContext) -> None:
    for step in steps():
        started = time.perf_counter()
        with transaction.atomic():
            step.fn(ctx)
        ctx.timings[step.name] = round(time.perf_counter() - started, 2)
        ctx.log(f"  {step.name}: {ctx.timings[step.name]:.1f} s")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map too (index-only scans), as autovacuum would.
            cursor.execute("VACUUM ANALYZE")
        ctx.timings["analyze"] = round(time.perf_counter() - started, 2)


def reset_bench_data(log: Callable[[str], None] = print) -> dict[str, int]:
    """Delete every bench row: the steps' own ``reset`` functions, then, generically, every
    row of a bench organisation, of a bench user or group, or pointing at one of those.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED on PostgreSQL and SQLite, so
    inside one transaction the order only matters for the sub-selects: dependants go first,
    while the rows they are found through still exist.
    """
    from accounts.models import Organisation, User

    deleted: dict[str, int] = {}
    org_ids = list(bench_organisations().values_list("id", flat=True))
    group_ids = list(bench_organisations().values_list("group_id", flat=True))
    q = connection.ops.quote_name
    user_table = q(User._meta.db_table)
    org_params = [Organisation._meta.pk.get_db_prep_value(pk, connection) for pk in org_ids]
    org_in = ", ".join(["%s"] * len(org_params)) or "NULL"
    group_in = ", ".join(str(int(pk)) for pk in group_ids) or "NULL"
    like = f"%@{BENCH_EMAIL_DOMAIN}"

    def doomed(model: type[models.Model]) -> tuple[str, list[Any]] | None:
        """SQL selecting the primary keys of ``model``'s bench rows (None: not a root)."""
        # Literal id lists for the roots: their rows may be gone before a dependant's turn.
        if model is Organisation:
            return org_in, org_params
        if model is Group:
            return group_in, []
        if model is User:
            return (
                f"SELECT id FROM {user_table} WHERE organisation_id IN ({org_in}) OR email LIKE %s",
                [*org_params, like],
            )
        if issubclass(model, TenantModel):
            return (
                f"SELECT id FROM {q(model._meta.db_table)} WHERE organisation_id IN ({org_in})",
                org_params,
            )
        return None

    roots = [Organisation, Group, User]
    all_models = list(apps.get_models(include_auto_created=True))
    tenant_models = [m for m in all_models if issubclass(m, TenantModel) and not m._meta.proxy]
    with transaction.atomic():
        for step in reversed(steps()):
            if step.reset is not None:
                step.reset(SeedContext(scale=0, rng=random.Random(0), now=timezone.now(), log=log))  # noqa: S311
        with connection.cursor() as cursor:
            # 1. Rows pointing at a bench row (shares, permissions, m2m rows, devices...).
            for model in all_models:
                if model._meta.proxy or not model._meta.managed or model in roots:
                    continue
                table = q(model._meta.db_table)
                for fk in model._meta.concrete_fields:
                    if not isinstance(fk, models.ForeignKey) or not fk.db_constraint:
                        continue
                    target = doomed(fk.related_model)
                    if target is None or (
                        # a tenant row's own organisation: step 2 deletes those
                        issubclass(model, TenantModel) and fk.name == "organisation"
                    ):
                        continue
                    sub_sql, params = target
                    cursor.execute(
                        f"DELETE FROM {table} WHERE {q(fk.column)} IN ({sub_sql})", params
                    )
                    if cursor.rowcount:
                        label = model._meta.label
                        deleted[label] = deleted.get(label, 0) + cursor.rowcount
            # 2. The bench organisations' own rows, then users, organisations, groups.
            for model in tenant_models:
                cursor.execute(
                    f"DELETE FROM {q(model._meta.db_table)} WHERE organisation_id IN ({org_in})",
                    org_params,
                )
                if cursor.rowcount:
                    label = model._meta.label
                    deleted[label] = deleted.get(label, 0) + cursor.rowcount
            for model in roots:
                sub_sql, params = doomed(model)
                cursor.execute(
                    f"DELETE FROM {q(model._meta.db_table)} WHERE id IN ({sub_sql})", params
                )
                deleted[model._meta.label] = deleted.get(model._meta.label, 0) + cursor.rowcount
        from bench.models import BenchDataset

        BenchDataset.objects.all().delete()
    return deleted


# --- the core steps: organisations, networks, users, cases, shares ---------------------------

COUNTRIES = ["CO", "KE", "MX", "GT", "HN", "PH", "UG", "ZW", "BY", "RU", "TR", "EG", "IN", "BR"]
STATES = ["NL", "NO", "DE", "FR", "SE", "FI", "IE", "ES", "CA", "CH", "GB", "DK", "BE", "AT"]
FIRST = ["Ana", "Luis", "María", "José", "Amina", "Peter", "Grace", "Olga", "Yusuf", "Chen"]
FIRST += ["Lucía", "Ahmed", "Fatima", "Iván", "Nadia", "Samuel", "Rosa", "Tomás", "Aisha", "Ali"]
LAST = ["López", "Otieno", "Hernández", "Mwangi", "Ramos", "Santos", "Petrova", "Kaya"]
LAST += ["Wanjiru", "García", "Reyes", "Nkosi", "Ivanova", "Das", "Silva", "Mendoza", "Ochieng"]


def _org_kinds(n: int) -> list[str]:
    from accounts.models import Organisation

    kinds = Organisation.Kind
    # Fixed first three (bench officer's mission, bench NGO, coordinator's secretariat),
    # then at least one of each kind, then the mix: half missions, a quarter NGOs.
    head = [kinds.MISSION, kinds.NGO, kinds.SECRETARIAT, kinds.CAPITAL, kinds.SHELTER_CITY]
    mix = [kinds.MISSION] * 10 + [kinds.NGO] * 5 + [kinds.SHELTER_CITY] * 3 + [kinds.CAPITAL] * 2
    return [*head, *(mix[i % len(mix)] for i in range(max(0, n - len(head))))][:n]


def seed_organisations(ctx: SeedContext) -> None:
    from accounts.models import Organisation

    n = ctx.scaled(FULL_ORGANISATIONS, minimum=6)
    kinds = _org_kinds(n)
    codes = [f"{BENCH_CODE_PREFIX}{i:04d}" for i in range(n)]
    # One auth group per organisation, as accounts.services.organisation_create makes it.
    groups = Group.objects.bulk_create([Group(name=f"org:{code}") for code in codes])
    if any(g.pk is None for g in groups):  # a backend that does not return ids
        by_name = dict(
            Group.objects.filter(name__in=[g.name for g in groups]).values_list("name", "id")
        )
        for g in groups:
            g.pk = by_name[g.name]
    orgs = []
    for i, (code, kind, group) in enumerate(zip(codes, kinds, groups, strict=True)):
        country = COUNTRIES[i % len(COUNTRIES)]
        represented = STATES[i % len(STATES)] if kind in ("mission", "capital") else ""
        orgs.append(
            Organisation(
                id=uuid.uuid4(),
                name=f"Bench {Organisation.Kind(kind).name.lower().replace('_', ' ')} {i:04d}",
                code=code,
                kind=kind,
                country=country,
                represented_state=represented,
                group=group,
                created_at=ctx.now,
            )
        )
        ctx.orgs.append(OrgRow(orgs[-1].id, code, kind, group.pk, country))
    Organisation.objects.bulk_create(orgs)
    ctx.counts["organisations"] = n


def seed_networks(ctx: SeedContext) -> None:
    from accounts.models import ProtectionNetwork

    n_orgs = len(ctx.orgs)
    n = max(2, min(12, n_orgs // 15))
    through = ProtectionNetwork.members.through
    networks, rows = [], []
    for i in range(n):
        if i == 0:
            # The coordinator's network: the bench mission, NGO, secretariat and city, and
            # others up to BENCH_NETWORK_MEMBERS.
            fixed = {0, 1, 2, 4} & set(range(n_orgs))
            others = [o for o in range(n_orgs) if o not in fixed]
            extra = max(0, min(len(others), BENCH_NETWORK_MEMBERS - len(fixed)))
            members = sorted(fixed | set(ctx.rng.sample(others, extra)))
        else:
            size = min(n_orgs, ctx.rng.randint(5, 25))
            members = sorted(set(ctx.rng.sample(range(n_orgs), size)))
        net = ProtectionNetwork(
            id=uuid.uuid4(),
            name=f"Bench network {i:02d}",
            country=COUNTRIES[i % len(COUNTRIES)],
            created_at=ctx.now,
        )
        networks.append(net)
        ctx.networks.append((net.id, members))
        rows.extend((net.id, ctx.orgs[m].id) for m in members)
    ProtectionNetwork.objects.bulk_create(networks)
    insert_rows(through, ["protectionnetwork_id", "organisation_id"], rows)
    ctx.counts["networks"] = n
    ctx.counts["network members"] = len(rows)


def reset_networks(ctx: SeedContext) -> None:
    from accounts.models import ProtectionNetwork

    networks = ProtectionNetwork.objects.filter(name__startswith="Bench network ")
    ProtectionNetwork.members.through.objects.filter(protectionnetwork__in=networks).delete()
    networks.delete()


def seed_users(ctx: SeedContext) -> None:
    from accounts.models import Role, User

    # One hash for every bench account: hashing is the slow part of creating users.
    password = make_password(BENCH_PASSWORD)
    n_orgs = len(ctx.orgs)
    total = max(ctx.scaled(FULL_USERS), 3 * n_orgs)
    users: list[User] = []

    def add(org_index: int, role: str, email: str, name: str) -> uuid.UUID:
        org = ctx.orgs[org_index]
        user = User(
            id=uuid.uuid4(),
            email=email,
            full_name=name,
            organisation_id=org.id,
            role=role,
            password=password,
            date_joined=ctx.now,
        )
        users.append(user)
        org.members.append(user.id)
        if role in (Role.ADMIN, Role.OFFICER):
            org.writers.append(user.id)
        return user.id

    ctx.bench_users["officer"] = add(0, Role.OFFICER, BENCH_USER_EMAILS["officer"], "Bench Officer")
    ctx.bench_users["ngo"] = add(1, Role.OFFICER, BENCH_USER_EMAILS["ngo"], "Bench NGO")
    ctx.bench_users["coordinator"] = add(
        2, Role.COORDINATOR, BENCH_USER_EMAILS["coordinator"], "Bench Coordinator"
    )
    ctx.bench_users["city"] = add(4, Role.OFFICER, BENCH_USER_EMAILS["city"], "Bench City")
    # Every organisation: an admin and an officer; the rest spread, mostly officers.
    for i in range(n_orgs):
        add(i, Role.ADMIN, f"admin{i:04d}@{BENCH_EMAIL_DOMAIN}", f"Admin {i}")
        add(i, Role.OFFICER, f"officer{i:04d}-0@{BENCH_EMAIL_DOMAIN}", f"Officer {i}")
    roles = [Role.OFFICER] * 6 + [Role.VIEWER] * 3 + [Role.ADMIN]
    n = 0
    while len(users) < total:
        i = ctx.rng.randrange(n_orgs)
        role = roles[n % len(roles)]
        if ctx.orgs[i].kind in ("capital", "secretariat") and n % 4 == 0:
            role = Role.COORDINATOR
        n += 1
        add(i, role, f"user{n:05d}@{BENCH_EMAIL_DOMAIN}", f"User {n}")
    User.objects.bulk_create(users, batch_size=2_000)
    group_of = {org.id: org.group_id for org in ctx.orgs}
    insert_rows(
        User.groups.through,
        ["user_id", "group_id"],
        ((u.id, group_of[u.organisation_id]) for u in users),
    )
    ctx.counts["users"] = len(users)


def _distribute_cases(ctx: SeedContext, total: int) -> list[int]:
    """Owner organisation index of every case: the bench mission gets its fixed share,
    the others a skewed one (a few large missions and NGOs, many small ones)."""
    own = min(total, ctx.scaled(FULL_BENCH_OWN))
    others = list(range(1, len(ctx.orgs)))
    weights = [ctx.rng.lognormvariate(0, 0.8) for _ in others]
    owners = [0] * own + ctx.rng.choices(others, weights=weights, k=total - own)
    ctx.rng.shuffle(owners)
    return owners


def seed_cases(ctx: SeedContext) -> None:
    from cases.models import AreaOfWork, Case, CaseCounter, ClosingReason, Defender, ThreatType

    total = ctx.scaled(FULL_CASES, minimum=50)
    owners = _distribute_cases(ctx, total)
    today = ctx.now.date()
    threat_ids = list(ThreatType.objects.values_list("id", flat=True))
    area_ids = list(AreaOfWork.objects.values_list("id", flat=True))
    statuses = ["open"] * 5 + ["monitoring"] * 3 + ["closed"] * 2
    risks = ["", "low", "medium", "medium", "high", "high", "critical"]
    closing = [c for c in ClosingReason.values if c != "other"]
    counters: dict[tuple[int, int], int] = {}
    defender_rows, case_rows, threat_rows, area_rows = [], [], [], []
    for n, owner in enumerate(owners):
        org = ctx.orgs[owner]
        defender_id, case_id = uuid.uuid4(), uuid.uuid4()
        name = f"{ctx.rng.choice(FIRST)} {ctx.rng.choice(LAST)} {ctx.rng.choice(LAST)}"
        country = org.country
        collective = n % 10 == 0
        defender_rows.append(
            (
                defender_id,
                org.id,
                ctx.now,
                "collective" if collective else "individual",
                encrypted_value(Defender, "legal_name", defender_id, name),
                encrypted_value(Defender, "other_names", defender_id, ""),
                encrypted_value(Defender, "contact_channels", defender_id, "Signal"),
                encrypted_value(Defender, "location", defender_id, ""),
                encrypted_value(Defender, "notes", defender_id, ""),
                ctx.rng.randint(3, 200) if collective else None,
                country,
                "" if collective else ctx.rng.choice(["woman", "man", "undisclosed"]),
                crypto.blind_index(name, scope=country),
            )
        )
        opened = today - datetime.timedelta(days=ctx.rng.randint(0, 6 * 365))
        number = counters[(owner, opened.year)] = counters.get((owner, opened.year), 0) + 1
        status = ctx.rng.choice(statuses)
        closed_on = None
        if status == "closed":
            closed_on = min(today, opened + datetime.timedelta(days=ctx.rng.randint(30, 900)))
        risk = ctx.rng.choice(risks)
        case_rows.append(
            (
                case_id,
                org.id,
                ctx.now,
                defender_id,
                f"{org.code}-{opened.year}-{number:04d}",
                f"HRD-{n:06d}",
                ctx.rng.choice(org.writers),
                status,
                ctx.rng.choice(closing) if status == "closed" else "",
                opened,
                closed_on,
                risk,
                risk,
                "",
                encrypted_value(Case, "summary", case_id, "Threats after land-rights work."),
                ctx.now,
                None,
            )
        )
        for threat in ctx.rng.sample(threat_ids, min(len(threat_ids), ctx.rng.randint(0, 2))):
            threat_rows.append((case_id, threat))
        for area in ctx.rng.sample(area_ids, min(len(area_ids), ctx.rng.randint(1, 2))):
            area_rows.append((defender_id, area))
        ctx.cases.append(CaseRow(case_id, owner, opened, status))
    ctx.counts["defenders"] = insert_rows(
        Defender,
        [
            "id",
            "organisation_id",
            "created_at",
            "kind",
            "legal_name",
            "other_names",
            "contact_channels",
            "location",
            "notes",
            "member_count",
            "country",
            "gender",
            "name_index",
        ],
        defender_rows,
    )
    ctx.counts["cases"] = insert_rows(
        Case,
        [
            "id",
            "organisation_id",
            "created_at",
            "defender_id",
            "reference",
            "pseudonym",
            "lead_officer_id",
            "status",
            "closing_reason",
            "opened_on",
            "closed_on",
            "risk_level",
            "risk_assessed_level",
            "risk_override_reason",
            "summary",
            "updated_at",
            "purged_at",
        ],
        case_rows,
    )
    ctx.counts["case threat types"] = insert_rows(
        Case.threat_types.through, ["case_id", "threattype_id"], threat_rows
    )
    ctx.counts["defender areas of work"] = insert_rows(
        Defender.areas_of_work.through, ["defender_id", "areaofwork_id"], area_rows
    )
    # References stay unique when someone opens a case later: the counters say where to go on.
    CaseCounter.objects.bulk_create(
        [
            CaseCounter(organisation_id=ctx.orgs[owner].id, year=year, last=last)
            for (owner, year), last in counters.items()
        ],
        batch_size=5_000,
    )


def seed_shares(ctx: SeedContext) -> None:
    from cases.access import LEVEL_PERMISSIONS
    from cases.models import CaseGroupObjectPermission, CaseShare

    perm_ids = dict(
        Permission.objects.filter(
            content_type__app_label="cases",
            content_type__model="case",
            codename__in={c for perms in LEVEL_PERMISSIONS.values() for c in perms},
        ).values_list("codename", "id")
    )
    n_orgs = len(ctx.orgs)
    target = round(len(ctx.cases) * SHARED_FRACTION)
    # The bench mission receives a fixed number of visible shares (full or feedback) of
    # other organisations' cases, so it sees ~2,000 cases at scale 1.0.
    foreign = [i for i, c in enumerate(ctx.cases) if c.org != 0]
    incoming = ctx.rng.sample(foreign, min(len(foreign), ctx.scaled(FULL_BENCH_SHARED_IN)))
    plan: list[tuple[int, int, str, str]] = []  # case index, partner, level, status
    for i in incoming:
        level = CaseShare.Level.FULL if ctx.rng.random() < 0.45 else CaseShare.Level.FEEDBACK
        plan.append((i, 0, level, CaseShare.Status.ACTIVE))
    incoming_set = set(incoming)
    # The bench NGO receives a fixed number too (its logbook inbox).
    ngo_foreign = [i for i in foreign if i not in incoming_set and ctx.cases[i].org != 1]
    ngo_in = ctx.rng.sample(ngo_foreign, min(len(ngo_foreign), ctx.scaled(FULL_NGO_SHARED_IN)))
    for i in ngo_in:
        level = CaseShare.Level.FULL if ctx.rng.random() < 0.5 else CaseShare.Level.FEEDBACK
        plan.append((i, 1, level, CaseShare.Status.ACTIVE))
    incoming_set |= set(ngo_in)
    rest = [i for i in range(len(ctx.cases)) if i not in incoming_set]
    levels = ["full"] * 7 + ["feedback"] * 9 + ["relocation"] * 4
    for i in ctx.rng.sample(rest, max(0, min(len(rest), target - len(incoming_set)))):
        owner = ctx.cases[i].org
        # Never the bench mission: its visible count stays what the budget names.
        candidates = ctx.rng.sample(range(1, n_orgs), min(3, n_orgs - 1))
        partners = [p for p in candidates if p != owner][: 1 + (ctx.rng.random() < 0.2)]
        for partner in partners:
            roll = ctx.rng.random()
            status = "active" if roll < 0.9 else ("revoked" if roll < 0.95 else "expired")
            plan.append((i, partner, ctx.rng.choice(levels), status))
    share_rows, perm_rows = [], []
    for case_index, partner, level, status in plan:
        case = ctx.cases[case_index]
        owner = ctx.orgs[case.org]
        ended = ctx.now if status != "active" else None
        share_rows.append(
            (
                uuid.uuid4(),
                owner.id,
                ctx.now,
                case.id,
                ctx.orgs[partner].id,
                level,
                status,
                "Coordinated protection response.",
                None,
                ctx.rng.choice(owner.writers),
                ended,
                ctx.rng.choice(owner.writers) if ended else None,
                status if ended else "",  # end_reason: "revoked", "expired" or none
            )
        )
        if status == "active":
            ctx.shares.append((case_index, partner, level))
            group = ctx.orgs[partner].group_id
            perm_rows.extend(
                (case.id, group, perm_ids[codename]) for codename in LEVEL_PERMISSIONS[level]
            )
    ctx.counts["shares"] = insert_rows(
        CaseShare,
        [
            "id",
            "organisation_id",
            "created_at",
            "case_id",
            "partner_id",
            "level",
            "status",
            "reason",
            "expires_at",
            "granted_by_id",
            "ended_at",
            "ended_by_id",
            "end_reason",
        ],
        share_rows,
    )
    ctx.counts["shared cases"] = len({row[3] for row in share_rows})
    ctx.counts["case permissions"] = insert_rows(
        CaseGroupObjectPermission, ["content_object_id", "group_id", "permission_id"], perm_rows
    )
    ctx.counts["bench officer sees"] = sum(1 for c in ctx.cases if c.org == 0) + len(incoming)


def seed_bench_devices(ctx: SeedContext) -> None:
    """Confirmed TOTP devices of the bench users: ``bench_run`` logs in through the real
    two-step login and computes their codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for label, user_id in ctx.bench_users.items():
        TOTPDevice.objects.create(user_id=user_id, name=f"bench {label}", confirmed=True)


register_step("organisations", seed_organisations)
register_step("networks", seed_networks, reset=reset_networks)
register_step("users", seed_users)
register_step("cases", seed_cases)
register_step("shares", seed_shares)
register_step("bench devices", seed_bench_devices)

# The apps' steps (logbooks, relocation, alerts) run after the core ones.
import bench.seed_apps  # noqa: E402, F401

# --- entry points (bench_seed, bench_run, the smoke test) -------------------------------------


class SeedRefused(Exception):
    """The database holds data that the generator must not mix with or overwrite."""


def current_dataset():
    from bench.models import BenchDataset

    return BenchDataset.objects.first()


def seed_dataset(
    scale: float, *, force: bool = False, log: Callable[[str], None] = print, seed: int = 42
) -> SeedContext:
    """Seed every registered step at ``scale``; refuses a database holding non-bench data
    (unless ``force``) or bench data already (reset it first)."""
    from bench.models import BenchDataset

    if scale <= 0:
        raise SeedRefused("the scale must be positive")
    existing = current_dataset()
    if existing is not None or bench_organisations().exists():
        raise SeedRefused(
            f"this database already holds bench data ({existing or 'incomplete seeding'}); "
            "drop it first with --reset"
        )
    foreign = non_bench_data()
    if foreign and not force:
        details = ", ".join(f"{n} {label}" for label, n in foreign.items())
        raise SeedRefused(
            f"this database holds data the benchmark did not write ({details}): use a "
            "dedicated database, or --force to add bench data beside it"
        )
    ctx = SeedContext(
        scale=scale,
        rng=random.Random(seed),  # noqa: S311 (reproducible fake data, not secrets)
        now=timezone.now(),
        log=log,
    )
    dataset = BenchDataset.objects.create(scale=scale)
    started = time.perf_counter()
    run_steps(ctx)
    ctx.timings["total"] = round(time.perf_counter() - started, 2)
    dataset.finished_at = timezone.now()
    dataset.counts = ctx.counts
    dataset.timings = ctx.timings
    dataset.save()
    return ctx
