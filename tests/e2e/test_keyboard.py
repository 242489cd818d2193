"""Keyboard only: skip to the content, log an entry from the case page and reach the timeline,
with the focus always visible."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login, person
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, name: el.getAttribute('name') || '', text: (el.innerText || '').trim(),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
}"""


def _tab_to(page, predicate, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outline"], f"no visible focus on {focused}"
        if predicate(focused):
            return focused
    raise AssertionError("not reachable with the keyboard")


def test_it_lets_an_officer_log_an_entry_with_the_keyboard_alone(new_page):
    officer = person(OrganisationFactory(name="Embassy of Testland"))
    case = CaseFactory(organisation=officer.organisation, pseudonym="Condor")
    page = new_page()
    login(page, officer)
    page.goto(f"/cases/{case.pk}/")

    first = _tab_to(page, lambda f: True)
    assert first["text"] == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    _tab_to(page, lambda f: f["name"] == "summary")
    page.keyboard.type("Met the defender's lawyer at the embassy.")
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Log entry")
    page.keyboard.press("Enter")
    page.get_by_text("Met the defender's lawyer at the embassy.").first.wait_for()

    # The new entry is a link in the flow of the page, reachable by Tab as well.
    reached = _tab_to(page, lambda f: f["tag"] == "A" and "Note" in f["text"])
    assert reached
