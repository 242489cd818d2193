"""The design system (docs/design.md): Bootstrap's stylesheet in the page's direction, the
case list as cards on a phone with no sideways scrolling, menus that open without
JavaScript, and no serious accessibility violation, in English and Arabic at 1280 and 390 px.
Screenshots of each are saved under tests/e2e/artifacts/ for review."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, axe_violations, login, person
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

STYLESHEETS = "() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)"
BEFORE = "el => getComputedStyle(el, '::before').content"


def _cases(officer) -> None:
    CaseFactory(organisation=officer.organisation, pseudonym="Condor")
    CaseFactory(organisation=officer.organisation, pseudonym="نسر الجبل")
    CaseFactory(
        organisation=officer.organisation,
        pseudonym="A pseudonym long enough to wrap on a phone screen without scrolling",
    )


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"design-{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_case_list_is_a_table_on_a_laptop_and_cards_on_a_phone(new_page, language):
    officer = person(OrganisationFactory(name="Embassy of Testland"), language=language)
    _cases(officer)

    desk = new_page(width=1280)
    login(desk, officer)
    desk.goto("/cases/")
    sheets = desk.evaluate(STYLESHEETS)
    bidi = language == "ar"
    assert desk.evaluate("document.documentElement.dir") == ("rtl" if bidi else "ltr")
    expected = "bootstrap.rtl.min.css" if bidi else "bootstrap.min.css"
    assert next(s for s in sheets if "/vendor/bootstrap/" in s).endswith(expected)
    assert sheets[-1].endswith("/css/hrdcase.css")  # ours after Bootstrap's
    # A table on a laptop: its header row shown, no label drawn before each cell.
    assert desk.locator("table.table-cards thead").bounding_box()["height"] > 10
    assert desk.locator("td[data-label]").first.evaluate(BEFORE) in ("none", "normal")
    expect(desk.locator("nav.site-nav")).to_be_visible()
    assert axe_violations(desk) == []
    _shot(desk, f"case-list-{language}-1280")

    phone = new_page(width=390, height=844)
    login(phone, officer)
    phone.goto("/cases/")
    # Cards on a phone: the header row is out of sight (still read by screen readers) and
    # each cell is labelled with its column's name.
    assert phone.locator("table.table-cards thead").bounding_box()["height"] <= 1
    cell = phone.locator("td[data-label]").nth(1)
    label = cell.get_attribute("data-label")
    assert label and cell.evaluate(BEFORE) == f'"{label}"'
    assert phone.locator("tbody tr").first.evaluate("el => getComputedStyle(el).display") == "block"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    expect(phone.locator("nav.site-nav")).to_be_visible()
    assert axe_violations(phone) == []
    _shot(phone, f"case-list-{language}-390")


def test_the_account_menu_opens_without_javascript_and_the_print_hides_the_menus(new_page):
    officer = person(OrganisationFactory(name="Embassy of Testland"))
    _cases(officer)
    page = new_page(width=1280)
    login(page, officer)
    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("button", name="Log out")).to_be_hidden()
    menu.get_by_text("Account", exact=True).click()
    expect(menu.get_by_role("link", name="Profile")).to_be_visible()
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()
    assert axe_violations(page) == []
    _shot(page, "home-account-menu-en-1280")

    page.goto("/cases/")
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("main form").first).to_be_hidden()
    expect(page.get_by_text(re.compile("^Confidential: printed from hrdcase"))).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.get_by_text(re.compile("^Confidential: printed from hrdcase"))).to_be_hidden()


def test_a_form_shows_its_errors_inline_in_arabic_on_a_phone(new_page):
    officer = person(OrganisationFactory(name="Embassy of Testland"), language="ar")
    page = new_page(width=390, height=844)
    login(page, officer)
    page.goto("/cases/new/")
    page.locator("main form button[type=submit]").last.click()
    invalid = page.locator("main [aria-invalid=true]").first
    invalid.wait_for()
    assert "is-invalid" in invalid.get_attribute("class")
    described = invalid.get_attribute("aria-describedby").split()
    error = page.locator(f"#{next(d for d in described if d.endswith('_error'))}")
    expect(error).to_be_visible()
    assert "invalid-feedback" in error.get_attribute("class")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    _shot(page, "case-form-errors-ar-390")


def test_the_task_queue_reads_as_cards_in_arabic_on_a_phone(new_page):
    import datetime

    from cases.services.task import task_create

    officer = person(OrganisationFactory(name="Embassy of Testland"), language="ar")
    case = CaseFactory(organisation=officer.organisation, pseudonym="Condor")
    for title in ("Call the family about the hearing", "الاتصال بالمحامي قبل الجلسة"):
        task_create(
            title=title,
            due_on=datetime.date.today() + datetime.timedelta(days=3),
            acting_user=officer,
            case=case,
            assignee=officer,
        )
    page = new_page(width=390, height=844)
    login(page, officer)
    page.goto("/cases/tasks/")
    assert page.locator("table.table-cards thead").bounding_box()["height"] <= 1
    # the title people typed reads in its own direction inside the right-to-left card
    title = page.locator("td[data-label] span[dir=auto]", has_text="Call the family").first
    assert title.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    _shot(page, "task-queue-ar-390")


def test_the_error_pages_wear_the_design_system(new_page):
    page = new_page(width=390, height=844)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    sheets = page.evaluate(STYLESHEETS)
    assert any(s.endswith("/vendor/bootstrap/bootstrap.min.css") for s in sheets)
    expect(page.get_by_role("link", name="Go to your Home")).to_be_visible()
    assert axe_violations(page) == []
    _shot(page, "404-en-390")


SWEEP = [
    "/accounts/profile/",
    "/accounts/users/",
    "/accounts/password/",
    "/alerts/notifications/preferences/",
    "/alerts/policy/",
    "/cases/new/",
    "/cases/tasks/new/",
    "/cases/retention/",
    "/cases/benchmarks/",
    "/calendar/agenda/",
]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_menu_page_passes_axe_and_fits_a_phone(new_page, language):
    """Each page of the main menu, and the account and admin pages, in the language, at 1280
    and 390 px: no serious accessibility violation, nothing wider than the phone's screen."""
    admin = person(OrganisationFactory(name="Embassy of Testland"), role="admin", language=language)
    _cases(admin)
    problems = {}
    for width in (1280, 390):
        page = new_page(width=width, height=900)
        login(page, admin)
        page.goto("/")
        menu = page.locator("nav.site-nav > ul > li > a")
        paths = [menu.nth(i).get_attribute("href") for i in range(menu.count())]
        for path in dict.fromkeys(p for p in [*paths, *SWEEP] if not p.startswith("/admin")):
            response = page.goto(path)
            if response.status >= 400:
                problems[f"{path} {width}"] = response.status
                continue
            if violations := axe_violations(page):
                problems[f"{path} {width}"] = violations
            if width == 390 and page.evaluate("document.documentElement.scrollWidth") > 390:
                problems[f"{path} {width}"] = "scrolls sideways"
        _shot(page, f"agenda-{language}-{width}")
    assert problems == {}
