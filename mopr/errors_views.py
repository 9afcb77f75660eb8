"""Error pages in Polish, in the application's layout. A refusal says why."""

from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def database_busy(error: BaseException | None) -> bool:
    """A database that is there but cannot answer now: SQLite's write lock held past its timeout,
    a PostgreSQL connection dropped mid-request. Trying again in a moment helps."""
    from django.db import InterfaceError, OperationalError, connection

    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    # SQLite says "no such table" with the same class: that is a fault, not a busy database.
    return connection.vendor != "sqlite" or "locked" in str(error) or "busy" in str(error)


def server_error(request):
    # Rendered without the request context: whatever failed may fail again in a context processor.
    import sys

    from django.conf import settings
    from django.http import HttpResponse
    from django.template import loader

    if database_busy(sys.exc_info()[1]):
        page = loader.get_template("errors/503.html").render()
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "10"
        return response
    # The page says the administrator was told only where someone is (ADMINS receive the report).
    page = loader.get_template("errors/500.html").render({"admins_told": bool(settings.ADMINS)})
    return HttpResponse(page, status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
