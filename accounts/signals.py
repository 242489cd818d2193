"""The accounts domain signals other apps connect to (``organisation_deactivated``,
``user_deactivated``, ``user_moved``). What
accounts itself connects to is in ``accounts/hooks.py``."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent by ``accounts.services.organisation_deactivate`` inside its transaction, once the
#: organisation is marked inactive and its members' sessions, API tokens and pending
#: invitations have ended; sent once per deactivation (deactivating an inactive organisation
#: sends nothing). ``sender`` is the ``Organisation`` class; kwargs: ``organisation`` (the
#: deactivated Organisation) and ``acting_user`` (the platform staff User). A receiver that
#: raises rolls the whole deactivation back; receivers queue their messages with
#: ``transaction.on_commit`` (or write outbox rows, which commit with it).
organisation_deactivated = Signal()

#: Sent by every deactivation of a user (``accounts.services.user_deactivate`` by an
#: organisation admin, and platform staff unticking "active" in the admin), inside its
#: transaction, once the user is locked out. ``sender`` is the ``User`` class; kwargs:
#: ``user`` (the deactivated User) and ``acting_user``. Receivers stop what would still
#: reach the user (alerts: pending sends, the Signal number).
user_deactivated = Signal()

#: Sent when platform staff move a user to another organisation (``accounts.services.
#: user_staff_saved``), inside its transaction, once the user's sessions and tokens have
#: ended. ``sender`` is the ``User`` class; kwargs: ``user`` (now in its new organisation),
#: ``previous_organisation_id`` and ``acting_user``. Receivers end what the user still held
#: in the organisation they left (cases: the cases they led; alerts: the sends queued for
#: them there).
user_moved = Signal()
