"""Account pages: login with a second factor, enrolment, profile, the organisation's users."""

from __future__ import annotations

import hashlib

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts import services, twofactor
from accounts.forms import (
    AcceptInvitationForm,
    InviteForm,
    LoginForm,
    OrganisationTimeZoneForm,
    OTPForm,
    PasswordChangeForm,
    ResetPasswordForm,
    ResetRequestForm,
    RoleForm,
    UserTimeZoneForm,
)
from accounts.models import AccountStatus, Invitation, User
from accounts.selectors import users_visible_to
from accounts.timezones import effective_time_zone_name
from hrdcase.audit import audit_request, client_ip
from hrdcase.forms import add_service_errors
from hrdcase.redirects import redirect_back, safe_next
from hrdcase.tenancy import get_object_for


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("accounts:login")


def _second_factor_passed(request: HttpRequest, device: Device) -> None:
    """Mark the session verified under a new key. The key the password step issued was
    exposed before the second factor (a fixated or sniffed cookie): it must not become a
    fully signed-in session. Django's login() rotates the key and the CSRF token for the
    same reason; this is the second half of the login."""
    otp_login(request, device)
    request.session.cycle_key()
    rotate_token(request)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of the login: a TOTP or recovery code."""
    if request.user.is_verified():
        return redirect_back(request, reverse("home"))
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            _second_factor_passed(request, device)
            audit_request(request, action="2fa.verify", data={"device": type(device).__name__})
            return redirect_back(request, reverse("home"))
        audit_request(request, action="2fa.failed")
        form.add_error("code", _("This code is not valid. Check your device's clock, or wait."))
    return render(request, "accounts/verify.html", {"form": form, "next": safe_next(request, "")})


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code rendered here, never by a third party."""
    if twofactor.has_totp(request.user) and not request.user.is_verified():
        return redirect("accounts:verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = services.totp_start(user=request.user)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            _second_factor_passed(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": safe_next(request, reverse("home"))},
            )
        form.add_error("code", _("This code does not match. Scan the QR code again and retry."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)
    secret = _base32_secret(device)
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": safe_next(request, "")},
    )


def _base32_secret(device: TOTPDevice) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _time_zone_form(request: HttpRequest, data=None) -> UserTimeZoneForm:
    user = request.user
    organisation = user.organisation
    return UserTimeZoneForm(
        data,
        initial={"time_zone": user.time_zone},
        organisation_zone=organisation.time_zone if organisation else settings.TIME_ZONE,
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    new_token = None
    codes = None
    time_zone_form = _time_zone_form(request)
    if request.method == "POST" and request.POST.get("action") == "time_zone":
        time_zone_form = _time_zone_form(request, request.POST)
        if time_zone_form.is_valid():
            try:
                services.user_set_time_zone(
                    user=user, time_zone=time_zone_form.cleaned_data["time_zone"]
                )
            except ValidationError as error:
                add_service_errors(time_zone_form, error)
            else:
                messages.success(
                    request,
                    _("Dates and times are now shown in %(zone)s.")
                    % {"zone": effective_time_zone_name(user)},
                )
                return redirect("accounts:profile")
    elif request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "token_create":
                if not user.is_verified():
                    raise ValidationError(
                        _("Set up two-factor authentication before creating API tokens.")
                    )
                _instance, new_token = services.token_create(user=user)
            elif action == "token_revoke":
                if services.token_revoke(user=user, token_key=request.POST.get("token", "")):
                    messages.success(request, _("The token is revoked."))
            elif action == "sessions_end_others":
                services.sessions_end_others(request=request)
                messages.success(request, _("Your other sessions are logged out."))
            elif action == "recovery_codes" and user.is_verified():
                codes = services.recovery_codes_regenerate(user=user)
            elif action == "two_factor_disable" and user.is_verified():
                services.two_factor_disable(user=user)
                messages.success(request, _("Two-factor authentication is off."))
            else:
                return HttpResponse(status=400)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        if new_token is None and codes is None:
            return redirect("accounts:profile")
    context = {
        "tokens": AuthToken.objects.filter(user=user).order_by("-created"),
        "new_token": new_token,
        "codes": codes,
        "has_totp": twofactor.has_totp(user),
        "time_zone_form": time_zone_form,
        "time_zone": effective_time_zone_name(user),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered on the profile of a logged-in user."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=request.POST.get("language", ""))
    return response


def _invitation_revoked(request: HttpRequest) -> HttpResponse:
    # 410: the link was real and has been withdrawn; whoever holds it knew that much.
    return render(request, "accounts/invitation_invalid.html", {"revoked": True}, status=410)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is not None and invitation.status == Invitation.Status.REVOKED:
        return _invitation_revoked(request)
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(
        request.POST or None, initial={"full_name": invitation.user.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "revoked":
                return _invitation_revoked(request)
            form.add_error("password1", error)
        else:
            messages.success(request, _("Your account is ready. Log in to continue."))
            return redirect("accounts:login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def _require_org_admin(request: HttpRequest) -> None:
    if not request.user.is_org_admin:
        raise PermissionDenied


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """The organisation's members; its admins invite new ones here."""
    _require_org_admin(request)
    form = InviteForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            _user, link = services.user_invite(
                organisation=request.user.organisation,
                acting_user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            form = InviteForm()
    members = users_visible_to(request.user)
    return render(request, "accounts/users.html", {"members": members, "form": form, "link": link})


@login_required
def user_edit(request: HttpRequest, pk) -> HttpResponse:
    """Change a member's role, deactivate or reactivate them (admins of the same organisation)."""
    member: User = get_object_for(request.user, users_visible_to(request.user), pk)
    _require_org_admin(request)
    form = RoleForm(request.POST or None, initial={"role": member.role})
    if request.method == "POST":
        action = request.POST.get("action", "role")
        try:
            if action == "deactivate":
                invited = member.account_status == AccountStatus.INVITED
                services.user_deactivate(user=member, acting_user=request.user)
                if invited:
                    done = _("The invitation of %(user)s is cancelled: its link no longer works.")
                else:
                    done = _("%(user)s is deactivated.")
                messages.success(request, done % {"user": member})
                return redirect("accounts:users")
            if action == "reactivate":
                services.user_reactivate(user=member, acting_user=request.user)
                messages.success(request, _("%(user)s is active again.") % {"user": member})
                return redirect("accounts:users")
            if form.is_valid():
                services.user_change_role(
                    user=member, role=form.cleaned_data["role"], acting_user=request.user
                )
                messages.success(request, _("Role changed."))
                return redirect("accounts:users")
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
    return render(request, "accounts/user_edit.html", {"member": member, "form": form})


@login_required
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """The organisation's settings (its admins): the time zone its dates are shown in."""
    _require_org_admin(request)
    organisation = request.user.organisation
    form = OrganisationTimeZoneForm(
        request.POST or None, initial={"time_zone": organisation.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_set_time_zone(
                organisation=organisation,
                time_zone=form.cleaned_data["time_zone"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The organisation's time zone is now %(zone)s.")
                % {"zone": organisation.time_zone},
            )
            return redirect("accounts:organisation")
    return render(
        request,
        "accounts/organisation.html",
        {"organisation": organisation, "form": form},
    )


# --- Passwords -------------------------------------------------------------------------------


def _current_password_right(request: HttpRequest, form: PasswordChangeForm) -> bool:
    """Through ``authenticate``, like the login: axes counts a wrong password and refuses a
    locked-out account, so the form cannot be used to guess the password."""
    user = request.user
    found = authenticate(request, username=user.email, password=form.cleaned_data["old_password"])
    if found is not None and found.pk == user.pk:
        return True
    if getattr(request, "axes_locked_out", False):
        form.add_error(
            None,
            _("Too many failed attempts: this account is locked for a while. Try again later."),
        )
    else:
        form.add_error("old_password", _("This is not your current password."))
    return False


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's password: the current one, the second factor, the new one twice. Every
    session (this one too) and every API token ends; the user signs in again."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid() and _current_password_right(request, form):
        if match_token(request.user, form.cleaned_data["code"]) is None:
            audit_request(request, action="2fa.failed", data={"during": "password_change"})
            form.add_error("code", _("This code is not valid. Check your device's clock, or wait."))
        else:
            try:
                services.password_change(
                    user=request.user, new_password=form.cleaned_data["new_password1"]
                )
            except ValidationError as error:
                form.add_error("new_password1", error)
            else:
                logout(request)
                messages.success(
                    request,
                    _(
                        "Your password is changed and every session and API token is ended. "
                        "Sign in with the new password."
                    ),
                )
                return redirect("accounts:login")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


#: reset requests answered per client address and hour (beyond: the same page, nothing sent).
RESET_REQUESTS_PER_IP = 20


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail. The page says the same whether or not the address has
    an account (nothing learnt about who uses hrdcase)."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    # The e-mail (its link built on the configured site address, never on the request's
    # Host) is made and sent by a task: ResetRequestForm.save.

    def form_valid(self, form):
        # At most RESET_REQUESTS_PER_IP an hour from one address; the page is the same.
        key = "password-reset-ip:" + hashlib.sha256(client_ip(self.request).encode()).hexdigest()
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > RESET_REQUESTS_PER_IP:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page: a new password, twice. The service ends every session and token;
    the next login still asks for the second factor."""

    form_class = ResetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
