"""Writes of the organisation's own records: the access log."""

from __future__ import annotations

from mopr.models import AccessLog, User


def client_address(request) -> str | None:
    """The client's address as the server sees it (behind a proxy: set it to pass the real one)."""
    return request.META.get("REMOTE_ADDR") or None


def access_log_write(*, user: User, action: str, what: str, case=None, client=None, request=None) -> AccessLog:
    """One row of the append-only access log. A case brings its client, so that the person's
    own report (GDPR art. 15) finds every look at their case."""
    if client is None and case is not None:
        client = case.client_id
    return AccessLog.objects.create(
        user=user,
        username=user.get_username()[:150],
        institution_id=user.institution_id,
        action=action,
        case=case,
        client_id=client if isinstance(client, int) or client is None else client.pk,
        what=what[:300],
        address=client_address(request) if request is not None else None,
    )


def access_log_failed_login(*, username: str, request=None) -> AccessLog:
    user = User.objects.filter(username=username).first() if username else None
    return AccessLog.objects.create(
        user=user,
        username=username[:150],
        institution_id=user.institution_id if user else None,
        action=AccessLog.Action.LOGIN_FAILED,
        what="Nieudane logowanie",
        address=client_address(request) if request is not None else None,
    )


def session_start(*, request, user: User) -> None:
    """At login: note in the session its start, the institution's limits and whether the user
    needs the second factor, so that no page has to ask the database again
    (mopr.middleware reads them)."""
    import time

    from mopr import policy
    from mopr.middleware import SESSION_2FA, SESSION_LIMITS, SESSION_SEEN, SESSION_STARTED

    now = int(time.time())
    inst = user.institution
    session = request.session
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now
    session[SESSION_LIMITS] = [
        (inst.session_idle_minutes if inst else 30) * 60,
        (inst.session_max_hours if inst else 10) * 3600,
    ]
    session[SESSION_2FA] = policy.user_needs_second_factor(user)
