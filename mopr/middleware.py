import time

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _


class NoStoreMiddleware:
    """Pages of a signed-in user carry personal data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


# Session keys written at login by mopr.services.session_start: the start and the last request
# (seconds since the epoch), the two limits (seconds), whether TOTP is needed.
SESSION_STARTED, SESSION_SEEN, SESSION_LIMITS, SESSION_2FA = "mopr_started", "mopr_seen", "mopr_limits", "mopr_2fa"
# The last-seen time is written at most this often, not on every request.
_SEEN_RESOLUTION = 30


def _login_redirect(request):
    target = reverse("login")
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)


class SessionLimitsMiddleware:
    """Ends a session after the institution's idle time and after its absolute lifetime.

    The limits are read from the institution once per session and kept in it, so a page costs
    no extra query; a change of the setting applies from the next login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            if SESSION_LIMITS not in session:
                # A session from before this rule: start counting now.
                from mopr.services import session_start

                session_start(request=request, user=user)
            idle, lifetime = session[SESSION_LIMITS]
            seen, started = session.get(SESSION_SEEN, now), session.get(SESSION_STARTED, now)
            if now - seen > idle or now - started > lifetime:
                kept = None
                if request.method == "POST" and not request.path.startswith(("/logowanie", "/wyloguj")):
                    from mopr.drafts import draft_flag, draft_keep

                    kept = draft_keep(user=user, path=request.path, data=request.POST)
                logout(request)
                if kept is not None:
                    messages.info(
                        request,
                        _(
                            "Sesja wygasła. To, co wpisano w formularzu, zachowano – po zalogowaniu wrócisz do "
                            "niego i wyślesz go ponownie."
                        ),
                    )
                    response = redirect(reverse("login") + "?" + urlencode({"next": request.path}))
                    draft_flag(response)
                    return response
                messages.info(request, _("Sesja wygasła. Zaloguj się ponownie."))
                return _login_redirect(request)
            if now - seen >= _SEEN_RESOLUTION:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """A user whose role requires TOTP (or who turned it on) reaches nothing but the code page
    until the code is given; one who must have it and has none is sent to set it up."""

    # What a session that gave only the password may open. The key set-up page only while the
    # user has no key at all (policy.user_may_set_up_second_factor): otherwise it would let a
    # password replace the second factor.
    _OPEN = ("login", "logout", "otp_verify")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            from mopr import policy

            match = getattr(request, "resolver_match", None)
            if match is None:
                from django.urls import Resolver404, resolve

                try:
                    match = resolve(request.path_info)
                except Resolver404:
                    match = None
            name = match.url_name if match else None
            if name not in self._OPEN and not request.path.startswith("/static/"):
                needed = request.session.get(SESSION_2FA)
                if needed is None:
                    needed = policy.user_needs_second_factor(user)
                    request.session[SESSION_2FA] = needed
                if needed:
                    from django_otp import user_has_device

                    view = "otp_verify" if user_has_device(user, confirmed=True) else "otp_setup"
                    if view == name:
                        return self.get_response(request)
                    target = reverse(view)
                    if request.method == "GET":
                        target += "?" + urlencode({"next": request.get_full_path()})
                    return redirect(target)
        return self.get_response(request)
