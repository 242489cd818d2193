"""Second-factor state of a user: enrolled devices, whether a verification is still owed."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"


def second_factor_pending(user) -> bool:
    """True when the session must still pass (or set up) a second factor.

    An enrolled user always verifies, even where 2FA is optional: having a device and
    skipping it would make the device decorative.
    """
    # ``is_verified`` is set by OTPMiddleware; a request built without it is unverified.
    is_verified = getattr(user, "is_verified", None)
    if not user.is_authenticated or (is_verified is not None and is_verified()):
        return False
    return settings.HRDCASE_REQUIRE_2FA or user_has_device(user, confirmed=True)


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with fresh ones; returns them to be shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _recovery_code() -> str:
    # 10 lowercase base32 characters (50 bits), grouped for reading aloud over a phone line.
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"
