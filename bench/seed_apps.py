"""Seeding steps of the apps built on cases: logbooks, relocation, alerts.

Imported at the end of ``bench.seeders`` so these steps run after the core ones (they read
``ctx.orgs``, ``ctx.cases``, ``ctx.shares``). Every row belongs to a bench organisation (a
``TenantModel`` row of one, or a row pointing at such a row or a bench user), so
``--reset`` removes it without a reset function of its own. At scale 1.0:

- 1,000,000 logbook entries over the cases, skewed (a log-normal weight per case, shared
  cases three times busier; the bench officer's busiest shared case gets 250), ~15 %
  shared (partners' entries more often), ~5 % with a follow-up date, ~3 % corrected (a
  second version superseding the first); a ``shared_entry`` inbox notification for the
  bench NGO user on each partner's shared entry it follows, ~60 % of them read;
- 50,000 diplomatic actions of missions on their cases, ~10 % joint (an accepted
  ``ActionParticipant``);
- 20,000 referrals (visa ~45 %, shelter ~25 %, grant ~30 %) under ~14,000 relocation
  requests (plus requests still in draft/review), a programme and capacity periods for
  every shelter city; the bench mission gets a visa queue of 1,200 referrals (~15 %
  pending), the bench city 300 stays (10 hosting, 8 confirmed in the next weeks);
- 50,000 alerts (~75 % resolved, ~20 % acknowledged, a few raised), with notifications for
  one in five.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from decimal import Decimal

from bench.bulk import encrypted_value, insert_rows
from bench.seeders import SeedContext, register_step

DAY = datetime.timedelta(days=1)

FULL_LOG_ENTRIES = 1_000_000
FULL_ACTIONS = 50_000
FULL_REFERRALS = 20_000
FULL_ALERTS = 50_000
BUSY_CASE_ENTRIES = 250
FULL_BENCH_VISAS = 1_200
FULL_BENCH_STAYS = 300

SUMMARIES = [
    "Call with the defender: threats continue, safety plan reviewed.",
    "Meeting with the lawyer; next hearing set.",
    "Visit to the community; the defender's family is safe.",
    "Trial observed; the court adjourned.",
    "Raised the case with the ministry's human rights desk.",
    "Feedback given to the partner organisation.",
]
AUTHORITIES = [
    "Ministry of Foreign Affairs, human rights desk",
    "Office of the Attorney General",
    "Ministry of the Interior",
    "National Human Rights Commission",
    "Provincial governor's office",
]


def _writers_or_members(org) -> list[uuid.UUID]:
    return org.writers or org.members


def _partners(ctx: SeedContext, levels: tuple[str, ...]) -> dict[int, list[int]]:
    partners: dict[int, list[int]] = defaultdict(list)
    for case_index, partner, level in ctx.shares:
        if level in levels:
            partners[case_index].append(partner)
    return partners


def _busy_case(ctx: SeedContext) -> int | None:
    """The bench officer's own case with an active share of the smallest id: the case
    ``bench.operations.prepare_context`` measures (the case page's Overview and Logbook)."""
    shared_own = {i for i, _p, _l in ctx.shares if ctx.cases[i].org == 0}
    if not shared_own:
        return None
    return min(shared_own, key=lambda i: ctx.cases[i].id)


# --- logbooks --------------------------------------------------------------------------------


def seed_logbooks(ctx: SeedContext) -> None:
    from alerts.kinds import SHARED_ENTRY
    from alerts.models import Notification
    from logbooks.models import EntryKind, LogEntry

    total = ctx.scaled(FULL_LOG_ENTRIES)
    rng = ctx.rng
    now = ctx.now
    today = now.date()
    partners = _partners(ctx, ("full", "feedback"))
    ngo_sees = {i for i, c in enumerate(ctx.cases) if c.org == 1}
    ngo_sees |= {i for i, ps in partners.items() if 1 in ps}
    ngo_user = ctx.bench_users.get("ngo")
    busy = _busy_case(ctx)
    weights = [
        rng.lognormvariate(0, 1) * (3 if i in partners else 1) for i in range(len(ctx.cases))
    ]
    picks = rng.choices(range(len(ctx.cases)), weights=weights, k=max(0, total))
    if busy is not None:
        picks[: min(len(picks), BUSY_CASE_ENTRIES)] = [busy] * min(len(picks), BUSY_CASE_ENTRIES)
    kinds = list(EntryKind.values)
    # Ciphertexts are bound to their row: each needs its own encryption.
    told: list[tuple] = []
    ngo_org = ctx.orgs[1].id if len(ctx.orgs) > 1 else None
    written = {"shared": 0, "corrections": 0, "follow-ups": 0}

    def rows():
        count = 0
        for case_index in picks:
            if count >= total:
                return
            case = ctx.cases[case_index]
            case_partners = partners.get(case_index)
            author_org = case.org
            if case_partners and rng.random() < 0.3:
                author_org = rng.choice(case_partners)
            org = ctx.orgs[author_org]
            shared = rng.random() < (0.5 if author_org != case.org else 0.12)
            span = max(0, (today - case.opened_on).days)
            # Recent weeks are busier than old years.
            days_back = min(span, int(rng.expovariate(1 / 200)))
            occurred = now - datetime.timedelta(days=days_back, seconds=rng.randrange(86_400))
            created = min(now, occurred + datetime.timedelta(minutes=rng.randrange(1, 600)))
            follow_up = None
            if rng.random() < 0.05:
                follow_up = occurred.date() + datetime.timedelta(days=rng.randint(3, 30))
                written["follow-ups"] += 1
            kind = rng.choice(kinds)
            author = rng.choice(_writers_or_members(org))
            visibility = "shared" if shared else "internal"
            first = uuid.uuid4()
            corrected = rng.random() < 0.03 and count + 1 < total
            text = rng.choice(SUMMARIES)
            yield (
                first,
                org.id,
                created,
                case.id,
                occurred,
                author,
                kind,
                encrypted_value(LogEntry, "summary", first, text),
                visibility,
                follow_up,
                first,
                None,
                1,
                not corrected,
                None,
            )
            count += 1
            current = first
            if corrected:
                current = uuid.uuid4()
                written["corrections"] += 1
                yield (
                    current,
                    org.id,
                    min(now, created + datetime.timedelta(hours=2)),
                    case.id,
                    occurred,
                    author,
                    kind,
                    encrypted_value(LogEntry, "summary", current, text + " (corrected)"),
                    visibility,
                    follow_up,
                    first,
                    first,
                    2,
                    True,
                    None,
                )
                count += 1
            if shared:
                written["shared"] += 1
                if ngo_user and author_org != 1 and case_index in ngo_sees:
                    # The NGO is told of its partners' shared entries in its inbox
                    # (logbooks.services.inbox); it has read ~60 % of them.
                    read_at = min(now, created + DAY) if rng.random() < 0.6 else None
                    told.append(
                        (
                            uuid.uuid4(),
                            ngo_org,
                            created,
                            ngo_user,
                            SHARED_ENTRY,
                            "Shared entry on a followed case (bench)",
                            f"/logbooks/entries/{current}/",
                            case.id,
                            current,
                            f"logbooks.shared_entry:{current}:{ngo_user}",
                            "skipped",
                            0,
                            "",
                            read_at,
                        )
                    )

    ctx.counts["logbook entries"] = insert_rows(
        LogEntry,
        [
            "id",
            "organisation_id",
            "created_at",
            "case_id",
            "occurred_at",
            "author_id",
            "kind",
            "summary",
            "visibility",
            "follow_up_on",
            "version_of_id",
            "supersedes_id",
            "version",
            "is_current",
            "milestone_id",
        ],
        rows(),
    )
    ctx.counts["logbook entries shared"] = written["shared"]
    ctx.counts["logbook corrections"] = written["corrections"]
    ctx.counts["logbook follow-ups"] = written["follow-ups"]
    ctx.counts["shared-entry notifications (bench NGO)"] = insert_rows(
        Notification,
        [
            "id",
            "organisation_id",
            "created_at",
            "recipient_id",
            "kind",
            "subject",
            "url",
            "case_id",
            "source_id",
            "dedupe_key",
            "status",
            "attempts",
            "last_error",
            "read_at",
        ],
        told,
    )
    ctx.counts["shared-entry notifications read (bench NGO)"] = sum(
        1 for row in told if row[-1] is not None
    )


def seed_diplomatic_actions(ctx: SeedContext) -> None:
    from logbooks.models import PUBLIC_ACTION_TYPES, ActionParticipant, ActionType, DiplomaticAction

    rng = ctx.rng
    now = ctx.now
    today = now.date()
    missions = [i for i, o in enumerate(ctx.orgs) if o.kind == "mission"]
    mission_set = set(missions)
    partners = _partners(ctx, ("full", "feedback"))
    # A mission acts on a case it owns or follows.
    candidates = [
        (i, m)
        for i, c in enumerate(ctx.cases)
        for m in ([c.org] if c.org in mission_set else []) + partners.get(i, [])
        if m in mission_set
    ]
    if not candidates:
        return
    total = ctx.scaled(FULL_ACTIONS)
    types = [t for t in ActionType.values if t not in PUBLIC_ACTION_TYPES]
    statuses = ["done"] * 5 + ["closed"] * 3 + ["planned", "follow_up_due"]
    action_rows, participant_rows = [], []
    for _n in range(total):
        case_index, mission = rng.choice(candidates)
        case = ctx.cases[case_index]
        org = ctx.orgs[mission]
        pk = uuid.uuid4()
        span = max(0, (today - case.opened_on).days)
        taken = today - datetime.timedelta(days=min(span, int(rng.expovariate(1 / 300))))
        created = datetime.datetime.combine(taken, datetime.time(10), tzinfo=datetime.UTC)
        author = rng.choice(_writers_or_members(org))
        status = rng.choice(statuses)
        outcome = "" if status == "planned" else "The authority promised to look into it."
        action_rows.append(
            (
                pk,
                org.id,
                created,
                case.id,
                rng.choice(types),
                rng.choice(AUTHORITIES),
                taken,
                status,
                encrypted_value(DiplomaticAction, "outcome", pk, outcome),
                rng.random() < 0.4,
                author,
                created,
                None,
                "",  # hearing_outcome: a trial observation's only (logbooks 0007)
            )
        )
        if rng.random() < 0.10 and len(missions) > 1:
            other = rng.choice(missions)
            if other != mission:
                other_org = ctx.orgs[other]
                participant_rows.append(
                    (
                        uuid.uuid4(),
                        pk,
                        other_org.id,
                        "accepted",
                        author,
                        created,
                        rng.choice(_writers_or_members(other_org)),
                        created + DAY,
                    )
                )
    ctx.counts["diplomatic actions"] = insert_rows(
        DiplomaticAction,
        [
            "id",
            "organisation_id",
            "created_at",
            "case_id",
            "type",
            "authority",
            "taken_on",
            "status",
            "outcome",
            "outcome_shared",
            "created_by_id",
            "updated_at",
            "milestone_id",
            "hearing_outcome",
        ],
        action_rows,
    )
    ctx.counts["joint action participants"] = insert_rows(
        ActionParticipant,
        [
            "id",
            "action_id",
            "organisation_id",
            "status",
            "invited_by_id",
            "invited_at",
            "answered_by_id",
            "answered_at",
        ],
        participant_rows,
    )


# --- relocation ------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def seed_shelter_programmes(ctx: SeedContext) -> None:
    from relocation.models import CapacityPeriod, ShelterProgramme

    today = ctx.now.date()
    programmes, periods = [], []
    for index, org in enumerate(ctx.orgs):
        if org.kind != "shelter_city":
            continue
        pk = uuid.uuid4()
        programmes.append(
            (
                pk,
                org.id,
                ctx.now,
                "Shelter City",
                3,
                "English, Spanish",
                "Psychosocial care, security training, advocacy meetings.",
                True,
            )
        )
        places = 25 if index == 4 else ctx.rng.randint(5, 25)
        # Non-overlapping periods: four years back, one ahead.
        bounds = [(-4 * 365, -2 * 365 - 1), (-2 * 365, -1), (0, 365)]
        for start, end in bounds:
            periods.append(
                (
                    uuid.uuid4(),
                    org.id,
                    ctx.now,
                    pk,
                    today + datetime.timedelta(days=start),
                    today + datetime.timedelta(days=end),
                    places,
                )
            )
    ctx.counts["shelter programmes"] = insert_rows(
        ShelterProgramme,
        [
            "id",
            "organisation_id",
            "created_at",
            "name",
            "stay_months",
            "languages",
            "support_offered",
            "active",
        ],
        programmes,
    )
    ctx.counts["capacity periods"] = insert_rows(
        CapacityPeriod,
        ["id", "organisation_id", "created_at", "programme_id", "start", "end", "places"],
        periods,
    )


def _bench_stay(n: int, today: datetime.date, rng) -> tuple[str, datetime.date, datetime.date]:
    """The bench city's stays: 10 hosting, 8 confirmed in the next eight weeks, a few
    answered or waiting, the rest in the past."""
    if n < 10:
        start = today - datetime.timedelta(days=rng.randint(1, 80))
        return "hosting", start, start + datetime.timedelta(days=90)
    if n < 18:
        start = today + datetime.timedelta(days=rng.randint(1, 55))
        return "confirmed", start, start + datetime.timedelta(days=90)
    if n < 30:
        start = today + datetime.timedelta(days=rng.randint(20, 120))
        status = ["accepted", "proposed", "waitlisted"][n % 3]
        return status, start, start + datetime.timedelta(days=90)
    start = today - datetime.timedelta(days=rng.randint(120, 4 * 365))
    end = start + datetime.timedelta(days=rng.randint(21, 90))
    status = rng.choice(["completed"] * 6 + ["declined", "withdrawn"])
    return status, start, end


def seed_referrals(ctx: SeedContext) -> None:
    from relocation.models import (
        GrantPurpose,
        GrantRequest,
        RelocationRequest,
        ShelterReferral,
        Support,
        VisaReferral,
    )

    rng = ctx.rng
    now = ctx.now
    today = now.date()
    total = ctx.scaled(FULL_REFERRALS, minimum=40)
    bench_visas = min(total // 3, ctx.scaled(FULL_BENCH_VISAS, minimum=30))
    bench_stays = min(total // 4, ctx.scaled(FULL_BENCH_STAYS, minimum=30))
    missions = [i for i, o in enumerate(ctx.orgs) if o.kind == "mission"]
    cities = [i for i, o in enumerate(ctx.orgs) if o.kind == "shelter_city"]
    grantors = [i for i, o in enumerate(ctx.orgs) if o.kind in ("ngo", "capital")]
    full_partners = _partners(ctx, ("full",))
    open_cases = [i for i, c in enumerate(ctx.cases) if c.status != "closed"]
    kinds = (
        ["visa_bench"] * bench_visas
        + ["shelter_bench"] * bench_stays
        + rng.choices(
            ["visa", "shelter", "grant"], weights=[45, 25, 30], k=total - bench_visas - bench_stays
        )
    )
    rng.shuffle(kinds)
    enc = encrypted_value
    request_rows, visa_rows, shelter_rows, grant_rows = [], [], [], []
    urgency_of: dict[uuid.UUID, str] = {}  # request -> its urgency, for its grants
    request_fields = [
        "medical_needs",
        "accessibility_needs",
        "digital_security_needs",
        "visa_plan",
        "journey_security_plan",
        "family_support_plan",
        "return_strategy",
    ]

    def new_request(case_index: int, status: str, created: datetime.datetime) -> tuple:
        case = ctx.cases[case_index]
        requester = case.org
        if full_partners.get(case_index) and rng.random() < 0.5:
            requester = rng.choice(full_partners[case_index])
        org = ctx.orgs[requester]
        pk = uuid.uuid4()
        window = created.date() + datetime.timedelta(days=rng.randint(3, 30))
        texts = ["", "", "Signal only; no SMS.", "Exit through the capital.", "", "", ""]
        request_rows.append(
            (
                pk,
                org.id,
                created,
                case.id,
                ctx.orgs[case.org].id,
                rng.choice(_writers_or_members(org)),
                [Support.SHORT_STAY_VISA, Support.EMERGENCY_GRANT][: rng.randint(1, 2)],
                rng.choice(["routine", "urgent", "urgent", "emergency"]),
                window,
                window + datetime.timedelta(days=90),
                "Spanish, English",
                rng.randint(0, 3),
                *(
                    enc(RelocationRequest, name, pk, text)
                    for name, text in zip(request_fields, texts, strict=True)
                ),
                status,
                created,
                "",  # frozen_reason: no request is frozen
            )
        )
        urgency_of[pk] = request_rows[-1][7]
        return pk, org, case

    current: tuple | None = None
    bench_stay_count = 0
    for kind in kinds:
        # One to three referrals per request.
        if current is None or rng.random() < 0.6:
            case_index = rng.choice(open_cases or range(len(ctx.cases)))
            days_back = int(rng.expovariate(1 / 300))
            created = now - datetime.timedelta(days=days_back, hours=rng.randint(0, 23))
            status = rng.choice(["approved", "in_progress", "in_progress", "completed"])
            current = new_request(case_index, status, created)
        request_pk, org, case = current
        writer = rng.choice(_writers_or_members(org))
        pk = uuid.uuid4()
        if kind.startswith("visa"):
            mission = 0 if kind == "visa_bench" else rng.choice(missions)
            mission_org = ctx.orgs[mission]
            pending = rng.random() < (0.15 if kind == "visa_bench" else 0.1)
            if pending:
                requested = today - datetime.timedelta(days=rng.randint(0, 14))
                status = "pending"
            else:
                requested = today - datetime.timedelta(days=rng.randint(15, 3 * 365))
                status = rng.choice(["granted"] * 7 + ["refused"] * 2 + ["withdrawn"])
            decided_at = decided_by = valid_from = valid_until = None
            if status in ("granted", "refused"):
                decided_at = min(now, _at(requested + datetime.timedelta(days=rng.randint(1, 16))))
                decided_by = rng.choice(_writers_or_members(mission_org))
            if status == "granted":
                valid_from = decided_at.date()
                valid_until = valid_from + datetime.timedelta(days=365)
            visa_rows.append(
                (
                    pk,
                    org.id,
                    _at(requested, 9),
                    request_pk,
                    case.id,
                    mission_org.id,
                    writer,
                    rng.choice(["short_stay_multiple"] * 4 + ["humanitarian"]),
                    ctx.orgs[case.org].country,
                    requested,
                    requested + datetime.timedelta(days=10),
                    enc(VisaReferral, "note_for_mission", pk, "Urgent: hearing next week."),
                    status,
                    enc(VisaReferral, "decision_reason", pk, ""),
                    decided_at,
                    decided_by,
                    valid_from,
                    valid_until,
                    True,
                )
            )
        elif kind.startswith("shelter"):
            if kind == "shelter_bench":
                city = 4
                status, start, end = _bench_stay(bench_stay_count, today, rng)
                bench_stay_count += 1
            else:
                city = rng.choice(cities)
                start = today - datetime.timedelta(days=rng.randint(-60, 4 * 365))
                end = start + datetime.timedelta(days=rng.randint(21, 90))
                status = rng.choice(["completed"] * 6 + ["declined", "withdrawn", "proposed"])
                if start > today:
                    status = rng.choice(["proposed", "accepted", "waitlisted", "declined"])
            city_org = ctx.orgs[city]
            answered = status != "proposed"
            shelter_rows.append(
                (
                    pk,
                    org.id,
                    _at(start - datetime.timedelta(days=30), 9),
                    request_pk,
                    case.id,
                    city_org.id,
                    writer,
                    start,
                    end,
                    "",
                    status,
                    enc(ShelterReferral, "answer_reason", pk, ""),
                    _at(start - datetime.timedelta(days=20)) if answered else None,
                    rng.choice(_writers_or_members(city_org)) if answered else None,
                    start if status in ("hosting", "completed") else None,
                    end if status == "completed" else None,
                )
            )
        else:
            grantor = rng.choice([g for g in grantors if ctx.orgs[g].id != org.id] or grantors)
            grantor_org = ctx.orgs[grantor]
            status = rng.choice(["disbursed"] * 5 + ["approved", "declined", "pending"])
            created = now - datetime.timedelta(days=rng.randint(0, 3 * 365))
            decided = status != "pending"
            grant_rows.append(
                (
                    pk,
                    org.id,
                    created,
                    request_pk,
                    case.id,
                    grantor_org.id,
                    writer,
                    rng.choice(GrantPurpose.values),
                    Decimal(rng.randint(50, 1000) * 10),
                    "EUR",
                    enc(GrantRequest, "justification", pk, "Security measures for the office."),
                    status,
                    enc(GrantRequest, "decision_reason", pk, ""),
                    created + datetime.timedelta(days=3) if decided else None,
                    rng.choice(_writers_or_members(grantor_org)) if decided else None,
                    (created + datetime.timedelta(days=7)).date()
                    if status == "disbursed"
                    else None,
                    urgency_of[request_pk],  # a grant of a request takes its urgency
                )
            )
    # Requests without referrals yet: drafts, in review, declined, cancelled.
    for _n in range(len(request_rows) // 10):
        case_index = rng.choice(open_cases or range(len(ctx.cases)))
        status = rng.choice(["draft", "submitted", "in_review", "declined", "cancelled"])
        new_request(case_index, status, now - datetime.timedelta(days=rng.randint(0, 400)))
    base = ["id", "organisation_id", "created_at"]
    ctx.counts["relocation requests"] = insert_rows(
        RelocationRequest,
        [
            *base,
            "case_id",
            "reviewer_id",
            "created_by_id",
            "support",
            "urgency",
            "window_start",
            "window_end",
            "languages",
            "family_members",
            *request_fields,
            "status",
            "status_changed_at",
            "frozen_reason",
        ],
        request_rows,
    )
    ctx.counts["visa referrals"] = insert_rows(
        VisaReferral,
        [
            *base,
            "request_id",
            "case_id",
            "mission_id",
            "created_by_id",
            "visa_type",
            "nationality",
            "requested_on",
            "deadline",
            "note_for_mission",
            "status",
            "decision_reason",
            "decided_at",
            "decided_by_id",
            "valid_from",
            "valid_until",
            "multiple_entries",
        ],
        visa_rows,
    )
    ctx.counts["shelter referrals"] = insert_rows(
        ShelterReferral,
        [
            *base,
            "request_id",
            "case_id",
            "city_id",
            "created_by_id",
            "start",
            "end",
            "override_reason",
            "status",
            "answer_reason",
            "answered_at",
            "answered_by_id",
            "arrived_on",
            "returned_on",
        ],
        shelter_rows,
    )
    ctx.counts["grant requests"] = insert_rows(
        GrantRequest,
        [
            *base,
            "request_id",
            "case_id",
            "grantor_id",
            "created_by_id",
            "purpose",
            "amount",
            "currency",
            "justification",
            "status",
            "decision_reason",
            "decided_at",
            "decided_by_id",
            "disbursed_on",
            "urgency",
        ],
        grant_rows,
    )
    ctx.counts["bench mission visa queue"] = sum(
        1 for row in visa_rows if row[5] == ctx.orgs[0].id and row[12] == "pending"
    )


# --- alerts ----------------------------------------------------------------------------------


def seed_alerts(ctx: SeedContext) -> None:
    from alerts.models import Alert, Notification

    rng = ctx.rng
    now = ctx.now
    total = ctx.scaled(FULL_ALERTS)
    kinds = [k for k in Alert.Kind.values if k != Alert.Kind.MISSED_CHECK_IN]
    # Alerts concern cases at risk: weighted towards open, high-risk cases.
    candidates = [i for i, c in enumerate(ctx.cases) if c.status != "closed"] or list(
        range(len(ctx.cases))
    )
    alert_rows, notification_rows = [], []
    for _n in range(total):
        case = ctx.cases[rng.choice(candidates)]
        org = ctx.orgs[case.org]
        writers = _writers_or_members(org)
        pk = uuid.uuid4()
        roll = rng.random()
        if roll < 0.03:
            status = "raised"
            created = now - datetime.timedelta(minutes=rng.randint(1, 7 * 24 * 60))
        else:
            status = "resolved" if roll < 0.78 else "acknowledged"
            created = now - datetime.timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
        acked_at = acked_by = seconds = resolved_at = resolved_by = None
        if status != "raised":
            seconds = int(rng.lognormvariate(5.5, 1.0))  # median ~4 min
            acked_at = created + datetime.timedelta(seconds=seconds)
            acked_by = rng.choice(writers)
        if status == "resolved":
            resolved_at = min(now, acked_at + datetime.timedelta(hours=rng.randint(1, 96)))
            resolved_by = rng.choice(writers)
        raiser = rng.choice(writers)
        alert_rows.append(
            (
                pk,
                org.id,
                created,
                case.id,
                rng.choice(kinds),
                rng.choice(["medium", "high", "high", "critical"]),
                encrypted_value(Alert, "message", pk, "Detained at a checkpoint."),
                raiser,
                "manual",
                None,
                status,
                acked_by,
                acked_at,
                seconds,
                resolved_by,
                resolved_at,
                encrypted_value(
                    Alert, "resolution_note", pk, "Released." if status == "resolved" else ""
                ),
                0,
                None,
                created + datetime.timedelta(minutes=10) if status == "raised" else None,
                0,
            )
        )
        if rng.random() < 0.2:
            for user in rng.sample(writers, min(len(writers), rng.randint(1, 3))):
                notification_rows.append(
                    (
                        uuid.uuid4(),
                        org.id,
                        created,
                        user,
                        "alert",
                        "Urgent alert on a case (bench)",
                        f"/alerts/{pk}/",
                        case.id,
                        pk,
                        f"alert:{pk}:step:0:r0:{user}",
                        "sent",
                        1,
                        "",
                        created,
                        created,
                        created + datetime.timedelta(seconds=1),
                        acked_at if rng.random() < 0.7 else None,
                    )
                )
    ctx.counts["alerts"] = insert_rows(
        Alert,
        [
            "id",
            "organisation_id",
            "created_at",
            "case_id",
            "kind",
            "severity",
            "message",
            "raised_by_id",
            "source",
            "auto_key",
            "status",
            "acknowledged_by_id",
            "acknowledged_at",
            "seconds_to_acknowledge",
            "resolved_by_id",
            "resolved_at",
            "resolution_note",
            "escalation_step",
            "next_escalation_at",
            "renotify_at",
            "renotify_round",
        ],
        alert_rows,
    )
    ctx.counts["notifications"] = insert_rows(
        Notification,
        [
            "id",
            "organisation_id",
            "created_at",
            "recipient_id",
            "kind",
            "subject",
            "url",
            "case_id",
            "alert_id",
            "dedupe_key",
            "status",
            "attempts",
            "last_error",
            "queued_at",
            "claimed_at",
            "sent_at",
            "read_at",
        ],
        notification_rows,
    )


register_step("logbook entries", seed_logbooks)
register_step("diplomatic actions", seed_diplomatic_actions)
register_step("shelter programmes", seed_shelter_programmes)
register_step("referrals", seed_referrals)
register_step("alerts", seed_alerts)
