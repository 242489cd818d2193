from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.timezones import time_zone_choices
from hrdcase.audit import audit_record
from hrdcase.text import validate_single_line

#: the roles in the order the forms offer them: reading only, then writing, then more.
ROLES_LEAST_PRIVILEGED_FIRST = (Role.VIEWER, Role.OFFICER, Role.COORDINATOR, Role.ADMIN)


def _new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label=_("New password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        forms.CharField(
            label=_("New password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class NewPasswordMixin:
    """Two entries of the new password, equal and accepted by the validators."""

    user: User

    def clean_new_password2(self) -> str:
        cleaned = self.cleaned_data  # type: ignore[attr-defined]
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            raise ValidationError(_("The two passwords differ."), code="password_mismatch")
        if second:
            password_validation.validate_password(second, self.user)
        return second


class PasswordChangeForm(NewPasswordMixin, forms.Form):
    """The current password, the second factor and the new password twice. The view checks
    the current password through ``authenticate`` (axes counts a wrong one) and the code."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    new_password1, new_password2 = _new_password_fields()

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        return OTPForm.normalise(self.cleaned_data["code"])


class ResetPasswordForm(NewPasswordMixin, forms.Form):
    """The new password after following the e-mailed link (Django's reset view calls
    ``save``): the change is the service's, which ends every session and token."""

    new_password1, new_password2 = _new_password_fields()

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def save(self, commit: bool = True) -> User:
        from accounts.services import password_reset_complete

        password_reset_complete(user=self.user, new_password=self.cleaned_data["new_password1"])
        return self.user


#: reset e-mails sent to one address per hour, at most: the rest are dropped silently (the
#: page says the same), so the form cannot flood someone's mailbox.
RESET_EMAILS_PER_HOUR = 3


class ResetRequestForm(PasswordResetForm):
    """Django's reset request, for active members of active organisations only, at most
    ``RESET_EMAILS_PER_HOUR`` e-mails per address, each audited.

    ``save`` only queues the work (``accounts.tasks.password_reset_send``, after commit): the
    page answers in the same time whether the address has an account or not. Looking the
    address up, the SMTP send and the audit row took hundreds of milliseconds more for an
    account, which told anyone timing the page who uses hrdcase."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str):
        return [
            user
            for user in super().get_users(email)
            if user.organisation_id is None or user.organisation.is_active
        ]

    def save(self, **options) -> None:  # type: ignore[override]
        from django.db import transaction
        from django.utils.translation import get_language

        from accounts.tasks import password_reset_send

        email = self.cleaned_data["email"]
        language = get_language()
        transaction.on_commit(lambda: password_reset_send.delay(email, language))

    def send_now(self) -> None:
        """In the worker: Django's reset e-mail to the address's accounts (``send_mail``)."""
        from django.conf import settings

        super().save(
            # no request in a task: the site's name from its configured address (the link in
            # the e-mail is built on that address too, never on a request's Host)
            domain_override=urlsplit(settings.SITE_URL).netloc or "hrdcase",
            subject_template_name="accounts/password_reset_subject.txt",
            email_template_name="accounts/password_reset_email.txt",
            extra_email_context={"site_url": settings.SITE_URL},
        )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context["user"]
        key = "password-reset:" + hashlib.sha256(str(user.pk).encode()).hexdigest()
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > RESET_EMAILS_PER_HOUR:
            return
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
        audit_record(
            action="auth.password_reset_request",
            actor=user,
            organisation=user.organisation,
            target=user,
        )


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "organisation_inactive": _(
            "Your organisation's access to hrdcase is suspended. Ask your organisation's "
            "administrator or the platform team."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and self._organisation_suspended():
                raise ValidationError(
                    self.error_messages["organisation_inactive"], code="organisation_inactive"
                ) from None
            raise

    def _organisation_suspended(self) -> bool:
        """The backend refuses a member of a deactivated organisation like a wrong password;
        say why, but only to whoever typed the right password (anyone else learns nothing
        about the account)."""
        try:
            user = User.objects.get_by_natural_key(self.cleaned_data.get("username"))
        except User.DoesNotExist:
            return False
        return (
            user.is_active
            and user.organisation is not None
            and not user.organisation.is_active
            and user.check_password(self.cleaned_data.get("password"))
        )


class OTPForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return self.normalise(self.cleaned_data["code"])

    @staticmethod
    def normalise(code: str) -> str:
        code = "".join(code.split()).lower()
        # Recovery codes are shown as xxxxx-xxxxx; accept them typed without the dash.
        if len(code) == 10 and not code.isdigit():
            code = f"{code[:5]}-{code[5:]}"
        return code


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, required=False, validators=[validate_single_line]
    )
    # The least privileged role first and by default: an admin raises it on purpose.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in ROLES_LEAST_PRIVILEGED_FIRST],
        initial=Role.VIEWER,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[(role.value, role.label) for role in ROLES_LEAST_PRIVILEGED_FIRST]
    )


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, required=False, validators=[validate_single_line]
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class TimeZoneSelect(forms.Select):
    """A ``<select>`` of the ~600 zones written in one pass: drawn option by option through
    the widget templates it cost ~40 ms a page."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, SELECTED if str(option_value) == chosen else "", label)
                for option_value, label in self.choices
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)


SELECTED = mark_safe(" selected")


_NOT_A_ZONE = {
    "invalid_choice": _("“%(value)s” is not a time zone. Choose one from the list."),
}


class OrganisationTimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        widget=TimeZoneSelect,
        error_messages=_NOT_A_ZONE,
        help_text=_(
            "Every date and time is shown in it to the members who did not choose their own."
        ),
    )


class UserTimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"), required=False, widget=TimeZoneSelect, error_messages=_NOT_A_ZONE
    )

    def __init__(self, *args, organisation_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        field.choices = [
            ("", _("The organisation's: %(zone)s") % {"zone": organisation_zone}),
            *time_zone_choices(),
        ]
        field.help_text = _("Dates and times are shown in this zone wherever you sign in.")
