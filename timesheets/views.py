"""Views of the time accounting (seed 004): the week grid, a worker's month, the team's month,
the summary over a range of months (with its CSV and XLSX), the caseload against the norms.
Thin: who sees what is decided in mopr/policy.py (time accounting), every write is
timesheets.services.time_record."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mopr import policy
from mopr.errors import DomainError
from mopr.models import AccessLog, User
from mopr.services import access_log_write
from timesheets import exports
from timesheets import selectors as sel
from timesheets.forms import (
    MonthRangeForm,
    RegionFilterForm,
    WeekChoiceForm,
    WeekForm,
    cell_name,
    day_label,
    standard_name,
)
from timesheets.services import time_record


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
    """The week grid: a row per day, the standard of the day and a cell per category of the
    worker's job (A–I, or the benefits worker's A–Ł); days in the future are not offered."""
    worker = _target_worker(request)
    category_set = sel.category_set_of(worker)
    today = timezone.localdate()
    chooser = WeekChoiceForm(request.GET if "tydzien" in request.GET else None, initial={"tydzien": today})
    shown = chooser.cleaned_data["tydzien"] if chooser.is_bound and chooser.is_valid() else today
    monday = shown - datetime.timedelta(days=shown.weekday())
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    editable = {d for d in days if d <= today}
    everything = sel.hours_by_day(worker=worker, first=days[0], last=days[-1])
    saved = {
        day: {key.partition(":")[2]: h for key, h in hours.items() if key.startswith(f"{category_set}:")}
        for day, hours in everything.items()
    }
    form = WeekForm(
        request.POST or None,
        days=days,
        editable=editable,
        saved=saved,
        category_set=category_set,
        standards=sel.standards_by_day(worker=worker, first=days[0], last=days[-1]),
        default_standard=sel.last_standard(worker=worker),
    )

    if request.method == "POST" and form.is_valid():
        refused = False
        with transaction.atomic():
            for day in filter(form.submitted, form.editable):
                try:
                    time_record(
                        worker=worker,
                        day=day,
                        hours_by_category=form.hours_of(day),
                        by=request.user,
                        category_set=category_set,
                        target_group=form.standard_of(day),
                    )
                except DomainError as error:
                    refused = True
                    if error.field and error.field != "day" and cell_name(day, error.field) in form.fields:
                        form.add_error(cell_name(day, error.field), error.message)
                    elif error.field == "target_group":
                        form.add_error(standard_name(day), error.message)
                    else:
                        form.add_day_error(day, error.message)
            if refused:
                transaction.set_rollback(True)  # all of the week or nothing
        if not refused:
            messages.success(request, _("Zapisano czas pracy."))
            return redirect(request.get_full_path())

    rows = []
    for day in days:
        cells = [form[cell_name(day, c)] for c in form.categories] if day in editable else []
        rows.append(
            {
                "day": day,
                "label": day_label(day),
                "standard": form[standard_name(day)] if day in editable else None,
                "cells": cells,
                "total": sel.hours_text(sum(everything.get(day, {}).values(), sel.ZERO)),
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
        "category_set": category_set,
        "set_label": sel.TimeCategorySet(category_set).label,
        "categories": [(c.value, sel.category_description(c.value, category_set)) for c in form.categories],
        "monday": monday,
        "sunday": days[-1],
        "week_total": sel.hours_text(sum((sum(d.values(), sel.ZERO) for d in everything.values()), sel.ZERO)),
        "previous_url": f"{prefix}tydzien={(monday - datetime.timedelta(days=7)):%Y-%m-%d}",
        "next_url": f"{prefix}tydzien={next_monday:%Y-%m-%d}" if next_monday <= today else None,
        "month": today.replace(day=1),
        "team": policy.user_sees_team_time(request.user),
    }
    return render(request, "timesheets/time_week.html", context)


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
    summaries = sel.month_summaries_for_worker(worker=worker, month=month, own_set=sel.category_set_of(worker))
    first, following = sel.month_bounds(month)
    days = sel.hours_by_day(worker=worker, first=first, last=following - datetime.timedelta(days=1))
    tables = []
    for summary in summaries:
        prefix = f"{summary.category_set}:"
        day_rows = [
            {
                "day": day,
                "label": day_label(day),
                "cells": [sel.hours_text(hours[prefix + c]) if prefix + c in hours else "" for c, _ in summary.letters],
                "total": sel.hours_text(sum((h for k, h in hours.items() if k.startswith(prefix)), sel.ZERO)),
            }
            for day, hours in sorted(days.items())
            if any(k.startswith(prefix) for k in hours)
        ]
        tables.append({"summary": summary, "day_rows": day_rows})
    context = {
        "worker": worker,
        "tables": tables,
        "several": len(tables) > 1,
        "may_record": policy.time_may_record(request.user, worker),
        "own": worker.pk == request.user.pk,
        **_month_links(month),
    }
    return render(request, "timesheets/time_worker_month.html", context)


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
    summary = sel.time_summary(team=team, first=month, last=month) if team is not None else None
    context = {
        "form": form,
        "summary": summary,
        "team_label": sel.team_label(team, regions) if team is not None else "",
        "query": f"?{request.GET.urlencode()}" if request.GET else "",
        **_month_links(month),
    }
    return render(request, "timesheets/time_team_month.html", context)


def _default_range() -> tuple[datetime.date, datetime.date]:
    """Seed 004 reports from October: from the last October to this month."""
    this_month = timezone.localdate().replace(day=1)
    year = this_month.year if this_month.month >= 10 else this_month.year - 1
    october = this_month.replace(year=year, month=10)
    return october, this_month


def _summary_for(request):
    """(scope, region form, month form, team, summary or None) of the summary page and its exports."""
    scope, form, team = _team_from_filter(request)
    if scope is None:
        raise PermissionDenied(
            _("Zestawienie czasu pracy widzą pracownicy (własne), koordynator rejonu, kierownik, dyrektor i kontroler.")
        )
    first, last = _default_range()
    months = MonthRangeForm(
        request.GET if "od" in request.GET or "do" in request.GET else None, initial={"od": first, "do": last}
    )
    if months.is_bound:
        if not months.is_valid():
            return scope, form, months, team, None
        first, last = months.cleaned_data["od"], months.cleaned_data["do"]
    summary = sel.time_summary(team=team, first=first, last=last) if team is not None else None
    return scope, form, months, team, summary


@require_GET
def time_summary(request):
    """The summary over a range of months: per team, per standard and per worker, as seed 004's
    tables (X–VIII), with hours and percent per category."""
    _scope, form, months, team, summary = _summary_for(request)
    regions = list(form.fields["rejon"].queryset) if form is not None else []
    context = {
        "form": form,
        "months": months,
        "summary": summary,
        "team_label": sel.team_label(team, regions) if team is not None else "",
        "query": request.GET.urlencode(),
    }
    status = 200 if months.is_valid() or not months.is_bound else 400
    return render(request, "timesheets/time_summary.html", context, status=status)


@require_GET
def time_summary_export(request, fmt: str):
    """The summary as CSV or XLSX; logged in the access log like every export."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _scope, form, _months, team, summary = _summary_for(request)
    if summary is None:
        return time_summary(request)  # the page says what is wrong with the months or the region
    regions = list(form.fields["rejon"].queryset) if form is not None else []
    label = sel.team_label(team, regions)
    access_log_write(
        user=request.user, action=AccessLog.Action.EXPORT, what=f"Czas pracy {fmt.upper()}: {label}, {summary.label}",
        request=request,
    )  # fmt: skip
    name = f"czas-pracy-{summary.first:%Y-%m}-{summary.last:%Y-%m}"
    if fmt == "csv":
        text = exports.csv_text(summary, team_label=label)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    handle = exports.xlsx_file(summary, team_label=label, title=_("Czas pracy"))
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


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
        "team_pages": policy.user_sees_team_time(request.user),
    }
    return render(request, "timesheets/time_caseload.html", context)
