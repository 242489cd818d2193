"""System checks that guard the security posture at start-up (run by ``check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_two_factor_required(app_configs, **kwargs):
    if not settings.HRDCASE_REQUIRE_2FA:
        return [
            checks.Warning(
                "HRDCASE_REQUIRE_2FA is off: accounts can log in with a password alone.",
                hint="Unset HRDCASE_REQUIRE_2FA (it defaults to on in production).",
                id="hrdcase.W001",
            )
        ]
    return []
