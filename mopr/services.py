"""Writes of the organisation's own records: the access log."""

from __future__ import annotations

from mopr.models import AccessLog, User


def client_address(request) -> str | None:
    """The client's address as the server sees it (behind a proxy: set it to pass the real one)."""
    return request.META.get("REMOTE_ADDR") or None


def access_log_write(*, user: User, action: str, what: str, case=None, request=None) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        institution_id=user.institution_id,
        action=action,
        case=case,
        what=what[:300],
        address=client_address(request) if request is not None else None,
    )
