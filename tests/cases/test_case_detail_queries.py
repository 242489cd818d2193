"""Each section of the case page costs a fixed number of queries, whatever the number of
entries, actions, alerts, incidents, detentions, assessments, consents and shares on the case
(no N+1 in the panels and timeline providers of cases, logbooks, alerts and relocation), and
only the current section's panels run."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from alerts.services.alerts import alert_raise
from alerts.services.checkins import checkin_log
from cases.services.break_glass import break_glass_open
from cases.services.court import hearing_observer_plan, hearing_schedule, proceeding_create
from logbooks.services.actions import action_create
from logbooks.services.entries import entry_create
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    IncidentFactory,
    OrganisationFactory,
    RiskAssessmentFactory,
    UserFactory,
    record_detention,
    share_case,
)
from tests.queries import get_counting

pytestmark = pytest.mark.django_db

#: the owner's case page with everything on it: 27 queries on 2026-11-23 (SQLite and
#: PostgreSQL; 43, then 34, before the panels and the timeline shared their rows and the
#: session was renewed at most once a minute), when it was one page. A new panel or
#: provider may raise it a little; a count that grows with the case's content may not.
MAX_OWNER_QUERIES = 29
#: each section on its own (the summary header included): only its panels run, so each costs
#: less than the whole page did. Measured on 2026-12-06 (SQLite), the owner: overview 16,
#: logbook 20, actions 10, risk 10, incidents 16, relocation 9, sharing 13; two to spare.
MAX_SECTION_QUERIES = {
    "overview": 17,
    "logbook": 22,
    "actions": 12,
    "risk": 12,
    "incidents": 18,
    "relocation": 11,
    "sharing": 15,
}
SECTIONS = tuple(MAX_SECTION_QUERIES)


def _url(case, section: str = "overview") -> str:
    if section == "overview":
        return reverse("cases:detail", args=[case.pk])
    return reverse("cases:section", args=[case.pk, section])


def _add_content(case, owner, partner_user, n: int) -> None:
    """``n`` more of everything the case page shows, written by people of both orgs."""
    for i in range(n):
        author = UserFactory(organisation=case.organisation, role=Role.OFFICER)
        entry_create(
            case=case,
            kind="note",
            summary=f"Note {i}",
            visibility="shared" if i % 2 else "internal",
            acting_user=author,
        )
        entry_create(
            case=case,
            kind="call",
            summary=f"Partner {i}",
            visibility="shared",
            acting_user=partner_user,
        )
        action_create(
            case=case,
            acting_user=author,
            type="demarche",
            authority=f"Ministry {i}",
            taken_on=datetime.date(2026, 3, 5),
            status="done",
            outcome="Promised an answer",
        )
        alert_raise(
            case=case, kind="detained", severity="high", message="Taken.", acting_user=author
        )
        IncidentFactory(case=case, recorded_by=author)
        RiskAssessmentFactory(case=case)
        proceeding = proceeding_create(case=case, court=f"Court {i}", acting_user=author)
        hearing = hearing_schedule(
            proceeding=proceeding, date=datetime.date.today(), acting_user=author
        )
        hearing_observer_plan(hearing=hearing, organisation=case.organisation, acting_user=author)
    record_detention(case, acting_user=owner)
    share_case(case, OrganisationFactory(kind=Organisation.Kind.NGO), "feedback", acting_user=owner)


#: parts both a panel and the timeline show, read once (``CaseAccess.remember``).
SHARED_PART_TABLES = (
    '"cases_incident"',
    '"cases_consent"',
    '"cases_caseshare"',
    '"alerts_alert"',
    '"alerts_checkin"',
    '"cases_breakglassaccess"',
    '"cases_riskassessment"',
)


def _page_and_tables(client, case, section: str = "overview") -> tuple[str, list[str], list[str]]:
    """A section of the case page, the table each SELECT reads rows from (not the one query
    asking which parts exist) and every query's SQL."""
    response = get_counting(client, _url(case, section), contains=case.pseudonym)
    page, queries = response.content.decode(), response.queries
    tables = [
        sql.split(" FROM ")[1].split()[0]
        for sql in queries
        if sql.startswith("SELECT") and " FROM " in sql and not sql.startswith("SELECT EXISTS")
    ]
    return page, tables, queries


def _count(client, case, section: str = "overview") -> int:
    response = get_counting(client, _url(case, section), contains=case.pseudonym)
    return len(response.queries)


def _counts(client, case) -> dict[str, int]:
    """Each section the viewer may open: its queries."""
    counts = {}
    for section in SECTIONS:
        if client.get(_url(case, section)).status_code == 404:
            continue  # hidden from this viewer (tested in tests/cases/test_case_sections.py)
        counts[section] = _count(client, case, section)
    return counts


def test_it_costs_the_same_queries_whatever_the_case_holds():
    owner_org = OrganisationFactory(name="Owner mission")
    owner = UserFactory(organisation=owner_org, role=Role.OFFICER)
    case = CaseFactory(organisation=owner_org, lead_officer=owner)
    full_org = OrganisationFactory(name="Full NGO", kind=Organisation.Kind.NGO)
    feedback_org = OrganisationFactory(name="Feedback mission")
    share_case(case, full_org, "full", acting_user=owner)
    share_case(case, feedback_org, "feedback", acting_user=owner)
    full = UserFactory(organisation=full_org, role=Role.OFFICER)
    feedback = UserFactory(organisation=feedback_org, role=Role.OFFICER)
    clients = {
        "owner": verified_client(owner),
        "full": verified_client(full),
        "feedback": verified_client(feedback),
    }
    # The owner's first view of the day checks whether another organisation follows the
    # defender (a few writes, once a day per case and name: cases.services.sharing); every
    # later view reuses that check.
    for client in clients.values():
        _counts(client, case)
    _add_content(case, owner, full, 1)
    first = {name: _counts(client, case) for name, client in clients.items()}
    _add_content(case, owner, full, 4)
    again = {name: _counts(client, case) for name, client in clients.items()}
    assert again == first
    assert set(first["owner"]) == set(SECTIONS)
    for section, count in first["owner"].items():
        assert count <= MAX_SECTION_QUERIES[section], (section, count)
        assert count <= MAX_OWNER_QUERIES


def test_it_shows_what_it_read_once_in_both_the_panels_and_the_timeline():
    """Panels, the summary header, the checklist and the timeline share the rows they show
    (``CaseAccess.remember``): on each section, incidents (with their detentions), consents,
    shares, alerts, check-ins, break-glass openings and risk assessments are each read once
    at most."""
    owner_org = OrganisationFactory()
    owner = UserFactory(organisation=owner_org, role=Role.OFFICER)
    case = CaseFactory(organisation=owner_org, lead_officer=owner)
    partner = OrganisationFactory(kind=Organisation.Kind.NGO, name="Sharing NGO")
    share_case(case, partner, "full", acting_user=owner)
    record_detention(case, acting_user=owner)
    alert_raise(
        case=case, kind="raid", severity="high", message="Office raided.", acting_user=owner
    )
    RiskAssessmentFactory(case=case)
    checkin_log(case=case, acting_user=owner, note="Called from the bus station.")
    watcher = OrganisationFactory(kind=Organisation.Kind.NGO, name="Watching NGO")
    share_case(case, watcher, "feedback", acting_user=owner)
    break_glass_open(
        case=case,
        reason="Arrested an hour ago; the owner's duty phone does not answer.",
        acting_user=UserFactory(organisation=watcher, role=Role.ADMIN),
    )
    client = verified_client(owner)
    pages = {}
    for section in SECTIONS:
        pages[section], tables, _queries = _page_and_tables(client, case, section)
        assert '"cases_detention"' not in tables  # each incident comes with its detention
        for table in SHARED_PART_TABLES:
            assert tables.count(table) <= 1, (section, table, tables)
    # the overview's alerts panel and the header's count of open alerts: one read
    _page, tables, _queries = _page_and_tables(client, case)
    assert tables.count('"alerts_alert"') == 1
    assert "alert-row alert-raised" in pages["overview"]
    assert "Sharing NGO" in pages["sharing"]  # the sharing panel
    logbook = pages["logbook"]
    assert "Sharing NGO" in logbook  # the timeline still shows the share
    assert "Detained" in logbook
    assert "Urgent alert (Raid or search, High): Raised" in logbook
    assert "Risk assessment, version 1" in logbook
    assert "Defender checked in" in logbook
    assert "Break-glass access opened by" in logbook


def test_only_the_current_sections_panels_run():
    """Overview reads none of the timeline's (but the latest three entries), the incidents',
    the access log's rows; each other section none of Overview's tasks and check-ins."""
    owner = UserFactory(organisation=OrganisationFactory(), role=Role.OFFICER)
    case = CaseFactory(organisation=owner.organisation, lead_officer=owner)
    _add_content(case, owner, owner, 1)
    client = verified_client(owner)
    read = {section: _page_and_tables(client, case, section) for section in SECTIONS}
    tables = {section: found[1] for section, found in read.items()}
    sqls = {section: found[2] for section, found in read.items()}
    assert '"alerts_checkinschedule"' in tables["overview"]  # the alerts panel's schedule
    for section in ("logbook", "actions", "risk", "incidents", "relocation", "sharing"):
        assert '"cases_task"' not in tables[section], section
        assert '"alerts_checkinschedule"' not in tables[section], section
    for section in ("actions", "risk", "incidents", "relocation", "sharing"):
        assert '"logbooks_logentry"' not in tables[section], section  # the timeline's entries
    # Overview reads the latest three entries (under the quick log), not the timeline's 50
    entries = [sql for sql in sqls["overview"] if sql.startswith('SELECT "logbooks_logentry"')]
    assert len(entries) == 1 and "LIMIT 3" in entries[0], entries
    for section in ("overview", "actions", "risk", "relocation", "sharing"):
        assert '"cases_proceeding"' not in tables[section], section  # court panel, timeline
    for section in ("overview", "logbook", "actions", "risk", "incidents", "relocation"):
        assert '"cases_caseaccesslog"' not in tables[section], section  # who viewed the case


def test_it_costs_the_list_the_same_queries_whatever_the_cases_officers_and_filters():
    """The case list (and its filter form: threats, officers, countries) is a fixed number of
    queries whatever the number of cases, shares, officers and threat types."""
    from cases.models import ThreatType

    org = OrganisationFactory()
    officer = UserFactory(organisation=org, role=Role.OFFICER)
    client = verified_client(officer)
    threat, _ = ThreatType.objects.get_or_create(code="judicial", defaults={"label": "Judicial"})
    filtered = {"country": "CO", "status": "open", "threat": "judicial", "scope": "own"}

    def counts() -> tuple[int, int]:
        sizes = []
        for params in ({}, filtered):
            response = get_counting(
                client, reverse("cases:list"), params, contains="<h1>Cases</h1>"
            )
            sizes.append(len(response.queries))
        return tuple(sizes)

    partner = OrganisationFactory(kind=Organisation.Kind.NGO)
    CaseFactory(organisation=org).threat_types.add(threat)
    share_case(CaseFactory(organisation=partner), org, "feedback")  # partner levels: 2 queries
    first = counts()
    for n in range(12):
        case = CaseFactory(organisation=org if n % 2 else partner)
        case.threat_types.add(threat)
        if n % 2 == 0:
            share_case(case, org, "full" if n % 4 else "feedback")
        UserFactory(organisation=org, role=Role.OFFICER)
    ThreatType.objects.get_or_create(code="digital", defaults={"label": "Digital"})
    assert counts() == first


def test_it_does_not_read_the_parts_a_case_does_not_have():
    """One query asks which parts the case has (cases.parts): a case without alerts,
    incidents, consents, shares, actions or relocation requests costs no read of those, on
    any section."""
    owner = UserFactory(organisation=OrganisationFactory(), role=Role.OFFICER)
    case = CaseFactory(organisation=owner.organisation, lead_officer=owner)
    client = verified_client(owner)
    pages = {}
    for section in SECTIONS:
        pages[section], tables, queries = _page_and_tables(client, case, section)
        for table in (
            *SHARED_PART_TABLES,
            '"logbooks_diplomaticaction"',
            '"relocation_requesttransition"',
            '"relocation_relocationrequest"',
        ):
            assert table not in tables, (section, table)
        assert [sql for sql in queries if sql.startswith("SELECT EXISTS")]
    assert "No open alert on this case." in pages["overview"]
    assert "Nothing recorded yet." in pages["logbook"]


def test_only_the_owner_sees_consents_on_the_timeline():
    """A consent names the organisations the case may be shared with: owner only, like the
    shares (partners never see the sharing panel either)."""
    owner = UserFactory(organisation=OrganisationFactory(), role=Role.OFFICER)
    case = CaseFactory(organisation=owner.organisation, lead_officer=owner)
    full_org, feedback_org = OrganisationFactory(), OrganisationFactory()
    share_case(case, full_org, "full", acting_user=owner)
    share_case(case, feedback_org, "feedback", acting_user=owner)
    pages = {
        name: "".join(
            verified_client(UserFactory(organisation=org, role=Role.OFFICER))
            .get(_url(case, section))
            .content.decode()
            for section in ("overview", "logbook", "sharing")
        )
        for name, org in (
            ("owner", owner.organisation),
            ("full", full_org),
            ("feedback", feedback_org),
        )
    }
    assert "Consent recorded" in pages["owner"]
    assert feedback_org.name in pages["owner"]
    for partner in ("full", "feedback"):
        assert "Consent recorded" not in pages[partner]
    assert feedback_org.name not in pages["full"]
    assert full_org.name not in pages["feedback"]
