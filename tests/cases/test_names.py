"""Names hold one line and nothing invisible, on every road in (API, forms, services, admin).

A newline in a case pseudonym made every alert e-mail about the case fail (the pseudonym is
in the subject); a bidirectional override makes a name display in another order than it is
stored. Each single-line name field refuses control characters, line breaks, tabs,
bidirectional controls and direction marks with a message that says what to remove, and
nothing is written (hrdcase/text.py says why direction marks are refused too).

Pseudonyms and defenders' names are the cases of the finding; the other single-line names
(people, organisations, networks, programmes, authorities, languages) follow the same rule
and are checked here too, so the whole rule reads in one place."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation, ProtectionNetwork, Role, User
from accounts.services import user_invite
from cases.models import Case, Defender
from cases.services.case import DefenderIdentity, case_register
from hrdcase.models import AuditEvent
from logbooks.models import DiplomaticAction
from relocation.models import RelocationRequest, ShelterProgramme
from tests.conftest import verified_client
from tests.factories import CaseFactory
from tests.relocation import factories as relocation_factories

pytestmark = pytest.mark.django_db

#: a Persian name written with a zero-width non-joiner, which Persian needs.
PERSIAN_NAMES = "نسرین ستوده، می\u200cخواهم"  # noqa: RUF001 (Arabic script, not look-alikes)

LINE_BREAK = "Remove the line break: this field holds a single line."
TAB = "Remove the tab: this field holds a single line."
OVERRIDE = (
    "Remove the invisible direction control (U+202E): it makes the text display in another "
    "order than it was typed."
)
ISOLATE = (
    "Remove the invisible direction control (U+2066): it makes the text display in another "
    "order than it was typed."
)
MARK = (
    "Remove the invisible direction mark (U+200F): a name cannot hold invisible characters, "
    "which would make it look like another one."
)
BELL = "Remove the invisible control character (U+0007)."


def _payload(**overrides):
    payload = {
        "defender": {"kind": "individual", "legal_name": "Berta Ixchel Cáceres", "country": "HN"},
        "pseudonym": "Ceiba",
        "summary": "Threatened after opposing the dam.",
    }
    payload.update(overrides)
    return payload


def _defender(**fields):
    return {"kind": "individual", "legal_name": "Berta Ixchel Cáceres", "country": "HN", **fields}


NEW_CASE_FORM = {
    "kind": "individual",
    "legal_name": "Berta Ixchel Cáceres",
    "country": "HN",
    "pseudonym": "Ceiba",
    "opened_on": "2026-03-01",
}


def _nothing_registered(org) -> bool:
    return not Case.objects.owned_by(org).exists() and not Defender.objects.owned_by(org).exists()


@pytest.fixture
def case(org, officer):
    return CaseFactory(organisation=org, pseudonym="Ceiba", lead_officer=officer)


# --- the case and its defender: API ----------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (_payload(pseudonym="Ceiba\nBcc: spy@example.org"), {"pseudonym": [LINE_BREAK]}),
        (_payload(pseudonym="Cei\tba"), {"pseudonym": [TAB]}),
        (_payload(pseudonym="Ceiba\u202egpj.exe"), {"pseudonym": [OVERRIDE]}),
        (_payload(pseudonym="Cei\u200fba"), {"pseudonym": [MARK]}),
        (
            _payload(defender=_defender(legal_name="Berta\u2066 Cáceres")),
            {"defender": {"legal_name": [ISOLATE]}},
        ),
        (
            _payload(defender=_defender(other_names="La Ceiba\u0007")),
            {"defender": {"other_names": [BELL]}},
        ),
    ],
    ids=["pseudonym-newline", "pseudonym-tab", "pseudonym-rlo", "pseudonym-rlm", "legal", "other"],
)
def test_the_api_refuses_a_case_whose_names_break_lines_or_hide_characters(
    officer_client, org, payload, errors
):
    response = officer_client.post(
        reverse("api:case-list"), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == errors
    assert _nothing_registered(org)


def test_the_api_refuses_to_rename_a_case_with_a_line_break(officer_client, case):
    response = officer_client.patch(
        reverse("api:case-detail", args=[case.pk]),
        {"pseudonym": "Roble\r\nX"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"pseudonym": [LINE_BREAK]}
    case.refresh_from_db()
    assert case.pseudonym == "Ceiba"
    assert not AuditEvent.objects.filter(action="case.update").exists()


def test_the_api_still_takes_names_in_any_script(officer_client, org):
    """Right-to-left names, accents and zero-width joiners (Persian, emoji) are names."""
    payload = _payload(
        pseudonym="سرو",
        defender=_defender(legal_name="Nasrin Sotoudeh", other_names=PERSIAN_NAMES),
    )
    response = officer_client.post(
        reverse("api:case-list"), payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    case = Case.objects.owned_by(org).get()
    assert case.pseudonym == "سرو"
    assert case.defender.other_names == PERSIAN_NAMES


# --- the case and its defender: forms --------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pseudonym", "Ceiba\nRoble", LINE_BREAK),
        ("pseudonym", "\u202eCeiba", OVERRIDE),
        ("legal_name", "Berta\u200f Cáceres", MARK),
        ("other_names", "La\tCeiba", TAB),
    ],
)
def test_the_registration_form_shows_what_to_remove_and_writes_nothing(
    officer_client, org, field, value, message
):
    response = officer_client.post(reverse("cases:create"), {**NEW_CASE_FORM, field: value})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert _nothing_registered(org)


def test_the_edit_form_refuses_a_pseudonym_with_an_isolate(officer_client, case, officer):
    response = officer_client.post(
        reverse("cases:edit", args=[case.pk]),
        {"pseudonym": "\u2066Roble", "status": "open", "lead_officer": str(officer.pk)},
    )
    assert response.status_code == 400
    assert ISOLATE in response.content.decode()
    case.refresh_from_db()
    assert case.pseudonym == "Ceiba"


def test_the_defender_form_refuses_a_legal_name_with_a_control_character(officer_client, case):
    before = case.defender.legal_name
    response = officer_client.post(
        reverse("cases:defender_edit", args=[case.pk]),
        {"kind": "individual", "legal_name": "Berta\u0007", "country": "HN"},
    )
    assert response.status_code == 400
    assert BELL in response.content.decode()
    assert Defender.objects.owned_by(case.organisation).get().legal_name == before


# --- the service: the last line for callers that skip forms (tasks, commands, imports) -------


def test_the_service_refuses_a_pseudonym_with_a_line_break(officer, org):
    identity = DefenderIdentity(kind="individual", legal_name="A B", country="CO")
    with pytest.raises(ValidationError) as error:
        case_register(identity=identity, pseudonym="One\nTwo", acting_user=officer)
    assert error.value.message_dict == {"pseudonym": [LINE_BREAK]}
    assert _nothing_registered(org)


def test_the_service_refuses_a_legal_name_with_an_override(officer, org):
    identity = DefenderIdentity(kind="individual", legal_name="A\u202eB", country="CO")
    with pytest.raises(ValidationError) as error:
        case_register(identity=identity, pseudonym="One", acting_user=officer)
    assert error.value.message_dict == {"legal_name": [OVERRIDE]}
    assert _nothing_registered(org)


# --- people, organisations and networks ------------------------------------------------------


def test_the_api_refuses_to_invite_a_full_name_on_two_lines(admin_client_org):
    response = admin_client_org.post(
        reverse("api:member-list"),
        {"email": "new@a.example", "full_name": "New\nPerson", "role": "officer"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"full_name": [LINE_BREAK]}
    assert not User.objects.filter(email="new@a.example").exists()


def test_the_invitation_form_refuses_a_full_name_with_an_override(admin_client_org):
    response = admin_client_org.post(
        reverse("accounts:users"),
        {"email": "new@a.example", "full_name": "Person\u202e", "role": "officer"},
    )
    assert response.status_code == 200
    assert OVERRIDE in response.content.decode()
    assert not User.objects.filter(email="new@a.example").exists()


def test_accepting_an_invitation_refuses_a_full_name_with_a_tab(org, admin_user, client):
    invited, link = user_invite(
        organisation=org, email="new@a.example", role="officer", acting_user=admin_user
    )
    strong = "a-long-unguessable-passphrase-77"
    response = client.post(
        "/" + link.split("://", 1)[1].split("/", 1)[1],
        {"full_name": "New\tPerson", "password1": strong, "password2": strong},
    )
    assert response.status_code == 200
    assert TAB in response.content.decode()
    invited.refresh_from_db()
    assert not invited.is_active and invited.full_name == ""


@pytest.mark.parametrize("model", [Organisation, ProtectionNetwork])
def test_the_admin_refuses_an_organisation_or_network_name_on_two_lines(model):
    """The Django admin validates with the model's fields (its ModelForm runs them)."""
    field = model._meta.get_field("name")
    with pytest.raises(ValidationError) as error:
        field.clean("Embassy\nof Atlantis", None)
    assert error.value.messages == [LINE_BREAK]


# --- logbooks and relocation -----------------------------------------------------------------


def test_the_api_refuses_an_authority_with_an_override(officer_client, case):
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/actions/",
        {
            "type": "demarche",
            "authority": "Ministry of \u202eInterior",
            "taken_on": "2026-03-05",
            "status": "planned",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"authority": [OVERRIDE]}
    assert not DiplomaticAction.objects.unscoped().filter(case=case).exists()


def test_the_action_form_refuses_an_authority_on_two_lines(officer_client, case):
    response = officer_client.post(
        reverse("logbooks:action_create", args=[case.pk]),
        {
            "type": "demarche",
            "authority": "Ministry\nof Interior",
            "taken_on": "2026-03-05",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert LINE_BREAK in response.content.decode()
    assert not DiplomaticAction.objects.unscoped().filter(case=case).exists()


def test_the_api_refuses_languages_on_two_lines(officer_client, case):
    response = officer_client.post(
        reverse("api:relocation-request-list"),
        {"case": str(case.pk), "support": ["emergency_grant"], "languages": "es\nen"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"languages": [LINE_BREAK]}
    assert not RelocationRequest.objects.unscoped().filter(case=case).exists()


def test_the_programme_form_refuses_a_name_with_a_direction_mark():
    city = relocation_factories.city(name="Shelter Utrecht", code="UTR")
    client = verified_client(relocation_factories.staff(city, role=Role.ADMIN))
    response = client.post(
        reverse("relocation:settings"),
        {"form": "programme", "name": "Utrecht\u200f", "stay_months": 6, "active": "on"},
    )
    assert response.status_code == 400  # the form shown again with its message
    assert MARK in response.content.decode()
    assert ShelterProgramme.objects.owned_by(city).get().name == "Shelter City"
