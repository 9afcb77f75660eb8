"""The centre's directory of addressees (courts, police, schools, clinics): the letters take their
addressee from it. Kept by the coordinators and the management; read by everyone who writes letters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mopr import policy, services
from mopr.errors import DomainError, StaleVersionError
from mopr.forms import DirectoryEntryForm

REFUSED = _("Katalog adresatów prowadzą koordynatorzy i kierownictwo ośrodka.")


@require_http_methods(["GET", "POST"])
def directory(request):
    if not policy.user_may_edit_directory(request.user):
        raise PermissionDenied(REFUSED)
    form = DirectoryEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.directory_entry_save(by=request.user, values=values)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Dodano do katalogu: %(name)s.") % {"name": values["name"]})
            return redirect("directory")
    entries = policy.directory_visible_to(request.user).order_by("-active", "kind", "name")
    return render(request, "mopr/directory.html", {"form": form, "entries": entries})


@require_http_methods(["GET", "POST"])
def directory_edit(request, pk: int):
    if not policy.user_may_edit_directory(request.user):
        raise PermissionDenied(REFUSED)
    entry = policy.directory_visible_to(request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    form = DirectoryEntryForm(request.POST or None, instance=entry, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.directory_entry_save(
                by=request.user, values=values, entry=entry, version=form.cleaned_data.get("version")
            )
        except (StaleVersionError, DomainError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Zapisano: %(name)s.") % {"name": values["name"]})
            return redirect("directory")
    return render(request, "mopr/directory_edit.html", {"form": form, "entry": entry})
