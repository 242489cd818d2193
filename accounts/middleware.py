"""Middleware that puts the second factor, the user's language and time zone in front of
every view."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.timezones import time_zone_for
from accounts.twofactor import has_totp, second_factor_pending

# Views a half-logged-in user may reach: finishing the login, leaving, changing language.
EXEMPT_VIEWS = frozenset(
    {
        "accounts:verify",
        "accounts:enrol",
        "accounts:logout",
        "accounts:login",
        "accounts:invitation_accept",
        "accounts:set_language",
        "healthz",
    }
)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in EXEMPT_VIEWS:
            return None
        user = request.user
        if not second_factor_pending(user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Two-factor verification required; log in again in the browser.")},
                status=403,
            )
        target = "accounts:verify" if has_totp(user) else "accounts:enrol"
        response = redirect(target)
        response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response


class UserLanguageMiddleware:
    """Use the language saved on the user's profile, wherever they log in from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Show every date and time of a page in the user's time zone (``accounts.timezones``):
    their own, else their organisation's; UTC for whoever is not signed in.

    Costs no query: the organisation is read with the user (``accounts.backends``), and the
    ``ZoneInfo`` is cached per name. The API is left in UTC: its JSON is for machines, and
    the same call must answer the same text for a session and for a token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/api/"):
            timezone.deactivate()
            return self.get_response(request)
        timezone.activate(time_zone_for(user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class IdleSessionMiddleware:
    """Renew a signed-in session's idle expiry at most once a minute (after SessionMiddleware).

    The session ends ``SESSION_COOKIE_AGE`` after it was last saved. Saving it on every
    request (``SESSION_SAVE_EVERY_REQUEST``) made each page view a write transaction on the
    session table; renewing once a minute (a tenth of the idle time if shorter) ends an idle
    session between 29 and 30 minutes after the last request instead of at 30.

    Background polls (the menu's badges, marked with the ``X-Idle-Poll`` header) are not
    activity: a page left open in a hotel lobby must still time out.
    """

    #: seconds between two renewals of the same session, at most.
    RENEW_EVERY = 60
    KEY = "_idle_renewed_at"
    POLL_HEADER = "X-Idle-Poll"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        signed_in = session is not None and session.get(SESSION_KEY) is not None
        if signed_in and not request.headers.get(self.POLL_HEADER):
            renew_every = min(self.RENEW_EVERY, settings.SESSION_COOKIE_AGE / 10)
            if time.time() - session.get(self.KEY, 0) >= renew_every:
                self.stamp(session)  # modified: SessionMiddleware saves it, expiry renewed
        return self.get_response(request)

    @classmethod
    def stamp(cls, session) -> None:
        session[cls.KEY] = int(time.time())
