"""Browser tests: Playwright driving Debian's Chromium (headless) against a live server.

``.ci/run`` installs ``/usr/bin/chromium`` when missing; ``make test`` on a machine without
it deselects these tests and says so (see tests/conftest.py), it never skips them silently.
Every test saves a screenshot of its final page under tests/e2e/artifacts/ (git-ignored).
"""

from __future__ import annotations

import base64
import os
import re
import time
from pathlib import Path

import pytest
from django_otp.oath import TOTP

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# Playwright's sync API runs an event loop in this thread; the test body still uses the ORM
# synchronously (fixtures, assertions), which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """``new_page(width=1280)``: a fresh browser context (own cookies) on the live server;
    each page's final state is saved as a screenshot named after the test."""
    contexts = []

    def make(*, width: int = 1280, height: int = 900, locale: str = "en-GB"):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}, locale=locale
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    for index, context in enumerate(contexts):
        for number, page in enumerate(context.pages):
            suffix = f"-{index}-{number}" if len(contexts) > 1 or number else ""
            page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
        context.close()


PASSWORD = "a long passphrase for the tests 2026"


def person(organisation, role="officer", **fields):
    """A user of ``organisation`` with the test password and an authenticator enrolled."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import UserFactory

    user = UserFactory(organisation=organisation, role=role, **fields)
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def totp_now(secret_b32: str) -> str:
    """The code an authenticator app shows now for a base32 key."""
    padded = secret_b32.replace(" ", "").upper()
    padded += "=" * (-len(padded) % 8)
    return f"{TOTP(base64.b32decode(padded)).token():06d}"


def device_code(user) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    # django-otp refuses a time step it has already accepted (replay protection): a journey
    # that signs in twice within 30 seconds uses the next step, which the device's
    # tolerance of one step accepts, or waits for the step after that.
    while totp.t() <= device.last_t:
        if device.last_t + 1 <= totp.t() - totp.drift + device.drift + device.tolerance:
            totp.drift += device.last_t + 1 - totp.t()
        else:
            time.sleep(1)
    return f"{totp.token():06d}"


def login(page, user, password: str = PASSWORD) -> None:
    """Log in through the real forms: password, then the authenticator code."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    # By field name, not label: the second step already speaks the user's own language.
    page.locator("input[name=code]").fill(device_code(user))
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    # A click returns once its navigation has committed, not once the new page is parsed:
    # what the test reads next must be the page the user lands on.
    page.wait_for_load_state()


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run the vendored axe-core on the page; the serious and critical violations."""
    page.wait_for_load_state()  # the page a click navigated to, not the one it left
    # Injected through the DevTools protocol: the page's CSP (script-src 'self') rightly
    # refuses an inline <script>, and the scan must not need the CSP loosened.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
