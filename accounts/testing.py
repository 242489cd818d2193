"""Driving the site in-process as a signed-in user (the tests, the benchmark's query counts)."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_client(user, device_name: str = "test") -> Client:
    """A browser session that has passed login and the second factor (``user``'s confirmed
    TOTP device called ``device_name``, created when missing)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name=device_name, defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
