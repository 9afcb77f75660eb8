"""Logins, failed logins and logouts are written to the access log.

The receivers only call the service; what is written lives in mopr/services.py."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from mopr.models import AccessLog


@receiver(user_logged_in, dispatch_uid="mopr_login_logged")
def _logged_in(sender, request, user, **kwargs):
    from mopr.services import access_log_write, session_start

    session_start(request=request, user=user)
    access_log_write(user=user, action=AccessLog.Action.LOGIN, what="Logowanie", request=request)


@receiver(user_logged_out, dispatch_uid="mopr_logout_logged")
def _logged_out(sender, request, user, **kwargs):
    from mopr.services import access_log_write

    if user is not None:
        access_log_write(user=user, action=AccessLog.Action.LOGOUT, what="Wylogowanie", request=request)


@receiver(user_login_failed, dispatch_uid="mopr_login_failed_logged")
def _login_failed(sender, credentials, request=None, **kwargs):
    from mopr.services import access_log_failed_login

    access_log_failed_login(username=credentials.get("username") or "", request=request)
