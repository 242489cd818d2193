"""The case page in sections (issue 23, item 2): each section its own URL with the
sub-navigation and the summary header; the header shows each viewer what its access allows;
the new case's checklist on Overview; the "Log" button for who may log."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from alerts.services.alerts import alert_raise
from cases.registries import panels
from cases.services.consent import consent_record
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    RiskAssessmentFactory,
    UserFactory,
    share_case,
)

pytestmark = pytest.mark.django_db

SECTIONS = {
    "overview": "Overview",
    "logbook": "Logbook",
    "actions": "Actions",
    "risk": "Risk",
    "incidents": "Incidents and court",
    "relocation": "Relocation",
    "sharing": "Sharing and consent",
}
#: what a feedback partner may open (pseudonym, status and shared entries only)
FEEDBACK_SECTIONS = ("overview", "logbook", "actions", "sharing")


def _url(case, section: str = "overview") -> str:
    if section == "overview":
        return reverse("cases:detail", args=[case.pk])
    return reverse("cases:section", args=[case.pk, section])


def _nav(page: str) -> str:
    return page.split('aria-label="Case sections"', 1)[1].split("</nav>", 1)[0]


def _header(page: str) -> str:
    return page.split('class="case-summary', 1)[1].split("</header>", 1)[0]


@pytest.fixture
def owner(org):
    return UserFactory(organisation=org, role=Role.OFFICER, full_name="Lucía Lead")


@pytest.fixture
def case(org, owner):
    return CaseFactory(
        organisation=org, pseudonym="Ceiba", lead_officer=owner, risk_level="high", status="open"
    )


@pytest.fixture
def partners(case, owner):
    full = OrganisationFactory(name="Full NGO", kind=Organisation.Kind.NGO)
    feedback = OrganisationFactory(name="Feedback mission")
    share_case(case, full, "full", acting_user=owner)
    share_case(case, feedback, "feedback", acting_user=owner)
    return {
        "full": UserFactory(organisation=full, role=Role.OFFICER),
        "feedback": UserFactory(organisation=feedback, role=Role.OFFICER),
    }


# --- sections and the sub-navigation ----------------------------------------------------------


def test_each_section_has_its_url_and_the_sub_navigation_marks_it(case, owner):
    client = verified_client(owner)
    for section in SECTIONS:
        response = client.get(_url(case, section))
        assert response.status_code == 200, section
        page = response.content.decode()
        nav = _nav(page)
        # every section linked, in order, the current one marked
        assert [re.sub(r"\s+", " ", text) for text in re.findall(r">([^<>]+)</a>", nav)] == list(
            SECTIONS.values()
        )
        current = re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">', nav)
        assert current == [_url(case, section)], section
        assert nav.count('aria-current="page"') == 1
        for other in SECTIONS:
            assert f'href="{_url(case, other)}"' in nav
        assert f"<title>{case.reference} Ceiba" in page


def test_an_unknown_section_is_404_and_overview_leads_to_the_case_page(case, owner):
    client = verified_client(owner)
    assert client.get(reverse("cases:section", args=[case.pk, "secrets"])).status_code == 404
    response = client.get(reverse("cases:section", args=[case.pk, "overview"]))
    assert response.status_code == 302 and response["Location"] == _url(case)


def test_another_organisation_gets_404_on_every_section(case, outsider_client):
    for section in SECTIONS:
        assert outsider_client.get(_url(case, section)).status_code == 404, section
    # the redirect of /s/overview/ tells a stranger nothing either
    assert (
        outsider_client.get(reverse("cases:section", args=[case.pk, "overview"])).status_code == 404
    )


def test_a_section_with_nothing_for_the_viewer_says_so(case, owner):
    with panels.override(only=True):
        page = verified_client(owner).get(_url(case, "actions")).content.decode()
    assert "Nothing in “Actions” for you on this case yet." in page


# --- the summary header -----------------------------------------------------------------------


def test_the_owner_reads_the_whole_summary_on_every_section(case, owner, partners):
    alert_raise(case=case, kind="raid", severity="high", message="Raided.", acting_user=owner)
    client = verified_client(owner)
    for section in SECTIONS:
        header = _header(client.get(_url(case, section)).content.decode())
        assert case.reference in header and 'dir="auto">Ceiba<' in header
        assert "Open" in header  # the status
        assert "risk-high" in header
        assert "Lead officer" in header and "Lucía Lead" in header
        assert "Open alerts" in header and ">1<" in header
        assert "Shared with 2 partners" in header


def test_the_header_counts_only_the_shares_in_force_on_every_section(case, owner, partners):
    """Whether the section read the share rows (Sharing, Logbook) or only counts them
    (Overview and the rest): an ended share and one past its expiry are not partners."""
    from cases.models import CaseShare
    from cases.services.sharing import share_revoke

    share_revoke(share=share_case(case, OrganisationFactory(), "full"), acting_user=owner)
    lapsed = share_case(case, OrganisationFactory(), "feedback", acting_user=owner)
    # unscoped: set-up of a share whose expiry just passed, the sweep not yet run
    CaseShare.objects.unscoped().filter(pk=lapsed.pk).update(
        expires_at=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=1)
    )
    client = verified_client(owner)
    for section in SECTIONS:
        assert "Shared with 2 partners" in _header(client.get(_url(case, section)).content.decode())


def test_a_full_partner_reads_the_risk_and_alerts_never_the_lead_officer(case, owner, partners):
    alert_raise(case=case, kind="raid", severity="high", message="Raided.", acting_user=owner)
    client = verified_client(partners["full"])
    for section in SECTIONS:
        response = client.get(_url(case, section))
        if section == "relocation" and response.status_code == 404:
            continue
        header = _header(response.content.decode())
        assert "risk-high" in header and "Open alerts" in header
        assert "Lead officer" not in header and "Lucía Lead" not in header
        assert "Full access" in header and "partners" not in header


def test_a_feedback_partner_reads_pseudonym_status_and_its_access_only(case, owner, partners):
    alert_raise(case=case, kind="raid", severity="high", message="Raided.", acting_user=owner)
    client = verified_client(partners["feedback"])
    for section in SECTIONS:
        response = client.get(_url(case, section))
        if section not in FEEDBACK_SECTIONS:
            assert response.status_code == 404, section
            continue
        page = response.content.decode()
        header = _header(page)
        assert "Ceiba" in header and "Open" in header and "Feedback access" in header
        for hidden in ("risk-", "Risk", "Lead officer", "Lucía Lead", "Open alerts", "partners"):
            assert hidden not in header, (section, hidden)
        nav = _nav(page)
        assert [label for key, label in SECTIONS.items() if f">{label}<" in nav] == [
            SECTIONS[key] for key in FEEDBACK_SECTIONS
        ]
        assert "Full NGO" not in page  # nor who else holds the case
        assert owner.email not in page


# --- the "Log" button -------------------------------------------------------------------------


def test_the_log_button_is_on_every_section_for_who_may_log(case, owner, viewer, partners):
    quick_log = reverse("cases:detail", args=[case.pk]) + "#quick-log-heading"
    for user, sections, shown in (
        (owner, SECTIONS, True),
        (partners["feedback"], FEEDBACK_SECTIONS, True),
        (viewer, SECTIONS, False),
    ):
        client = verified_client(user)
        for section in sections:
            page = client.get(_url(case, section)).content.decode()
            assert ("case-log-button" in page) is shown, (user.role, section)
            assert (f'href="{quick_log}"' in page) is shown
    overview = verified_client(owner).get(_url(case)).content.decode()
    assert 'id="quick-log-heading"' in overview  # where it leads
    assert "css/case.css" in overview


# --- the new case's checklist -----------------------------------------------------------------


def _steps(client, case) -> dict[str, bool] | None:
    page = client.get(_url(case)).content.decode()
    if "checklist-heading" not in page:
        return None
    return {
        key: "done" in classes
        for classes, key in re.findall(
            r'<li class="case-checklist-step([^"]*)" data-step="(\w+)">', page
        )
    }


def test_the_checklist_ticks_each_step_and_goes_when_all_are_done(case, owner):
    client = verified_client(owner)
    assert _steps(client, case) == {"consent": False, "share": False, "risk": False}
    page = client.get(_url(case)).content.decode()
    assert reverse("cases:consents", args=[case.pk]) in page
    assert reverse("cases:risk_create", args=[case.pk]) in page
    assert _url(case, "sharing") in page
    consent_record(
        case=case,
        scope="public_action",
        given_on=datetime.date(2026, 3, 3),
        method="phone",
        acting_user=owner,
    )
    assert _steps(client, case) == {"consent": True, "share": False, "risk": False}
    share_case(case, OrganisationFactory(), "feedback", acting_user=owner)
    assert _steps(client, case) == {"consent": True, "share": True, "risk": False}
    RiskAssessmentFactory(case=case)
    assert _steps(client, case) is None
    # nor on the other sections, ever
    assert "checklist-heading" not in client.get(_url(case, "sharing")).content.decode()


def test_not_sharing_is_an_answer_recorded_once_by_the_owners_writer(case, owner, viewer):
    url = reverse("cases:not_shared", args=[case.pk])
    assert verified_client(viewer).post(url).status_code == 403
    client = verified_client(owner)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == _url(case)
    assert _steps(client, case) == {"consent": False, "share": True, "risk": False}
    event = AuditEvent.objects.get(action="case.not_shared")
    assert (event.actor, event.target_id) == (owner, str(case.pk))
    client.post(url)  # a double click: said once
    assert AuditEvent.objects.filter(action="case.not_shared").count() == 1


def test_a_closed_case_takes_no_not_sharing_answer(case, owner):
    case.status, case.closing_reason = "closed", "risk_reduced"
    case.closed_on = datetime.date(2026, 3, 4)
    case.save()
    page = verified_client(owner).post(reverse("cases:not_shared", args=[case.pk]), follow=True)
    assert "This case is closed: it has no checklist to answer." in page.content.decode()
    assert not AuditEvent.objects.filter(action="case.not_shared").exists()


def test_the_checklist_is_the_owners_writers_only(case, owner, viewer, partners):
    assert _steps(verified_client(viewer), case) is None
    for user in partners.values():
        assert _steps(verified_client(user), case) is None
        response = verified_client(user).post(reverse("cases:not_shared", args=[case.pk]))
        assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="case.not_shared").exists()


def test_a_closed_case_has_no_checklist(case, owner):
    case.status = "closed"
    case.closing_reason = "resolved"
    case.closed_on = datetime.date(2026, 3, 4)
    case.save()
    assert _steps(verified_client(owner), case) is None
