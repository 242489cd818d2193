from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.timezones import time_zone_choices
from hrdcase.text import validate_single_line


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
        code = "".join(self.cleaned_data["code"].split()).lower()
        # Recovery codes are shown as xxxxx-xxxxx; accept them typed without the dash.
        if len(code) == 10 and not code.isdigit():
            code = f"{code[:5]}-{code[5:]}"
        return code


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, required=False, validators=[validate_single_line]
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OFFICER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


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
