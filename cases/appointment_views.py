"""Appointments with the family (issue 17.8): plan, move, cancel – from the case page. Thin: the
policy decides who (the case's worker or their substitute: ``Action.WRITE``), the services write."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.forms import AppointmentCancelForm, AppointmentForm, AppointmentMoveForm, SummonsCancelForm
from cases.models import Appointment, Summons
from cases.services.appointments import appointment_cancel, appointment_move, appointment_plan
from cases.services.entries import summons_cancel as summons_cancel_service
from cases.views import form_error
from mopr import policy
from mopr.errors import DomainError
from mopr.policy import Action


@require_http_methods(["GET", "POST"])
def appointment_new(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.WRITE)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = appointment_plan(case=case, by=request.user, appointment=form.save(commit=False))
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Umówiono: %(what)s – jest na stronie Terminy.") % {"what": _describe(appointment)},
            )
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/appointment_form.html", {"case": case, "form": form, "title": _("Umów spotkanie")})


def _describe(appointment: Appointment) -> str:
    return f"{appointment.get_kind_display()}, {timezone.localtime(appointment.at):%d.%m.%Y %H:%M}"


@require_http_methods(["GET", "POST"])
def appointment_change(request, pk: int, appointment_pk: int, moving: bool):
    """A new day or hour (``moving``), or the appointment cancelled."""
    case = policy.case_get_for(request.user, pk, Action.WRITE)
    appointment = get_object_or_404(Appointment, pk=appointment_pk, case=case, cancelled_at__isnull=True)
    form_class = AppointmentMoveForm if moving else AppointmentCancelForm
    form = form_class(request.POST or None, initial={"version": appointment.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if moving:
                appointment_move(
                    appointment=appointment, by=request.user, at=data["at"], reason=data["reason"],
                    version=data["version"],
                )  # fmt: skip
            else:
                appointment_cancel(
                    appointment=appointment, by=request.user, reason=data["reason"], version=data["version"]
                )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Przełożono spotkanie.") if moving else _("Odwołano spotkanie."))
            return redirect("cases:detail", pk=case.pk)
    title = _("Przełóż spotkanie") if moving else _("Odwołaj spotkanie")
    context = {
        "case": case, "form": form, "title": title, "appointment": appointment, "describe": _describe(appointment),
    }  # fmt: skip
    return render(request, "cases/appointment_form.html", context)


@require_http_methods(["GET", "POST"])
def summons_cancel(request, pk: int, summons_pk: int):
    """The summoned client cancelled (or the worker did): the appointment leaves Terminy."""
    case = policy.case_get_for(request.user, pk, Action.WRITE)
    summons = get_object_or_404(Summons, pk=summons_pk, case=case, appointment_cancelled_at__isnull=True)
    form = SummonsCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            summons_cancel_service(summons=summons, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Odwołano termin stawiennictwa na wezwanie."))
            return redirect("cases:detail", pk=case.pk)
    describe = _("wezwanie na %(at)s") % {"at": f"{timezone.localtime(summons.appointment_at):%d.%m.%Y %H:%M}"}
    context = {"case": case, "form": form, "title": _("Odwołaj termin wezwania"), "describe": describe}
    return render(request, "cases/appointment_form.html", context)
