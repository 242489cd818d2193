"""Writes on accounts: organisations, invitations, roles, sessions, tokens, two-factor.

Each function checks what the acting user may do, writes, and audits. Callers (views, API,
admin, commands) only validate input shape and call these.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation, update_session_auth_hash
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts import twofactor
from accounts.models import Invitation, Organisation, ProtectionNetwork, Role, User
from accounts.signals import organisation_deactivated, user_deactivated, user_moved
from accounts.timezones import validate_time_zone
from hrdcase.audit import audit_record
from hrdcase.text import email_subject


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- Organisations and networks (platform staff, seed data) ------------------------------


@transaction.atomic
def organisation_create(
    *,
    name: str,
    code: str,
    kind: str,
    country: str,
    represented_state: str = "",
    time_zone: str = "",
    acting_user: User | None = None,
) -> Organisation:
    """A new tenant with its own auth group (the principal of its object permissions)."""
    group = Group.objects.create(name=f"org:{code}")
    organisation = Organisation(
        name=name,
        code=code,
        kind=kind,
        country=country,
        represented_state=represented_state,
        time_zone=time_zone or settings.TIME_ZONE,
        group=group,
    )
    organisation.full_clean()
    organisation.save()
    audit_record(action="organisation.create", actor=acting_user, target=organisation)
    return organisation


def _require_platform_staff(acting_user: User | None) -> None:
    """Organisations are the platform's to open and close, never their own members'."""
    if not (
        acting_user is not None
        and acting_user.is_active
        and acting_user.is_staff
        and acting_user.has_perm("accounts.change_organisation")
    ):
        raise PermissionDenied


def _networks_changed(organisation: Organisation) -> None:
    """A member closed or opened again changes what its networks' figures count (only active
    members count): what was computed without (or with) it must not be read again."""
    ProtectionNetwork.objects.filter(members=organisation).update(
        members_version=F("members_version") + 1
    )


@transaction.atomic
def organisation_deactivate(*, organisation: Organisation, acting_user: User) -> Organisation:
    """Close a tenant: its members cannot sign in (``accounts.backends.UserBackend``,
    ``accounts.authentication.TokenAuthentication`` refuse them), and what they held ends
    now rather than when they next try: every session (the session auth hash changes), every
    API token, every pending invitation. Then ``organisation_deactivated`` tells the apps
    that hang things on the organisation (shares it holds, ...), inside this transaction.

    Members stay active users: reactivating the organisation lets them sign in again, with
    nothing of what was alive before.
    """
    _require_platform_staff(acting_user)
    # Locked: two staff saving at once must not run the clean-up and tell everyone twice.
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.is_active = False
    if not locked.is_active:
        return organisation
    organisation.save(update_fields=["is_active"])
    _networks_changed(organisation)
    members = User.objects.filter(organisation=organisation)
    signed_out = members.update(session_generation=F("session_generation") + 1)
    tokens, _per_model = AuthToken.objects.filter(user__organisation=organisation).delete()
    invitations = _invitations_revoke(Invitation.objects.filter(user__organisation=organisation))
    audit_record(
        action="organisation.deactivate",
        actor=acting_user,
        organisation=organisation,
        target=organisation,
        data={
            "members_signed_out": signed_out,
            "tokens_revoked": tokens,
            "invitations_revoked": invitations,
        },
    )
    organisation_deactivated.send(
        sender=Organisation, organisation=organisation, acting_user=acting_user
    )
    return organisation


@transaction.atomic
def organisation_reactivate(*, organisation: Organisation, acting_user: User) -> Organisation:
    """Open a closed tenant again: its members sign in with their password and second
    factor. Sessions, tokens and invitations ended by the deactivation stay ended, and what
    other apps ended on ``organisation_deactivated`` (shares) is not restored."""
    _require_platform_staff(acting_user)
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.is_active = True
    if locked.is_active:
        return organisation
    organisation.save(update_fields=["is_active"])
    _networks_changed(organisation)
    audit_record(
        action="organisation.reactivate",
        actor=acting_user,
        organisation=organisation,
        target=organisation,
    )
    return organisation


# --- Users of an organisation (its admins) -------------------------------------------------


def _require_admin_of(acting_user: User, organisation_id) -> None:
    if not acting_user.is_org_admin or acting_user.organisation_id != organisation_id:
        raise PermissionDenied


def _other_active_admins(user: User) -> bool:
    return (
        User.objects.filter(organisation_id=user.organisation_id, role=Role.ADMIN, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


def _user_join_organisation(user: User, organisation: Organisation) -> None:
    user.groups.add(organisation.group)


@transaction.atomic
def user_invite(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    full_name: str = "",
    acting_user: User,
) -> tuple[User, str]:
    """Create an inactive account and e-mail a one-time link; returns (user, link)."""
    _require_admin_of(acting_user, organisation.pk)
    if not organisation.is_active:
        raise PermissionDenied
    email = User.objects.normalize_email(email).strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not _never_joined(existing, organisation):
        # Deliberately vague: do not confirm that an address has an account elsewhere.
        raise ValidationError({"email": _("This address cannot be invited.")})
    if existing is not None:
        # Invited here before and never joined (the link expired, or was cancelled when the
        # account was deactivated): a fresh invitation replaces the old one.
        user = existing
        _user_invitations_revoke(user)
        user.role = role
        user.full_name = full_name or user.full_name
        user.save(update_fields=["role", "full_name"])
    else:
        user = User(email=email, full_name=full_name, organisation=organisation, role=role)
        user.is_active = False
        user.set_unusable_password()
        user.full_clean()
        user.save()
        _user_join_organisation(user, organisation)
    raw = secrets.token_urlsafe(32)
    Invitation.objects.create(
        user=user,
        token_hash=_hash_token(raw),
        invited_by=acting_user,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[raw])
    audit_record(
        action="user.invite",
        actor=acting_user,
        organisation=organisation,
        target=user,
        data={"role": role},
    )
    transaction.on_commit(
        lambda: send_mail(
            email_subject(_("You are invited to hrdcase")),
            _(
                "%(org)s invites you to hrdcase. Choose your password here within %(days)s "
                "days: %(link)s"
            )
            % {"org": organisation.name, "days": settings.INVITATION_VALID_DAYS, "link": link},
            None,
            [email],
        )
    )
    return user, link


def _never_joined(user: User, organisation: Organisation) -> bool:
    """An account of ``organisation`` that was invited and never chose a password."""
    return (
        user.organisation_id == organisation.pk
        and not user.is_active
        and not user.has_usable_password()
    )


def invitation_for_token(raw: str) -> Invitation | None:
    """The invitation of a link, whatever its state (the page says why a link no longer
    works: ``Invitation.status``); None for a link that matches nothing."""
    return (
        Invitation.objects.select_related("user", "user__organisation")
        .filter(token_hash=_hash_token(raw))
        .first()
    )


def _invitations_revoke(invitations) -> int:
    """Revoke the pending ones among ``invitations``; returns how many."""
    return invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _user_invitations_revoke(user: User) -> int:
    revoked = _invitations_revoke(Invitation.objects.filter(user=user))
    # Drop invitations prefetched with the user (no query): the caller shows its status.
    user.refresh_from_db(fields=["invitations"])
    return revoked


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, full_name: str = "") -> User:
    # Locked and re-read: a deactivation may have revoked the link after the form was shown.
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status == Invitation.Status.REVOKED:
        raise ValidationError(
            _("This invitation was cancelled by your organisation."), code="revoked"
        )
    if not locked.is_usable:
        raise ValidationError(_("This invitation has expired or was already used."))
    user = locked.user
    if user.organisation_id is not None and not user.organisation.is_active:
        # Deactivation revokes pending links; this guards a link made by other means.
        raise ValidationError(
            _("This invitation was cancelled by your organisation."), code="revoked"
        )
    if full_name:
        user.full_name = full_name
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active", "full_name"])
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit_record(
        action="user.invitation_accept", actor=user, organisation=user.organisation, target=user
    )
    return user


@transaction.atomic
def user_change_role(*, user: User, role: str, acting_user: User) -> User:
    _require_admin_of(acting_user, user.organisation_id)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if user.role == Role.ADMIN and role != Role.ADMIN and not _other_active_admins(user):
        raise ValidationError(
            {"role": _("The organisation's last administrator cannot lose that role.")}
        )
    previous = user.role
    user.role = role
    user.save(update_fields=["role"])
    audit_record(
        action="user.role_change",
        actor=acting_user,
        organisation=user.organisation,
        target=user,
        data={"from": previous, "to": role},
    )
    return user


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """Lock the user out at once: sessions end (auth hash changes) and tokens are deleted."""
    _require_admin_of(acting_user, user.organisation_id)
    if user.pk == acting_user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.role == Role.ADMIN and user.is_active and not _other_active_admins(user):
        raise ValidationError(_("The organisation's last administrator cannot be deactivated."))
    _user_deactivated(user, acting_user)
    return user


def _user_deactivated(user: User, acting_user: User) -> None:
    """What a deactivation does, by an organisation admin or by platform staff in the admin:
    locked out, pending invitations revoked, audited, then ``user_deactivated`` (alerts stops
    the user's pending sends and forgets their Signal number)."""
    _user_lock_out(user)
    revoked = _user_invitations_revoke(user)
    audit_record(
        action="user.deactivate",
        actor=acting_user,
        organisation=user.organisation,
        target=user,
        data={"invitations_revoked": revoked} if revoked else None,
    )
    user_deactivated.send(sender=User, user=user, acting_user=acting_user)


def _user_lock_out(user: User) -> None:
    """Inactive, signed out everywhere (the session auth hash changes) and tokens deleted:
    a later reactivation must not bring back what was alive before."""
    user.is_active = False
    user.session_generation += 1
    user.save(update_fields=["is_active", "session_generation"])
    AuthToken.objects.filter(user=user).delete()


@transaction.atomic
def user_staff_saved(
    *,
    user: User,
    previous_organisation_id,
    previous_role: str | None,
    acting_user: User,
    previous_is_active: bool | None = None,
) -> None:
    """After platform staff saved a user in the Django admin: keep the organisation group in
    step, and when the membership changed, end the user's sessions and tokens (what they could
    see has changed) and audit it as a permission change. Unticking "active" locks the user
    out as an organisation admin's deactivation does."""
    if previous_is_active and not user.is_active:
        _user_deactivated(user, acting_user)
    if previous_organisation_id != user.organisation_id:
        stale = Organisation.objects.filter(pk=previous_organisation_id).values_list("group_id")
        user.groups.remove(*user.groups.filter(pk__in=stale))
        if user.organisation_id:
            _user_join_organisation(user, user.organisation)
        user.session_generation += 1
        user.save(update_fields=["session_generation"])
        AuthToken.objects.filter(user=user).delete()
        audit_record(
            action="user.organisation_change",
            actor=acting_user,
            organisation=user.organisation,
            target=user,
            data={
                "from": str(previous_organisation_id or ""),
                "to": str(user.organisation_id or ""),
            },
        )
        if previous_organisation_id:
            user_moved.send(
                sender=User,
                user=user,
                previous_organisation_id=previous_organisation_id,
                acting_user=acting_user,
            )
    if previous_role is not None and previous_role != user.role:
        audit_record(
            action="user.role_change",
            actor=acting_user,
            organisation=user.organisation,
            target=user,
            data={"from": previous_role, "to": user.role},
        )


@transaction.atomic
def user_reactivate(*, user: User, acting_user: User) -> User:
    _require_admin_of(acting_user, user.organisation_id)
    if not user.has_usable_password():
        raise ValidationError(_("This user has not accepted the invitation yet."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        action="user.reactivate", actor=acting_user, organisation=user.organisation, target=user
    )
    return user


def user_set_language(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- Time zones ----------------------------------------------------------------------------


def _clean_time_zone(value: str, *, blank: bool) -> str:
    value = (value or "").strip()
    if not value and not blank:
        raise ValidationError({"time_zone": _("Choose a time zone.")})
    try:
        validate_time_zone(value)
    except ValidationError as error:
        raise ValidationError({"time_zone": error.messages}) from None
    return value


@transaction.atomic
def organisation_set_time_zone(
    *, organisation: Organisation, time_zone: str, acting_user: User
) -> Organisation:
    """The organisation's time zone (its admins): every member who did not choose their own
    sees dates in it from their next page on."""
    _require_admin_of(acting_user, organisation.pk)
    time_zone = _clean_time_zone(time_zone, blank=False)
    previous = organisation.time_zone
    if previous == time_zone:
        return organisation
    organisation.time_zone = time_zone
    organisation.save(update_fields=["time_zone"])
    audit_record(
        action="organisation.time_zone",
        actor=acting_user,
        organisation=organisation,
        target=organisation,
        data={"from": previous, "to": time_zone},
    )
    return organisation


@transaction.atomic
def user_set_time_zone(*, user: User, time_zone: str) -> User:
    """A user's own time zone; blank: their organisation's."""
    time_zone = _clean_time_zone(time_zone, blank=True)
    previous = user.time_zone
    if previous == time_zone:
        return user
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    audit_record(
        action="user.time_zone",
        actor=user,
        organisation=user.organisation,
        target=user,
        data={"from": previous, "to": time_zone},
    )
    return user


def time_zone_staff_saved(*, target: Organisation | User, previous: str, acting_user: User) -> None:
    """Platform staff changed a time zone in the Django admin (which saves it): audited as
    the organisation's admins' and the users' own changes are."""
    is_organisation = isinstance(target, Organisation)
    audit_record(
        action="organisation.time_zone" if is_organisation else "user.time_zone",
        actor=acting_user,
        organisation=target if is_organisation else target.organisation,
        target=target,
        data={"from": previous, "to": target.time_zone},
    )


# --- Passwords -------------------------------------------------------------------------------


def _password_replace(*, user: User, password: str, action: str) -> None:
    """Set the new password and end everything the old one opened: every session (this one
    too: the caller signs the user out) and every API token. A password is changed because it
    may be known to someone else; what that someone opened with it must close."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.session_generation += 1
    user.save(update_fields=["password", "session_generation"])
    tokens, _unused = AuthToken.objects.filter(user=user).delete()
    audit_record(
        action=action,
        actor=user,
        organisation=user.organisation,
        target=user,
        data={"tokens_revoked": tokens} if tokens else None,
    )


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """The signed-in user's own change; the view checked the current password (through
    ``authenticate``, so axes counts a wrong one) and the second factor."""
    _password_replace(user=user, password=new_password, action="auth.password_change")


@transaction.atomic
def password_reset_complete(*, user: User, new_password: str) -> None:
    """The end of a reset by e-mail: the link's token was checked by Django's reset view.
    The second factor is still asked at the next login."""
    _password_replace(user=user, password=new_password, action="auth.password_reset")


# --- Sessions and API tokens ---------------------------------------------------------------


@transaction.atomic
def sessions_end_others(*, request: HttpRequest) -> None:
    """Log the user out of every other browser; this one stays signed in."""
    user = request.user
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    update_session_auth_hash(request, user)
    audit_record(action="auth.logout_all", actor=user, organisation=user.organisation)


@transaction.atomic
def token_create(*, user: User, acting_user: User | None = None) -> tuple[AuthToken, str]:
    """A personal API token; the raw key is returned once and only its hash is stored."""
    if not user.is_active:
        raise ValidationError(_("Inactive users cannot have API tokens."))
    if user.organisation_id is not None and not user.organisation.is_active:
        raise ValidationError(_("The user's organisation is deactivated: no API tokens."))
    instance, raw = AuthToken.objects.create(user=user, expiry=settings.REST_KNOX["TOKEN_TTL"])
    audit_record(
        action="token.create",
        actor=acting_user or user,
        organisation=user.organisation,
        target=user,
        data={"token": instance.token_key},
    )
    return instance, raw


@transaction.atomic
def token_revoke(*, user: User, token_key: str) -> bool:
    if "\x00" in token_key:  # no key holds one (PostgreSQL would refuse to compare it)
        return False
    deleted, _unused = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    if deleted:
        audit_record(
            action="token.revoke",
            actor=user,
            organisation=user.organisation,
            target=user,
            data={"token": token_key},
        )
    return bool(deleted)


# --- Two-factor enrolment ------------------------------------------------------------------


@transaction.atomic
def totp_start(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed authenticator for the enrolment page (older drafts dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device if ``code`` matches; returns new recovery codes, or None."""
    if not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = twofactor.new_recovery_codes(device.user)
    audit_record(action="2fa.enrol", actor=device.user, organisation=device.user.organisation)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    codes = twofactor.new_recovery_codes(user)
    audit_record(action="2fa.recovery_codes", actor=user, organisation=user.organisation)
    return codes


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    if settings.HRDCASE_REQUIRE_2FA:
        raise ValidationError(_("Two-factor authentication is required on this platform."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(action="2fa.disable", actor=user, organisation=user.organisation)
