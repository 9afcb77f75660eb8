"""The inbox (Powiadomienia): a user's own notices, opened, marked read, and the digest choice."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbox import selectors, services
from inbox.forms import DigestForm
from inbox.models import Notice


def notice_list(request):
    page = Paginator(selectors.notices_for(user=request.user), settings.PAGE_SIZE).get_page(request.GET.get("strona"))
    form = DigestForm(initial={"email_digest": request.user.email_digest})
    return render(request, "inbox/list.html", {"page": page, "digest_form": form})


def notice_open(request, pk: int):
    """Open a notice: it is read, and the page it points at opens (the policy decides there)."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    if notice.read_at is None:
        services.notices_mark_read(user=request.user, ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("inbox:list")


@require_POST
def notices_read(request):
    n = services.notices_mark_read(user=request.user)
    messages.success(request, _("Oznaczono jako przeczytane: %(n)s.") % {"n": n})
    return redirect("inbox:list")


@require_POST
def digest_choose(request):
    form = DigestForm(request.POST)
    form.is_valid()  # a checkbox: absent is False
    services.digest_choose(user=request.user, wanted=form.cleaned_data.get("email_digest", False))
    if request.user.email_digest and not request.user.email:
        messages.warning(request, _("Twoje konto nie ma adresu e-mail – poproś administratora o jego wpisanie."))
    else:
        messages.success(request, _("Zapisano."))
    return redirect("inbox:list")
