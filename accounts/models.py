"""Users, organisations (the tenants) and protection networks."""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import Group, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.timezones import default_time_zone, validate_time_zone
from hrdcase.text import validate_single_line


class Organisation(models.Model):
    """The tenant. Every tenant-owned row points at one; its group receives object perms."""

    class Kind(models.TextChoices):
        MISSION = "mission", _("Mission (embassy, consulate, EU delegation)")
        CAPITAL = "capital", _("Capital desk (foreign ministry)")
        NGO = "ngo", _("NGO")
        SHELTER_CITY = "shelter_city", _("Shelter city")
        SECRETARIAT = "secretariat", _("Network secretariat")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[validate_single_line]
    )
    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        help_text=_("Short code used in case references, e.g. NLD-KE for a mission."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"), help_text=_("Where the organisation works."))
    represented_state = CountryField(
        _("represented State"),
        blank=True,
        help_text=_("For a mission or capital desk: the State it represents."),
    )
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="organisation", editable=False
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Every date and time is shown in it, unless a member chose their own."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class ProtectionNetwork(models.Model):
    """A named set of organisations that coordinate, e.g. like-minded missions in a country."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[validate_single_line]
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    country = CountryField(_("country"), blank=True)
    members = models.ManyToManyField(Organisation, related_name="networks", blank=True)
    #: counts the changes of ``members`` (``accounts.hooks.count_members_change``): what is
    #: computed from the members and kept (the network dashboard's cached figures) keys on
    #: it, so a member that leaves is out of them at once, not at the next refresh.
    members_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("protection network")
        verbose_name_plural = _("protection networks")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    OFFICER = "officer", _("Officer")
    VIEWER = "viewer", _("Viewer (read only)")
    COORDINATOR = "coordinator", _("Network coordinator")


WRITE_ROLES = frozenset({Role.ADMIN, Role.OFFICER})


class AccountStatus(models.TextChoices):
    """What the organisation's admins see of a member (``User.account_status``)."""

    ACTIVE = "active", _("active")
    INVITED = "invited", _("invited")
    INVITATION_CANCELLED = "invitation_cancelled", _("invitation cancelled")
    INVITATION_EXPIRED = "invitation_expired", _("invitation expired")
    DEACTIVATED = "deactivated", _("deactivated")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # Emails are unique case-insensitively; log in with whatever case was typed.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in by email. Belongs to one organisation (platform staff: none).

    The membership (organisation + role) lives on the user: one person, one organisation,
    so "their organisation" is never ambiguous when deciding what they may see.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(
        _("full name"), max_length=200, blank=True, validators=[validate_single_line]
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        help_text=_("Empty only for platform staff."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    language = models.CharField(_("language"), max_length=10, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Empty: the organisation's time zone."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped to log the user out everywhere: it is part of the session auth hash.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "accounts.User.session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def account_status(self) -> str:
        """Reads ``invitations`` (prefetch them for a list: ``users_visible_to`` does)."""
        if self.is_active:
            return AccountStatus.ACTIVE
        if self.has_usable_password():
            return AccountStatus.DEACTIVATED
        # Never signed in: the state of the latest invitation link tells why.
        invitations = sorted(self.invitations.all(), key=lambda i: i.created_at, reverse=True)
        latest = invitations[0].status if invitations else None
        if latest == Invitation.Status.PENDING:
            return AccountStatus.INVITED
        if latest == Invitation.Status.EXPIRED:
            return AccountStatus.INVITATION_EXPIRED
        if latest == Invitation.Status.REVOKED:
            return AccountStatus.INVITATION_CANCELLED
        return AccountStatus.DEACTIVATED

    def get_account_status_display(self) -> str:
        return str(AccountStatus(self.account_status).label)

    @property
    def can_write(self) -> bool:
        return self.is_active and self.organisation_id is not None and self.role in WRITE_ROLES

    @property
    def is_org_admin(self) -> bool:
        return self.is_active and self.organisation_id is not None and self.role == Role.ADMIN

    def acts_for(self, organisation_id) -> bool:
        """Active and a member of that organisation now: who may still be told of its cases.
        A lead officer or a requester moved to another organisation is not (what reaches them
        would also reach their new organisation's webhook)."""
        return (
            self.is_active
            and organisation_id is not None
            and self.organisation_id == organisation_id
        )


class Invitation(models.Model):
    """A one-time link that lets an invited user choose a password. Only its hash is kept.

    Revoked when the invited account (or its organisation) is deactivated: accepting it
    would otherwise activate the account again, with the role it was invited with.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("cancelled")
        EXPIRED = "expired", _("expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation of {self.user_id}"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING
