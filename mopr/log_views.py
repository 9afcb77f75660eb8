"""The access log for the director and the auditor, and a person's report of it (GDPR art. 15)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mopr import pdf, policy, selectors, services
from mopr.errors import DomainError
from mopr.forms import AccessLogFilter, ClientLookupForm
from mopr.models import AccessLog
from mopr.services import access_log_write

REFUSED = _("Dziennik dostępu przeglądają dyrektor i kontroler (audytor).")


def _require_reader(user) -> None:
    if not policy.user_may_read_access_log(user):
        raise PermissionDenied(REFUSED)


def access_log(request):
    _require_reader(request.user)
    form = AccessLogFilter(request.GET or None)
    lookup = ClientLookupForm(request.GET or None)
    query = selectors.AccessLogQuery()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = selectors.AccessLogQuery(
            date_from=data["date_from"],
            date_to=data["date_to"],
            who=data["who"].strip(),
            action=data["action"],
            case_number=data["case_number"].strip(),
            address=data["address"] or "",
        )
        # Reading the log is itself a look at personal data: the readers are logged too.
        described = ", ".join(f"{form.fields[k].label}: {v}" for k, v in data.items() if v)
        if described:
            access_log_write(
                user=request.user, action=AccessLog.Action.SEARCH, what=f"Dziennik: {described}", request=request
            )
    rows = selectors.access_log_search(user=request.user, query=query)
    page = Paginator(rows, settings.PAGE_SIZE * 2).get_page(request.GET.get("strona"))
    clients = []
    if lookup.is_valid() and lookup.cleaned_data["q"]:
        clients = selectors.access_log_clients(user=request.user, q=lookup.cleaned_data["q"])
    querystring = request.GET.copy()
    querystring.pop("strona", None)
    return render(
        request,
        "mopr/access_log.html",
        {"form": form, "lookup": lookup, "page": page, "clients": clients, "querystring": querystring.urlencode()},
    )


def client_access_pdf(request, client_pk: int):
    """Who viewed, printed, downloaded or exported this person's data, and when."""
    _require_reader(request.user)
    client = policy.clients_visible_to(request.user).prefetch_related("members").filter(pk=client_pk).first()
    if client is None:
        raise Http404
    rows = selectors.client_access_report(user=request.user, client=client)
    title = _("Informacja o dostępie do danych osobowych")
    meta = pdf.PrintMeta(title=title, institution=request.user.institution, printed_by=request.user.get_full_name())
    try:
        body = pdf.render_pdf("printouts/access_report.html", {"client": client, "rows": rows}, meta, user=request.user)
    except (pdf.RenderTimeout, pdf.RenderFailed) as error:
        return pdf.print_failed(request, error, title=title)
    access_log_write(
        user=request.user,
        action=AccessLog.Action.PRINT,
        what=f"{title} (art. 15 RODO), klient nr {client.pk}",
        client=client,
        request=request,
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dostep-do-danych-{client.pk}.pdf"'
    return response


# --- login locks -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def lockouts(request):
    """The director sees the failed logins of the institution's accounts and releases a lock."""
    if not policy.user_may_unlock_accounts(request.user):
        raise PermissionDenied(_("Blokady logowania zdejmuje dyrektor ośrodka."))
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        try:
            released = services.account_unlock(by=request.user, username=username, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Odblokowano logowanie konta %(name)s (%(n)s).") % {"name": username, "n": released}
            )
        return redirect("lockouts")
    return render(
        request,
        "mopr/lockouts.html",
        {"rows": selectors.lockouts_for(user=request.user), "limit": settings.AXES_FAILURE_LIMIT},
    )
