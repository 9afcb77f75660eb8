"""Views of the time accounting (seed 004): the week grid, a worker's month, the team's month,
the caseload against the norms. Thin: who sees what is decided in mopr/policy.py (time accounting)
(on top of mopr/policy.py), every write is registers.services.time.time_record."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mopr import policy
from mopr.errors import DomainError
from mopr.models import User
from registers import selectors_time as sel
from registers.forms_time import RegionFilterForm, WeekChoiceForm, WeekForm, cell_name, day_label
from registers.services.time import time_record


def _month_links(month: datetime.date) -> dict:
    first, following = sel.month_bounds(month)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    this_month = timezone.localdate().replace(day=1)
    return {"month": first, "previous": previous, "next": following if following <= this_month else None}


def _target_worker(request) -> User:
    """Whose week: the signed-in worker, or (?pracownik=) a worker a coordinator corrects."""
    raw = request.GET.get("pracownik", "")
    if not raw or raw == str(request.user.pk):
        if not policy.user_records_time(request.user):
            raise PermissionDenied(
                _("Czas pracy rejestrują pracownicy socjalni, pracownicy ds. świadczeń i koordynatorzy.")
            )
        return request.user
    # An id in ASCII digits ("²".isdigit() is true), not longer than the database's (int() refuses 4300 digits).
    if not (raw.isascii() and raw.isdigit() and len(raw) < 20) or request.user.institution_id is None:
        raise Http404
    worker = get_object_or_404(User, pk=int(raw), institution_id=request.user.institution_id)
    if not policy.time_may_record(request.user, worker):
        raise PermissionDenied(
            _("Czas pracy innej osoby może poprawić tylko koordynator rejonu, w którym ta osoba pracuje.")
        )
    return worker


@require_http_methods(["GET", "POST"])
def time_week(request):
    """The week grid: a row per day, a cell per category A–I; days in the future are not offered."""
    worker = _target_worker(request)
    today = timezone.localdate()
    chooser = WeekChoiceForm(request.GET if "tydzien" in request.GET else None, initial={"tydzien": today})
    shown = chooser.cleaned_data["tydzien"] if chooser.is_bound and chooser.is_valid() else today
    monday = shown - datetime.timedelta(days=shown.weekday())
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    editable = {d for d in days if d <= today}
    saved = sel.hours_by_day(worker=worker, first=days[0], last=days[-1])
    form = WeekForm(request.POST or None, days=days, editable=editable, saved=saved)

    if request.method == "POST" and form.is_valid():
        refused = False
        with transaction.atomic():
            for day in filter(form.submitted, form.editable):
                try:
                    time_record(worker=worker, day=day, hours_by_category=form.hours_of(day), by=request.user)
                except DomainError as error:
                    refused = True
                    if error.field and error.field != "day" and cell_name(day, error.field) in form.fields:
                        form.add_error(cell_name(day, error.field), error.message)
                    else:
                        form.add_day_error(day, error.message)
            if refused:
                transaction.set_rollback(True)  # all of the week or nothing
        if not refused:
            messages.success(request, _("Zapisano czas pracy."))
            return redirect(request.get_full_path())

    rows = []
    for day in days:
        cells = [form[cell_name(day, c)] for c in sel.CATEGORIES] if day in editable else []
        rows.append(
            {
                "day": day,
                "label": day_label(day),
                "cells": cells,
                "total": sel.hours_text(sum(saved.get(day, {}).values(), sel.ZERO)),
                "errors": form.day_errors.get(day, []),
            }
        )
    query = request.GET.copy()
    query.pop("tydzien", None)
    prefix = f"?{query.urlencode()}&" if query else "?"
    next_monday = monday + datetime.timedelta(days=7)
    context = {
        "worker": worker,
        "own": worker.pk == request.user.pk,
        "form": form,
        "chooser": chooser,
        "rows": rows,
        "categories": [(c.value, sel.category_description(c)) for c in sel.CATEGORIES],
        "monday": monday,
        "sunday": days[-1],
        "week_total": sel.hours_text(sum((sum(d.values(), sel.ZERO) for d in saved.values()), sel.ZERO)),
        "previous_url": f"{prefix}tydzien={(monday - datetime.timedelta(days=7)):%Y-%m-%d}",
        "next_url": f"{prefix}tydzien={next_monday:%Y-%m-%d}" if next_monday <= today else None,
        "month": today.replace(day=1),
        "team": policy.user_sees_team_time(request.user),
    }
    return render(request, "registers/time_week.html", context)


@require_GET
def time_worker_month(request, user_id: int, month: datetime.date):
    """A worker's month: hours and percent per category, as in the seed's tables, and the days."""
    if request.user.institution_id is None:
        raise Http404
    worker = get_object_or_404(User, pk=user_id, institution_id=request.user.institution_id)
    if not policy.time_may_view(request.user, worker):
        raise PermissionDenied(
            _("Czas pracy widzi sam pracownik, koordynator jego rejonu, kierownik, dyrektor i kontroler.")
        )
    summary = sel.month_summary_for_worker(worker=worker, month=month)
    first, following = sel.month_bounds(month)
    days = sel.hours_by_day(worker=worker, first=first, last=following - datetime.timedelta(days=1))
    day_rows = [
        {
            "day": day,
            "label": day_label(day),
            "cells": [sel.hours_text(hours.get(c.value, sel.ZERO)) if c.value in hours else "" for c in sel.CATEGORIES],
            "total": sel.hours_text(sum(hours.values(), sel.ZERO)),
        }
        for day, hours in sorted(days.items())
    ]
    context = {
        "worker": worker,
        "summary": summary,
        "day_rows": day_rows,
        "categories": [c.value for c in sel.CATEGORIES],
        "may_record": policy.time_may_record(request.user, worker),
        "own": worker.pk == request.user.pk,
        **_month_links(month),
    }
    return render(request, "registers/time_worker_month.html", context)


def _team_from_filter(request):
    """The user's team scope narrowed by ?rejon=; (scope, form, team or None when the filter is bad)."""
    scope = policy.time_scope(request.user)
    if scope is None or scope.user_id is not None:
        return scope, None, scope
    regions = policy.regions_for_time(request.user)
    form = RegionFilterForm(
        request.GET if "rejon" in request.GET else None, regions=regions, whole_institution=scope.region_ids is None
    )
    if form.is_bound and not form.is_valid():
        return scope, form, None
    region = form.cleaned_data.get("rejon") if form.is_bound else None
    return scope, form, policy.narrowed(scope, region)


@require_GET
def time_team_month(request, month: datetime.date):
    """The team's month: the seed's table for the team and a row per person."""
    if not policy.user_sees_team_time(request.user):
        raise PermissionDenied(_("Zestawienie zespołu widzi koordynator rejonu, kierownik, dyrektor i kontroler."))
    _scope, form, team = _team_from_filter(request)
    regions = list(form.fields["rejon"].queryset)
    summary = sel.month_summary_for_team(team=team, month=month) if team is not None else None
    context = {
        "form": form,
        "summary": summary,
        "team_label": sel.team_label(team, regions) if team is not None else "",
        "categories": [(c.value, sel.category_description(c)) for c in sel.CATEGORIES],
        "query": f"?{request.GET.urlencode()}" if request.GET else "",
        **_month_links(month),
    }
    return render(request, "registers/time_team_month.html", context)


@require_GET
def time_caseload(request):
    """Open cases (families) per worker against the institution's norm for their role."""
    scope, form, team = _team_from_filter(request)
    if scope is None:
        raise PermissionDenied(
            _("Obciążenie widzą pracownicy (własne), koordynator rejonu, kierownik, dyrektor i kontroler.")
        )
    regions = list(form.fields["rejon"].queryset) if form is not None else []
    rows = sel.caseload(team=team) if team is not None else None
    institution = request.user.institution
    context = {
        "form": form,
        "rows": rows,
        "over": sum(1 for r in rows if r.over_norm) if rows else 0,
        "team_label": sel.team_label(team, regions) if team is not None else "",
        "norm_social": institution.caseload_norm_social_worker,
        "norm_benefits": institution.caseload_norm_benefits_worker,
        "month": timezone.localdate().replace(day=1),
    }
    return render(request, "registers/time_caseload.html", context)
