"""API authentication: personal tokens (django-rest-knox, hashed at rest) and sessions that
have passed their second factor."""

from __future__ import annotations

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from accounts.twofactor import second_factor_pending
from hrdcase.tenancy import organisation_in_force


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``; inactive users are refused by knox itself, members of
    a deactivated organisation here (their tokens are deleted on deactivation: this holds
    if the flag was set any other way)."""

    def authenticate_credentials(self, token: bytes):
        """knox's own lookup (knox 5.1 ``TokenAuthentication.authenticate_credentials``),
        reading the user's organisation in the same query: the organisation check below and
        the tenancy scopes then cost no query of their own."""
        msg = _("Invalid token.")
        token_text = token.decode("utf-8")
        candidates = (
            get_token_model()
            .objects.filter(token_key=token_text[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user", "user__organisation")
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token_text)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(msg) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)

    def _cleanup_token(self, auth_token) -> bool:
        """Only the token presented: True (refused, deleted) once it has expired. knox's own
        also reads every other token of the user on each request to delete the expired
        ones: a query on every API call, done instead by the hourly housekeeping
        (``accounts.tasks.clear_expired``)."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False

    def validate_user(self, auth_token):
        user, auth_token = super().validate_user(auth_token)
        if not organisation_in_force(user):
            raise exceptions.AuthenticationFailed(_("Your organisation is deactivated."))
        return user, auth_token


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts only once its second factor is verified."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or second_factor_pending(request._request.user):
            return None
        return result
