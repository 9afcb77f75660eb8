"""The centre's settings page (issue 19.1): every per-centre term of the procedure, changed by the
director or the system administrator, each change kept in the history and named in the access log.
Thin: the policy, the form, one service, the history read by a selector."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mopr import policy, selectors, services
from mopr.errors import DomainError, StaleVersionError
from mopr.forms import InstitutionSettingsForm


@require_http_methods(["GET", "POST"])
def institution_settings(request):
    if not policy.user_may_configure_institution(request.user):
        raise PermissionDenied(_("Ustawienia ośrodka zmienia dyrektor lub administrator systemu."))
    institution = request.user.institution
    form = InstitutionSettingsForm(request.POST or None, instance=institution, initial={"version": institution.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {name: value for name, value in form.cleaned_data.items() if name != "version"}
            try:
                _saved, changed = services.institution_settings_save(
                    by=request.user, values=values, version=form.cleaned_data["version"], request=request
                )
            except StaleVersionError as error:
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                form.add_error(None, error.message)
                status = 422
            else:
                if changed:
                    saved = _("Zapisano ustawienia ośrodka (zmienionych pól: %(n)s).") % {"n": len(changed)}
                    messages.success(request, saved)
                else:
                    messages.info(request, _("Nic nie zmieniono."))
                return redirect("institution_settings")
        else:
            status = 422
    changes = selectors.institution_changes(institution=institution)
    context = {"form": form, "institution": institution, "changes": changes}
    return render(request, "mopr/institution_settings.html", context, status=status)
