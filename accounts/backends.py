"""The authentication backend: Django's ``ModelBackend``, reading the signed-in user's
organisation with the user (the menu, the tenancy scopes and most views read it on every
request: one query per page saved), and refusing the members of a deactivated organisation
(at the password step and on every request of a session that outlived the deactivation)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from hrdcase.tenancy import organisation_in_force


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("organisation")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and organisation_in_force(user)
