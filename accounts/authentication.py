"""API authentication: personal tokens (django-rest-knox, hashed at rest) and sessions that
have passed their second factor."""

from __future__ import annotations

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.authentication import SessionAuthentication

from accounts.twofactor import second_factor_pending


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``; inactive users are refused by knox itself."""


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts only once its second factor is verified."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or second_factor_pending(request._request.user):
            return None
        return result
