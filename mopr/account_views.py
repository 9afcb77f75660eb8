"""The user's own account: password, the second factor (TOTP) at login and its setup."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from mopr import policy, services
from mopr.errors import DomainError
from mopr.forms import ReplaceTokenForm, TokenForm

_SETUP_DEVICE = "mopr_totp_setup"


def _next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    from django.urls import reverse

    return reverse(default)


def account(request):
    user = request.user
    return render(
        request,
        "registration/account.html",
        {
            "has_totp": user_has_device(user, confirmed=True),
            "totp_required": policy.user_role_requires_second_factor(user),
        },
    )


@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        services.password_changed(request=request, user=user)
        messages.success(request, _("Hasło zostało zmienione. Pozostałe sesje tego konta zostały zakończone."))
        return redirect("account")
    return render(request, "registration/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of the login, for whom the policy asks it."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect("otp_setup")
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_verify(request=request, token=form.cleaned_data["token"])
        except DomainError as error:
            form.add_error("token", error.message)
            status = 422
        else:
            return redirect(_next(request))
    elif request.method == "POST":
        status = 422
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request)}, status=status)


def _qr_svg(device: TOTPDevice) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("Kod QR klucza TOTP"))
    # An image for assistive technology; the same key is printed as text beside it.
    return svg.replace("<svg ", '<svg role="img" aria-label="' + _("Kod QR klucza TOTP") + '" ', 1)


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Turning on TOTP: scan the key, prove it with the first code. Whoever has a key already
    comes here only after giving its code at login, and proves it again to replace it."""
    replacing = user_has_device(request.user, confirmed=True)
    if not policy.user_may_set_up_second_factor(request.user, session_verified=request.user.is_verified()):
        from django.urls import reverse
        from django.utils.http import urlencode

        messages.info(request, _("Najpierw podaj kod z aplikacji, którą masz już skonfigurowaną."))
        return redirect(reverse("otp_verify") + "?" + urlencode({"next": reverse("otp_setup")}))
    device = None
    device_pk = request.session.get(_SETUP_DEVICE)
    if device_pk:
        device = TOTPDevice.objects.filter(pk=device_pk, user=request.user, confirmed=False).first()
    if device is None:
        device = services.totp_device_start(user=request.user)
        request.session[_SETUP_DEVICE] = device.pk
    form = (ReplaceTokenForm if replacing else TokenForm)(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(
                request=request,
                device=device,
                token=form.cleaned_data["token"],
                current_token=form.cleaned_data.get("current_token", ""),
            )
        except DomainError as error:
            form.add_error("token", error.message)
            status = 422
        else:
            request.session.pop(_SETUP_DEVICE, None)
            if replacing:
                messages.success(request, _("Nowa aplikacja zastąpiła dotychczasową."))
            else:
                messages.success(request, _("Logowanie dwuskładnikowe jest włączone."))
            return redirect(_next(request, "account"))
    elif request.method == "POST":
        status = 422
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": _qr_svg(device),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": policy.user_role_requires_second_factor(request.user),
        "replacing": replacing,
        "next": _next(request, "account"),
    }
    return render(request, "registration/otp_setup.html", context, status=status)


@require_POST
def otp_disable(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            services.totp_device_remove(request=request, token=form.cleaned_data["token"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Logowanie dwuskładnikowe zostało wyłączone."))
    else:
        messages.error(request, _("Podaj aktualny kod z aplikacji, aby wyłączyć drugi składnik."))
    return redirect("account")
