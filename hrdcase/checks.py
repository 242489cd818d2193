"""System checks that guard the security posture at start-up (run by ``check --deploy``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_two_factor_required(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not settings.HRDCASE_REQUIRE_2FA:
        return [
            checks.Warning(
                "HRDCASE_REQUIRE_2FA is off: accounts can log in with a password alone.",
                hint="Unset HRDCASE_REQUIRE_2FA (it defaults to on in production).",
                id="hrdcase.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def check_encryption_keys(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """A malformed key stops start-up, not the first request that reads an identity."""
    from hrdcase.crypto import validate_settings

    try:
        validate_settings()
    except Exception as error:
        return [checks.Error(str(error), id="hrdcase.E001")]
    return []
