"""Views of the social contract, its evaluations, amendments and end, the Oświadczenie, and the
"moving away" before closure. Thin: policy, one service, a message."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import services as case_services
from cases.selectors import case_with_details
from cases.views import form_error
from contracts import selectors, services
from contracts.forms import (
    ActionChangeFormSet,
    ActionFormSet,
    AmendmentForm,
    ContractForm,
    DeclarationForm,
    EndForm,
    EvaluationForm,
    GoalFormSet,
    MovingAwayForm,
    SignForm,
    more_rows,
    quiet,
)
from contracts.models import Action as ContractAction
from contracts.models import Contract, Declaration, Goal, IdDocument
from mopr import conflicts, pdf, policy
from mopr.errors import DomainError, StaleVersionError
from mopr.policy import Action
from mopr.services import access_log_case_view


def _case(request, pk: int, action: Action = Action.VIEW):
    return policy.case_get_for(request.user, pk, action, case_with_details(user=request.user, pk=pk))


def _contract(case, contract_pk: int) -> Contract:
    return get_object_or_404(selectors.contracts_of(case=case), pk=contract_pk)


def _conflict(form, contract: Contract, values) -> conflicts.Conflict:
    """Someone saved the contract after the form was loaded: what is saved now against what the
    user sent. ``values(fresh)`` maps the form's fields to the values of the contract read anew."""
    fresh = Contract.objects.get(pk=contract.pk)
    current = values(fresh)
    return conflicts.conflict_for(form, fresh, list(current), current=current)


def _statuses(form, contract: Contract) -> dict:
    """The statuses of the goals and actions on the evaluation form, as saved now."""
    goals = {f"goal_{g.pk}": Goal.Status(g.status) for g in contract.goals.all()}
    actions = {f"action_{a.pk}": ContractAction.Status(a.status) for a in contract.actions.all()}
    return {name: value for name, value in (goals | actions).items() if name in form.fields}


def _resources(kinds: list[str], note: str) -> list[tuple[str, str]]:
    """The kinds ticked, and the details once, as the "other" entry (not repeated under each kind)."""
    rows = [(kind, "") for kind in kinds if kind != "other"]
    if note.strip() or "other" in kinds:
        rows.append(("other", note.strip()))
    return rows


def _action_data(rows) -> list[services.ActionData]:
    return [
        services.ActionData(
            side=r["side"], description=r["description"], deadline=r["deadline"], responsible=r["responsible"],
            goal_index=(r["goal_number"] - 1) if r.get("goal_number") else None,
        )
        for r in rows
        if r and r.get("description") and not r.get("DELETE")
    ]  # fmt: skip


@require_http_methods(["GET", "POST"])
def contract_new(request, pk: int):
    case = _case(request, pk, Action.WRITE)
    today = timezone.localdate()
    form = ContractForm(
        request.POST or None,
        case=case,
        initial={"version": case.version, "drafted_on": today, "period_from": today, "kind": Contract.Kind.A,
                 "client_member": case.client.head},
    )  # fmt: skip
    data = request.POST.copy() if request.method == "POST" else None
    adding = data is not None and more_rows(data, "goals", "actions", limits={"goals": 30, "actions": 60})
    if adding:
        form = ContractForm(data, case=case)
    goals = GoalFormSet(data, prefix="goals")
    actions = ActionFormSet(data, prefix="actions")
    if adding:
        quiet(form, goals, actions)
    elif request.method == "POST" and form.is_valid() and goals.is_valid() and actions.is_valid():
        d = form.cleaned_data
        note = d["resources_note"]
        data = services.ContractData(
            kind=d["kind"], client_member=d["client_member"], client_id_document=d["client_id_document"],
            client_id_document_kind=d["client_id_document_kind"] or IdDocument.ID_CARD, referral=d["referral"],
            unemployment_causes=d["unemployment_causes"], employment_barriers=d["employment_barriers"],
            previous_activation=d["previous_activation"],
            covered_members=list(d["covered_members"]), problems=d["problems"], resources=d["resources"],
            limitations=d["limitations"], main_goal=d["main_goal"], period_from=d["period_from"],
            period_to=d["period_to"], drafted_on=d["drafted_on"],
            goals=[g["text"] for g in goals.cleaned_data if g.get("text") and not g.get("DELETE")],
            actions=_action_data(actions.cleaned_data),
            # The kinds ticked, and the details once, as their own entry (not repeated under each kind).
            resources_used=_resources(d["resources_used"], note),
        )  # fmt: skip
        try:
            contract = services.contract_draft(case=case, by=request.user, data=data, expected_version=d["version"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Sporządzono kontrakt socjalny. Podpisz go z klientem."))
            return redirect("contracts:detail", pk=case.pk, contract_pk=contract.pk)
    return render(
        request, "contracts/contract_form.html", {"case": case, "form": form, "goals": goals, "actions": actions}
    )


def contract_detail(request, pk: int, contract_pk: int):
    case = _case(request, pk)
    contract = _contract(case, contract_pk)
    access_log_case_view(request=request, case=case, what="Kontrakt socjalny")
    may_write = policy.case_allows(request.user, case, Action.WRITE)
    context = {
        "case": case,
        "contract": contract,
        "may_write": may_write,
        "deadline": services.contract_deadline(contract),
    }
    if may_write and contract.status == Contract.Status.DRAFT:
        context["sign_form"] = SignForm(initial={"version": contract.version, "signed_on": timezone.localdate()})
    return render(request, "contracts/contract_detail.html", context)


@require_http_methods(["POST"])
def contract_sign(request, pk: int, contract_pk: int):
    case = _case(request, pk, Action.WRITE)
    contract = _contract(case, contract_pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.contract_sign(
                contract=contract, by=request.user, signed_on=form.cleaned_data["signed_on"],
                late_reason=form.cleaned_data["late_reason"], expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Kontrakt podpisany; wydrukuj egzemplarz dla klienta."))
            return redirect("contracts:detail", pk=case.pk, contract_pk=contract.pk)
    messages.error(request, _("Nie podpisano kontraktu. Popraw zaznaczone pola."))
    context = {"case": case, "contract": contract, "may_write": True, "sign_form": form,
               "deadline": services.contract_deadline(contract)}  # fmt: skip
    return render(request, "contracts/contract_detail.html", context, status=422)


@require_http_methods(["GET", "POST"])
def contract_evaluate(request, pk: int, contract_pk: int):
    case = _case(request, pk, Action.WRITE)
    contract = _contract(case, contract_pk)
    form = EvaluationForm(
        request.POST or None,
        contract=contract,
        initial={"version": contract.version, "evaluated_on": timezone.localdate(), "with_client": True},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_evaluate(
                contract=contract, by=request.user, evaluated_on=form.cleaned_data["evaluated_on"],
                summary=form.cleaned_data["summary"], with_client=form.cleaned_data["with_client"],
                goal_statuses=form.goal_statuses(), action_statuses=form.action_statuses(),
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except StaleVersionError:
            # The statuses the user set against those saved meanwhile (an evaluation sets them all).
            conflict = _conflict(form, contract, lambda fresh: _statuses(form, fresh))
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano ewaluację kontraktu."))
            return redirect("contracts:detail", pk=case.pk, contract_pk=contract.pk)
    context = {"case": case, "contract": contract, "form": form, "conflict": conflict}
    return render(request, "contracts/evaluation_form.html", context, status=409 if conflict else 200)


@require_http_methods(["GET", "POST"])
def contract_amend(request, pk: int, contract_pk: int):
    case = _case(request, pk, Action.WRITE)
    contract = _contract(case, contract_pk)
    form = AmendmentForm(
        request.POST or None,
        initial={"version": contract.version, "amended_on": timezone.localdate(), "main_goal": contract.main_goal,
                 "period_to": contract.period_to},
    )  # fmt: skip
    data = request.POST.copy() if request.method == "POST" else None
    adding = data is not None and more_rows(data, "actions", limits={"actions": 60})
    if adding:
        form = AmendmentForm(data)
    actions = ActionFormSet(data, prefix="actions")
    open_actions = [a for a in contract.actions.all() if a.status == ContractAction.Status.OPEN]
    # A form from before the actions in force were listed sends no "current" rows: no changes.
    current = ActionChangeFormSet(
        data if data is None or "current-TOTAL_FORMS" in data else None,
        prefix="current",
        initial=[
            {"action_id": a.pk, "description": a.description, "deadline": a.deadline, "responsible": a.responsible}
            for a in open_actions
        ],
    )
    conflict = None
    if adding:
        quiet(form, actions, current)
    elif request.method == "POST" and all(
        [form.is_valid(), actions.is_valid(), current.is_valid() if current.is_bound else True]
    ):
        d = form.cleaned_data
        changes = [
            services.ActionChange(
                action_id=c["action_id"], description=c["description"], deadline=c["deadline"],
                responsible=c["responsible"], drop=c["drop"],
            )
            for c in (current.cleaned_data if current.is_bound else [])
            if c
        ]  # fmt: skip
        try:
            services.contract_amend(
                contract=contract, by=request.user, amended_on=d["amended_on"], reason=d["reason"],
                main_goal=d["main_goal"], period_to=d["period_to"], new_goals=d["new_goals"].splitlines(),
                new_actions=_action_data(actions.cleaned_data), action_changes=changes,
                expected_version=d["version"],
            )  # fmt: skip
        except StaleVersionError:
            conflict = _conflict(
                form, contract, lambda fresh: {"main_goal": fresh.main_goal, "period_to": fresh.period_to}
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano aneks; poprzednia wersja kontraktu pozostaje do wglądu."))
            return redirect("contracts:detail", pk=case.pk, contract_pk=contract.pk)
    context = {
        "case": case, "contract": contract, "form": form, "actions": actions, "current": current, "conflict": conflict,
    }  # fmt: skip
    return render(request, "contracts/amendment_form.html", context, status=409 if conflict else 200)


@require_http_methods(["GET", "POST"])
def contract_end(request, pk: int, contract_pk: int):
    case = _case(request, pk, Action.WRITE)
    contract = _contract(case, contract_pk)
    form = EndForm(request.POST or None, initial={"version": contract.version, "ended_on": timezone.localdate()})
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ended = services.contract_end(
                contract=contract, by=request.user, end=d["end"], ended_on=d["ended_on"], reason=d["reason"],
                welfare_threatened=d["welfare_threatened"], expected_version=d["version"],
            )  # fmt: skip
        except StaleVersionError:
            conflict = _conflict(form, contract, lambda fresh: {
                "end": fresh.end, "ended_on": fresh.ended_on, "reason": fresh.end_reason,
                "welfare_threatened": fresh.welfare_threatened,
            })  # fmt: skip
        except DomainError as error:
            form_error(form, error)
        else:
            if ended.welfare_threatened:
                messages.warning(
                    request,
                    _("Kontrakt zakończony. Zagrożone dobro osoby lub dziecka: zawiadom Sąd Rodzinny i inne służby."),
                )
                return redirect("cases:entry_add", pk=case.pk, kind="zawiadomienie")
            messages.success(request, _("Kontrakt zakończony."))
            return redirect("cases:detail", pk=case.pk)
    context = {"case": case, "contract": contract, "form": form, "conflict": conflict}
    return render(request, "contracts/end_form.html", context, status=409 if conflict else 200)


def contract_pdf(request, pk: int, contract_pk: int):
    """The client's paper copy of the contract (seed 000 IV.1)."""
    case = _case(request, pk, Action.PRINT)
    contract = _contract(case, contract_pk)
    return _pdf_response(
        request, case, "printouts/contract.html", {"contract": contract, "case": case},
        title=_("Kontrakt socjalny"), filename=f"kontrakt-{case.number}-{contract.number}",
    )  # fmt: skip


# --- the Oświadczenie ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def declaration_new(request, pk: int):
    case = _case(request, pk, Action.WRITE)
    form = DeclarationForm(request.POST or None, case=case, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.declaration_record(case=case, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano oświadczenie; wydrukuj je do podpisu."))
            return redirect("contracts:declaration_pdf", pk=case.pk, declaration_pk=declaration.pk)
    return render(request, "contracts/declaration_form.html", {"case": case, "form": form})


def declaration_pdf(request, pk: int, declaration_pk: int):
    case = _case(request, pk, Action.PRINT)
    declaration = get_object_or_404(Declaration, pk=declaration_pk, case=case)
    return _pdf_response(
        request, case, "printouts/declaration.html", {"declaration": declaration, "case": case},
        title=_("Oświadczenie"), filename=f"oswiadczenie-{case.number}-{declaration.pk}",
    )  # fmt: skip


def _pdf_response(request, case, template: str, context: dict, *, title: str, filename: str):
    return pdf.pdf_response(request, case=case, template=template, context=context, title=title, filename=filename)


# --- moving away before closure ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def moving_away(request, pk: int):
    case = _case(request, pk, Action.WRITE)
    form = MovingAwayForm(request.POST or None, initial={"version": case.version, "since": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            case_services.case_start_moving_away(
                case=case, by=request.user, since=form.cleaned_data["since"], plan=form.cleaned_data["plan"],
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Rozpoczęto okres oddalania się przed zakończeniem pracy socjalnej."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "contracts/moving_away_form.html", {"case": case, "form": form})
