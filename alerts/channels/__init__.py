"""The channels a notification leaves hrdcase through (e-mail, Signal, an organisation's
webhook), behind one interface (``base.Channel``) and one registry.

``alerts.hooks.register`` registers the built-in channels; the outbox
(``alerts.services.dispatch``) looks a channel up by its name when it sends a delivery, so
a channel added here is dispatched, retried, swept and shown on the health page like the
others. Tests run with other channels through ``override``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alerts.channels.base import Channel

_CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    _CHANNELS[channel.name] = channel


def get_channel(name: str) -> Channel | None:
    return _CHANNELS.get(name)


def registered_channels() -> dict[str, Channel]:
    return dict(_CHANNELS)


@contextmanager
def override(channels: list[Channel]) -> Iterator[None]:
    """Tests: run with exactly ``channels`` registered."""
    saved = dict(_CHANNELS)
    _CHANNELS.clear()
    _CHANNELS.update({channel.name: channel for channel in channels})
    try:
        yield
    finally:
        _CHANNELS.clear()
        _CHANNELS.update(saved)
