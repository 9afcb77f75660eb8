"""The centre's own problem areas (beside *Ustawienia ośrodka*): the Act's list to read, the centre's
own to add and to take out of use and back. Thin: the policy, one service per action, a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.forms import ProblemAreaForm
from cases.models import ProblemArea
from cases.problem_areas import COMMON
from cases.services.problem_areas import problem_area_add, problem_area_set_active
from mopr import policy
from mopr.errors import DomainError


@require_http_methods(["GET", "POST"])
def problem_areas(request):
    if not policy.user_may_configure_institution(request.user):
        raise PermissionDenied(_("Obszary problemowe ośrodka ustala dyrektor lub administrator systemu."))
    error, typed, status = None, "", 200
    if request.method == "POST":
        typed = request.POST.get("name", "")[:200].replace("\x00", "")
        try:
            if request.POST.get("area"):
                area_id = int(request.POST["area"]) if request.POST["area"].isdigit() else 0
                active = request.POST.get("action") == "on"
                area = problem_area_set_active(by=request.user, area_id=area_id, active=active)
                done = _("W użyciu: %(name)s.") if area.active else _("Wycofano z użycia: %(name)s.")
            else:
                form = ProblemAreaForm(request.POST)
                if not form.is_valid():  # empty, too long, a character no database keeps
                    raise DomainError(" ".join(form.errors["name"]))
                area = problem_area_add(by=request.user, name=form.cleaned_data["name"])
                done = _("Dodano obszar: %(name)s.")
        except ProblemArea.DoesNotExist as missing:
            raise Http404 from missing
        except DomainError as refused:
            error, status = refused.message, 422
        else:
            messages.success(request, done % {"name": area.name})
            return redirect("cases:problem_areas")
    own = ProblemArea.objects.filter(institution_id=request.user.institution_id).order_by("-active", "name")
    context = {"common": COMMON, "own": own, "error": error, "typed": typed}
    return render(request, "cases/problem_areas.html", context, status=status)
