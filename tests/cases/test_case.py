"""Cases: registration, the one visibility rule, share levels, consent, the duplicate hint."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import Case, CaseAccessLog, CaseShare, Consent, CoordinationRequest, Defender
from cases.services.consent import consent_record, consent_revoke
from cases.services.sharing import case_share, shares_expire
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import CaseFactory, UserFactory, share_case
from tests.queries import get_counting

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "kind": "individual",
    "legal_name": "Berta Ixchel Cáceres",
    "country": "HN",
    "pseudonym": "Ceiba",
    "opened_on": "2026-03-01",
    "summary": "Threatened after opposing the dam.",
}


def _api_payload(**overrides):
    payload = {
        "defender": {"kind": "individual", "legal_name": "Berta Ixchel Cáceres", "country": "HN"},
        "pseudonym": "Ceiba",
        "summary": "Threatened after opposing the dam.",
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def case(org):
    return CaseFactory(organisation=org, pseudonym="Ceiba", summary="Secret summary")


@pytest.fixture
def partner_user(other_org):
    return UserFactory(organisation=other_org, role=Role.OFFICER)


# --- registration ---------------------------------------------------------------------------


def test_an_officer_registers_a_defender_and_the_database_holds_no_plaintext(officer_client, org):
    response = officer_client.post(reverse("cases:create"), NEW_CASE)
    assert response.status_code == 302
    case = Case.objects.owned_by(org).get()
    assert re.fullmatch(r"AAA-2026-0001", case.reference)
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_name FROM cases_defender")
        (raw_name,) = cursor.fetchone()
        cursor.execute("SELECT summary FROM cases_case")
        (raw_summary,) = cursor.fetchone()
    assert "Berta" not in raw_name and "dam" not in raw_summary
    assert case.defender.legal_name == "Berta Ixchel Cáceres"
    assert AuditEvent.objects.filter(action="case.open", target_id=str(case.pk)).exists()


def test_references_count_per_organisation_and_year(officer, other_org):
    from cases.services.case import DefenderIdentity, case_register

    identity = DefenderIdentity(kind="individual", legal_name="A B", country="CO")
    first = case_register(identity=identity, pseudonym="One", acting_user=officer)
    second = case_register(identity=identity, pseudonym="Two", acting_user=officer)
    assert (first.reference, second.reference) == (
        f"AAA-{first.opened_on.year}-0001",
        f"AAA-{first.opened_on.year}-0002",
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (_api_payload(defender={"kind": "alien", "legal_name": "X", "country": "CO"}), "defender"),
        (_api_payload(pseudonym=""), "pseudonym"),
        (_api_payload(summary="x" * 20_001), "summary"),
        (_api_payload(opened_on="2999-01-01"), "opened_on"),
        (
            _api_payload(defender={"kind": "collective", "legal_name": "X", "country": "CO"}),
            "defender",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    officer_client, org, payload, field
):
    response = officer_client.post(
        reverse("api:case-list"), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.owned_by(org).exists()
    assert not Defender.objects.owned_by(org).exists()


def test_a_10_mb_summary_is_refused_with_a_clear_413(officer_client, org):
    payload = _api_payload(summary="x" * (10 * 1024 * 1024))
    response = officer_client.post(
        reverse("api:case-list"), payload, content_type="application/json"
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert not Case.objects.owned_by(org).exists()


def test_a_lead_officer_of_another_organisation_is_refused(officer_client, org, outsider):
    response = officer_client.post(
        reverse("api:case-list"),
        _api_payload(lead_officer=str(outsider.pk)),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "lead_officer" in response.json()
    assert not Case.objects.owned_by(org).exists()


def test_the_form_shows_the_error_and_writes_nothing(officer_client, org):
    response = officer_client.post(reverse("cases:create"), {**NEW_CASE, "pseudonym": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Case.objects.owned_by(org).exists()


def test_a_viewer_reads_but_cannot_write(viewer_client, case):
    assert viewer_client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert viewer_client.get(reverse("cases:create")).status_code == 403
    assert (
        viewer_client.post(reverse("cases:edit", args=[case.pk]), {"pseudonym": "x"}).status_code
        == 403
    )
    response = viewer_client.patch(
        reverse("api:case-detail", args=[case.pk]),
        {"pseudonym": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.pseudonym == "Ceiba"


def test_closing_validates_the_date_and_reason(officer_client, case):
    url = reverse("api:case-close", args=[case.pk])
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    assert officer_client.post(
        url, {"closing_reason": "relocated", "closed_on": future}, content_type="application/json"
    ).json() == {"closed_on": ["The closing date cannot be in the future."]}
    bad_reason = officer_client.post(
        url, {"closing_reason": "bored"}, content_type="application/json"
    )
    assert bad_reason.status_code == 400 and "closing_reason" in bad_reason.json()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    done = officer_client.post(
        url, {"closing_reason": "relocated"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "closed"


# --- share levels ---------------------------------------------------------------------------


def test_a_feedback_partner_sees_pseudonym_and_status_never_identity_or_risk(
    case, other_org, partner_user
):
    case.risk_level = "high"
    case.save()
    share_case(case, other_org, "feedback")
    client = verified_client(partner_user)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ceiba" in html and case.defender.legal_name not in html
    assert "Secret summary" not in html and "High" not in html
    assert client.get(reverse("cases:identity", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-identity", args=[case.pk])).status_code == 404
    body = client.get(reverse("api:case-detail", args=[case.pk])).json()
    assert (body["risk_level"], body["summary"], body["access"]) == (None, None, "feedback")
    listed = client.get(reverse("api:case-list")).json()["results"]
    assert [(row["pseudonym"], row["risk_level"]) for row in listed] == [("Ceiba", None)]
    # nor can the risk filter be used to infer it
    assert client.get(reverse("api:case-list"), {"risk": "high"}).json()["results"] == []


def test_a_full_partner_sees_identity_and_the_owner_sees_who_viewed_it(
    case, other_org, partner_user, officer_client
):
    share_case(case, other_org, "full")
    client = verified_client(partner_user)
    identity = client.get(reverse("api:case-identity", args=[case.pk]))
    assert identity.status_code == 200
    assert identity.json()["legal_name"] == case.defender.legal_name
    log = CaseAccessLog.objects.owned_by(case.organisation).get()
    assert (log.user, log.viewer_organisation, log.part) == (partner_user, other_org, "identity")
    panel = officer_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Who viewed this case" in panel and other_org.name in panel
    # a partner never edits the owner's case
    assert client.post(reverse("cases:edit", args=[case.pk]), {"pseudonym": "x"}).status_code == 404


def test_a_relocation_partner_never_sees_the_case_page(case, partner_user, other_org):
    share_case(case, other_org, "relocation")
    client = verified_client(partner_user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-list")).json()["results"] == []


# --- consent --------------------------------------------------------------------------------


def test_a_share_without_consent_is_refused_and_nothing_is_written(officer_client, case, other_org):
    response = officer_client.post(
        reverse("api:case-shares", args=[case.pk]),
        {"partner": str(other_org.pk), "level": "full", "reason": "Joint démarche"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "has not consented to sharing with Embassy B" in response.json()["partner"][0]
    assert not CaseShare.objects.owned_by(case.organisation).exists()
    assert not case.casegroupobjectpermission_set.exists()


def test_consent_within_a_network_covers_its_members(case, officer, other_org):
    from tests.factories import NetworkFactory

    network = NetworkFactory(members=[case.organisation, other_org])
    consent_record(
        case=case,
        scope=Consent.Scope.SHARE_NETWORK,
        network=network,
        given_on=datetime.date(2026, 3, 2),
        method="in_person",
        acting_user=officer,
    )
    share = case_share(
        case=case,
        partner=other_org,
        level="feedback",
        reason="Network follow-up",
        acting_user=officer,
    )
    assert share.is_active


def test_revoking_consent_suspends_the_shares_it_covered(case, officer, other_org, partner_user):
    share = share_case(case, other_org, "full", acting_user=officer)
    client = verified_client(partner_user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    consent = case.consents.get(scope=Consent.Scope.SHARE_ORGANISATION)
    suspended = consent_revoke(
        consent=consent, acting_user=officer, note="The defender asked us to stop."
    )
    assert suspended == [share]
    share.refresh_from_db()
    assert share.status == CaseShare.Status.SUSPENDED
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="case.share_suspend").exists()


def test_public_action_needs_consent(case, officer):
    from django.core.exceptions import ValidationError

    from cases.services.consent import require_public_action_consent

    with pytest.raises(ValidationError, match="not consented to public action"):
        require_public_action_consent(case=case)
    consent_record(
        case=case,
        scope=Consent.Scope.PUBLIC_ACTION,
        given_on=datetime.date(2026, 3, 2),
        method="written",
        acting_user=officer,
    )
    assert require_public_action_consent(case=case)


def test_an_expired_share_ends_and_removes_access(case, other_org, partner_user, officer):
    share = share_case(case, other_org, "feedback", acting_user=officer)
    share.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    share.save()
    assert shares_expire() == 1
    share.refresh_from_db()
    assert share.status == CaseShare.Status.EXPIRED
    assert (
        verified_client(partner_user).get(reverse("cases:detail", args=[case.pk])).status_code
        == 404
    )


# --- the one visibility rule ----------------------------------------------------------------


def test_every_case_listed_opens_and_every_case_that_opens_is_listed(org, other_org, partner_user):
    own = CaseFactory(organisation=other_org)
    feedback = CaseFactory(organisation=org)
    full = CaseFactory(organisation=org)
    relocation = CaseFactory(organisation=org)
    revoked = CaseFactory(organisation=org)
    CaseFactory(organisation=org)  # not shared
    share_case(feedback, other_org, "feedback")
    share_case(full, other_org, "full")
    share_case(relocation, other_org, "relocation")
    from cases.services.sharing import share_revoke

    share_revoke(
        share=share_case(revoked, other_org, "full"), acting_user=UserFactory(organisation=org)
    )
    CaseFactory(organisation=other_org, defender=own.defender)  # "other cases of this defender"

    client = verified_client(partner_user)
    listed = {
        row["id"]
        for row in client.get(reverse("api:case-list"), {"page_size": 100}).json()["results"]
    }
    html_list = client.get(reverse("cases:list")).content.decode()
    all_cases = Case.objects.unscoped().all()
    opens = {
        str(c.pk)
        for c in all_cases
        if client.get(reverse("api:case-detail", args=[c.pk])).status_code == 200
    }
    assert (
        listed
        == opens
        == {str(own.pk), str(feedback.pk), str(full.pk)}
        | {str(c.pk) for c in all_cases if c.organisation_id == other_org.pk}
    )
    linked = set(re.findall(r"/cases/([0-9a-f-]{36})/", html_list))
    assert linked == opens
    panel = client.get(reverse("cases:detail", args=[own.pk])).content.decode()
    for pk in set(re.findall(r"/cases/([0-9a-f-]{36})/", panel)):
        assert client.get(reverse("cases:detail", args=[pk])).status_code == 200


def test_the_case_list_costs_the_same_queries_whatever_the_page_size(
    org, officer_client, other_org, monkeypatch
):
    from cases.models import ThreatType
    from cases.views import case as case_views

    monkeypatch.setattr(case_views, "CASE_LIST_PAGE_SIZE", 20)  # pages of 20 and 10 cases

    threat, _ = ThreatType.objects.get_or_create(code="judicial", defaults={"label": "Judicial"})
    for n in range(30):
        case = CaseFactory(organisation=org if n % 3 else other_org)
        case.threat_types.add(threat)
        if n % 3 == 0:
            share_case(case, org, "full" if n % 2 else "feedback")

    def count(size):
        response = get_counting(
            officer_client, reverse("api:case-list"), {"page_size": size}, contains='"results":'
        )
        assert len(response.json()["results"]) == size
        return len(response.queries)

    assert count(5) == count(30)
    html_sizes = []
    for page in ("1", "2"):
        response = get_counting(
            officer_client, reverse("cases:list"), {"page": page}, contains=f"Page {page} of 2"
        )
        assert len(response.context["rows"]) == {"1": 20, "2": 10}[page]
        html_sizes.append(len(response.queries))
    assert html_sizes[0] == html_sizes[1]


def test_the_case_list_shows_50_cases_a_page(org, officer_client):
    CaseFactory.create_batch(51, organisation=org)
    first = officer_client.get(reverse("cases:list"))
    assert len(first.context["rows"]) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = officer_client.get(reverse("cases:list"), {"page": "2"})
    assert len(second.context["rows"]) == 1


def test_the_list_filters_searches_and_sorts(officer_client, org, officer):
    CaseFactory(organisation=org, pseudonym="Ceiba", status="monitoring")
    CaseFactory(organisation=org, pseudonym="Araucaria")
    rows = officer_client.get(reverse("api:case-list"), {"q": "ceib"}).json()["results"]
    assert [r["pseudonym"] for r in rows] == ["Ceiba"]
    rows = officer_client.get(reverse("api:case-list"), {"status": "open"}).json()["results"]
    assert [r["pseudonym"] for r in rows] == ["Araucaria"]
    rows = officer_client.get(reverse("api:case-list"), {"sort": "pseudonym"}).json()["results"]
    assert [r["pseudonym"] for r in rows] == ["Araucaria", "Ceiba"]
    page = officer_client.get(reverse("cases:list"), {"status": "closed"}).content.decode()
    assert "No case matches these filters." in page


# --- duplicate hint and coordination --------------------------------------------------------


def test_the_duplicate_hint_tells_only_that_another_organisation_follows(
    org, other_org, officer, partner_user
):
    theirs = CaseFactory(
        organisation=other_org,
        defender__legal_name="Berta Cáceres",
        defender__country="HN",
        pseudonym="Río",
    )
    client = verified_client(officer)
    client.post(
        reverse("cases:create"), {**NEW_CASE, "legal_name": "CACERES, berta", "country": "HN"}
    )
    mine = Case.objects.owned_by(org).get()
    page = client.get(reverse("cases:detail", args=[mine.pk])).content.decode()
    assert "Another organisation follows this defender" in page
    assert other_org.name not in page and "Río" not in page and theirs.reference not in page

    response = client.post(
        reverse("cases:coordinate", args=[mine.pk]), {"message": "We visit her on Friday."}
    )
    assert response.status_code == 302
    request = CoordinationRequest.objects.visible_to(partner_user).get()
    assert (request.case, request.organisation) == (theirs, org)
    inbox = verified_client(partner_user).get(reverse("cases:coordination_inbox")).content.decode()
    assert org.name in inbox
    # until they share, the requester still cannot open their case
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 404

    other_client = verified_client(partner_user)
    refused = other_client.post(
        reverse("cases:coordination_answer", args=[request.pk]), {"answer": "feedback"}
    )
    assert "has not consented to sharing" in refused.content.decode()
    consent_record(
        case=theirs,
        scope="share_organisation",
        partner=org,
        given_on=datetime.date(2026, 3, 3),
        method="phone",
        acting_user=partner_user,
    )
    other_client.post(
        reverse("cases:coordination_answer", args=[request.pk]), {"answer": "feedback"}
    )
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 200


def test_no_hint_without_a_match(officer_client, org, other_org):
    CaseFactory(organisation=other_org, defender__legal_name="Someone Else", defender__country="HN")
    officer_client.post(reverse("cases:create"), NEW_CASE)
    mine = Case.objects.owned_by(org).get()
    page = officer_client.get(reverse("cases:detail", args=[mine.pk])).content.decode()
    assert "Another organisation follows this defender" not in page


def test_the_risk_filter_finds_a_full_partners_and_the_owners_cases(
    case, other_org, partner_user, officer_client
):
    case.risk_level = "high"
    case.save()
    share_case(case, other_org, "full")
    partner = verified_client(partner_user)
    for client in (partner, officer_client):
        found = client.get(reverse("api:case-list"), {"risk": "high"}).json()["results"]
        assert [row["pseudonym"] for row in found] == ["Ceiba"]
        assert client.get(reverse("api:case-list"), {"risk": "low"}).json()["results"] == []


def test_the_visible_count_matches_the_cases_listed(org, other_org, partner_user):
    """The list's count is taken from the visible ids alone while nothing narrows them;
    filtered, sliced or emptied, it counts the rows. Either way: what the user may open."""
    from cases.selectors.case import CaseFilters, case_list_for

    for _ in range(3):
        CaseFactory(organisation=other_org)
    shared = [CaseFactory(organisation=org) for _ in range(4)]
    for case in shared[:2]:
        share_case(case, other_org, "feedback")
    share_case(shared[2], other_org, "relocation")  # no view_case: not listed
    CaseFactory(organisation=org)
    unshared_third = CaseFactory()
    visible = Case.objects.visible_to(partner_user)
    listed = set(visible.values_list("pk", flat=True))
    assert visible.count() == len(listed) == 5
    assert unshared_third.pk not in listed and shared[2].pk not in listed
    assert case_list_for(partner_user).count() == 5
    assert case_list_for(partner_user, CaseFilters(scope="shared")).count() == 2
    assert visible[:3].count() == 3
    assert visible.none().count() == 0
    assert visible.filter(organisation=org).count() == 2
    by_owner = visible.values("organisation").annotate(n=models.Count("pk"))
    assert by_owner.count() == 2  # groups, not cases
    assert visible.values("organisation").distinct().count() == 2
