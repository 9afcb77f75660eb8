"""The kinds of entry of ``contracts``: the contract's life (drafted, signed, evaluated, amended,
ended: the dates the karta's footnote asks for) and the Oświadczenie (the registry:
``cases/timeline.py``)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.corrections import Correctable, register_correctable
from cases.timeline import EntryKind, Link, Printout, Query, Scrub, Section, TimelineItem, d, register, rows
from contracts.models import Action, Amendment, Contract, Declaration, Evaluation, Goal, GoalAssessment, Resource
from mopr.errors import DomainError


def _scrub_snapshot(amendment: Amendment, marker: str) -> bool:
    """An amendment's copy of the earlier contract: the same shape, the texts removed."""

    def text(value):
        return marker if value else ""

    previous = amendment.previous or {}
    scrubbed = dict(previous)
    for key in ("main_goal", "problems", "resources", "limitations"):
        if key in scrubbed:
            scrubbed[key] = text(scrubbed[key])
    scrubbed["goals"] = [{**g, "text": text(g.get("text"))} for g in previous.get("goals", [])]
    scrubbed["actions"] = [
        {**a, "description": text(a.get("description")), "responsible": text(a.get("responsible"))}
        for a in previous.get("actions", [])
    ]
    scrubbed["resources_used"] = [marker for _r in previous.get("resources_used", [])]
    amendment.previous = scrubbed
    return True


def _contracts(q: Query):
    """Never limited: a contract makes up to three items of three dates; few contracts. ``loaded``:
    the contracts already read with their evaluations and amendments (``contracts_of``)."""
    case = q.case
    recorded: dict[tuple[int, str], datetime.datetime] = {}
    for pk, status, at in (
        Contract.history.filter(case_id=case.pk, status__in=["signed", "ended"])
        .order_by("history_date")
        .values_list("id", "status", "history_date")
    ):
        recorded.setdefault((pk, status), at)
    contracts = q.loaded.get("contract")
    if contracts is None:
        contracts = Contract.objects.filter(case=case).select_related("author", "worker").order_by()
        evaluations = Evaluation.objects.filter(contract__case=case).select_related("author", "contract").order_by()
        amendments = Amendment.objects.filter(contract__case=case).select_related("author", "contract").order_by()
    else:
        evaluations = [e for c in contracts for e in c.evaluations.all()]
        amendments = [a for c in contracts for a in c.amendments.all()]
    ends = []
    for c in sorted(contracts, key=lambda row: row.pk):
        label = _("Kontrakt socjalny nr %(n)s") % {"n": c.number}
        pdf = (Link(_("Kontrakt (PDF)"), reverse("contracts:pdf", args=[case.pk, c.pk])),)
        yield TimelineItem(
            c.drafted_on, "contract", _("%(c)s: sporządzenie") % {"c": label}, c.main_goal, c.author, c, links=pdf
        )
        if c.signed_on:
            yield TimelineItem(
                c.signed_on, "contract", _("%(c)s: podpisanie") % {"c": label},
                _("Okres: %(a)s – %(b)s.") % {"a": d(c.period_from), "b": d(c.period_to)}, c.worker, c,
                recorded.get((c.pk, "signed")), conclusion=True,
            )  # fmt: skip
        if c.ended_on:
            text = f"{c.get_end_display()}. {c.end_reason}"
            if c.welfare_threatened:
                text += " " + _("Zagrożone dobro osoby lub dziecka.")
            ended = _("%(c)s: zakończenie") % {"c": label}
            recorded_at = recorded.get((c.pk, "ended"))
            ends.append(TimelineItem(c.ended_on, "contract", ended, text, c.worker, c, recorded_at, conclusion=True))
    for e in sorted(evaluations, key=lambda row: row.pk):
        yield TimelineItem(
            e.evaluated_on, "contract", _("Ewaluacja kontraktu nr %(n)s") % {"n": e.contract.number}, e.summary,
            e.author, e,
        )  # fmt: skip
    for a in sorted(amendments, key=lambda row: row.pk):
        yield TimelineItem(
            a.amended_on, "contract", _("Aneks do kontraktu nr %(n)s") % {"n": a.contract.number}, a.reason,
            a.author, a,
        )  # fmt: skip
    yield from ends


def _declarations(q: Query):
    found = q.loaded.get("declaration")
    if found is not None:
        found = sorted(found, key=lambda row: row.pk)
    else:
        found = rows(Declaration.objects.filter(case=q.case).select_related("author"), "signed_on", q.newest)
    for dec in found:
        yield TimelineItem(
            dec.signed_on, "declaration", _("Oświadczenie (Załącznik 2): %(n)s") % {"n": dec.full_name},
            _("Nie zamierza obecnie podejmować starań w celu reintegracji rodziny."), dec.author, dec,
            links=(Link(_("Oświadczenie (PDF)"), reverse("contracts:declaration_pdf", args=[q.case.pk, dec.pk])),),
        )  # fmt: skip


def _contract_printouts(case, user):
    """The client's copy of each contract, as ``contracts.views.contract_pdf`` prints it."""
    from contracts.selectors import contracts_of

    for c in contracts_of(case=case):
        title = _("Kontrakt socjalny nr %(n)s") % {"n": c.number}
        on = c.signed_on or c.drafted_on
        yield Printout(
            title, f"kontrakt_socjalny_nr_{c.number}", on, "printouts/contract.html", {"contract": c, "case": case}
        )


def _declaration_printouts(case, user):
    for dec in Declaration.objects.filter(case=case).order_by("signed_on", "pk"):
        yield Printout(_("Oświadczenie"), "oswiadczenie", dec.signed_on, "printouts/declaration.html",
                       {"declaration": dec, "case": case})  # fmt: skip


register(
    EntryKind(
        "contract", gettext_lazy("Kontrakt socjalny"), Section.ACTIONS, _contracts,
        parents=(("contract", Contract, "case"), ("evaluation", Evaluation, "contract")),
        scrubs=(
            Scrub(Contract, "case", text=("problems", "resources", "limitations", "main_goal", "late_reason",
                                          "end_reason", "unemployment_causes", "employment_barriers",
                                          "previous_activation"), clear=("client_id_document", "referral")),
            Scrub(Goal, "contract", text=("text",)),
            Scrub(Action, "contract", text=("description", "responsible")),
            Scrub(Resource, "contract", text=("description",)),
            Scrub(Evaluation, "contract", text=("summary",)),
            Scrub(GoalAssessment, "evaluation", text=("comment",)),
            Scrub(Amendment, "contract", text=("reason",), extra=_scrub_snapshot),
        ),
        facts={"contracts.Contract": ("case_id",), "contracts.Action": ("contract", "case_id")},
        printouts=_contract_printouts,
    ),
    EntryKind(
        "declaration", gettext_lazy("Oświadczenia"), Section.ACTIONS, _declarations,
        scrubs=(Scrub(Declaration, "case", text=("full_name",), clear=("address", "email", "phone", "id_card",
                                                                      "place")),),
        printouts=_declaration_printouts,
    ),
)  # fmt: skip


# --- corrections (issue 16.1) ---------------------------------------------------------------------------


def _contract_check(contract: Contract, case) -> None:
    today = timezone.localdate()
    if contract.signed_on and not (contract.drafted_on <= contract.signed_on <= today):
        raise DomainError(
            _("Data podpisania nie może być przed sporządzeniem kontraktu ani z przyszłości."), field="signed_on"
        )
    if contract.period_from < contract.drafted_on:
        raise DomainError(_("Okres obowiązywania nie zaczyna się przed sporządzeniem kontraktu."), field="drafted_on")


def _register_correctables() -> None:
    from contracts.forms import ContractCorrectionForm

    # Ended by its own act, never withdrawn: the end and its reason are part of the record.
    register_correctable(
        Correctable("kontrakt", Contract, ContractCorrectionForm, withdrawable=False, check=_contract_check)
    )


_register_correctables()
