"""Views of intake, the coordinator's queue, the case list and the case detail.

Thin: each fetches through the access policy, calls one service, and turns a DomainError into
a message at the field or at the top of the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import deadlines, procedure, selectors, services, timeline
from cases.forms import (
    AssignForm,
    CaseFilter,
    ClientForm,
    ClientSearchForm,
    HeadMemberForm,
    IntakeForm,
    MemberForm,
    MemberFormSet,
    MoveForm,
    TargetGroupForm,
    TransitionForm,
    VerifyForm,
    reveal_confirmation,
)
from cases.models import Client, ClientMember, Correction, Report
from cases.pesel import pesel_birth_date
from cases.procedure import CloseReason, Stage
from mopr import access, conflicts, policy
from mopr import services as services_log
from mopr.errors import DomainError, PersonKnown, PersonNeedsConfirmation, StaleVersionError
from mopr.paging import page_of
from mopr.policy import Action
from mopr.services import access_log_case_view


def form_error(form, error: DomainError) -> None:
    """Put a service's refusal on the form: at the field it names, else at the top."""
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


def _page(request, qs, size: int | None = None):
    return page_of(request, qs, size)


# --- the case list and detail ---------------------------------------------------------------------

# The detail's newest entries: building all was most of its time; the case folder lists them all.
TIMELINE_ON_DETAIL = 10


def case_list(request):
    if not policy.user_may_see_case_list(request.user):
        raise PermissionDenied(_("Ta rola nie ma dostępu do akt spraw."))
    q = request.GET.get("q", "")[:100].replace("\x00", "")  # PostgreSQL refuses NUL in text (a server error)
    qs = selectors.case_list(user=request.user, q=q)
    case_filter = CaseFilter(request.GET or None, queryset=qs, user=request.user)
    cases = case_filter.qs if case_filter.is_bound and case_filter.is_valid() else qs
    params = request.GET.copy()
    params.pop("strona", None)
    page = _page(request, cases)
    deadlines.annotate(page.object_list)  # marks the overdue rows, in a fixed number of queries
    access.shown_many(cases=page.object_list)
    return render(
        request,
        "cases/case_list.html",
        {"filter": case_filter, "page": page, "q": q, "query_string": params.urlencode()},
    )


def case_detail(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.VIEW, selectors.case_with_details(user=request.user, pk=pk))
    access_log_case_view(request=request, case=case, what="Sprawa")
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _detail_context(request, case, **forms):
    user = request.user
    steps = []
    missing_contacts = (
        procedure.mandatory_contacts_missing(case) if case.stage in (Stage.ROZEZNANIE, Stage.DIAGNOZA) else []
    )
    if policy.case_allows(user, case, Action.TRANSITION):
        for target, transition in procedure.next_steps(case):
            ongoing = procedure.ongoing_work(case) if target == Stage.ZAKONCZENIE else ()
            form = forms.get(f"transition_{target.value}") or TransitionForm(
                initial={"target": target.value, "version": case.version}, ongoing=ongoing
            )
            steps.append(
                {
                    "target": target,
                    "transition": transition,
                    "weight": transition.weight.value,
                    "form": form,
                    "closing": target == Stage.ZAKONCZENIE,
                    "close_reasons": [
                        (r, r.label)
                        for r in sorted(procedure.CLOSE_REASONS_BY_STAGE.get(case.stage_enum, ()))
                        if r in procedure.CLOSE_REASONS_OFFERED
                    ],
                    # Going on to the diagnosis without a mandatory contact needs the reason (II.4).
                    "reason_required": transition.needs_reason or (target == Stage.DIAGNOZA and bool(missing_contacts)),
                }
            )
    # One primary action on the page (issue 20.1): the procedure's next step, unless accepting the
    # report or the diagnosis comes first; a final move never is.
    may_accept = policy.case_allows(user, case, Action.ACCEPT)
    primary_elsewhere = may_accept or (case.stage == Stage.DIAGNOZA and policy.case_allows(user, case, Action.WRITE))
    forward = [step for step in steps if step["weight"] == procedure.Weight.FORWARD]
    for step in steps:
        step["primary"] = not primary_elsewhere and bool(forward) and step is forward[0]
    assign_form = move_form = None
    pending_move = case.transfers.filter(kind="move", decided_at__isnull=True).select_related("to_region").first()
    if policy.case_allows(user, case, Action.ASSIGN) and not case.is_closed:
        assign_form = forms.get("assign_form") or AssignForm(
            initial={"version": case.version, "worker": case.worker_id},
            workers=policy.workers_assignable_in(case.region),
        )
        if pending_move is None:
            from cases.transfer_views import move_regions

            move_form = MoveForm(regions=move_regions(case))
    from assistants.services import request_in_progress
    from cases.entry_views import entry_links_for
    from contracts.selectors import contracts_of, declarations_of

    may_write = policy.case_allows(user, case, Action.WRITE)
    contracts = list(contracts_of(case=case))
    reports = list(case.reports.select_related("received_by", "verified_by"))
    declarations = list(declarations_of(case=case))

    return {
        "case": case,
        "deadlines": deadlines.deadlines_for([case])[case.pk],
        "missing_contacts": missing_contacts,
        "entry_links": entry_links_for(case, user),
        "contracts": contracts,
        "may_draft_contract": may_write
        and case.stage == Stage.PRACA_SOCJALNA
        and all(c.status == c.Status.ENDED for c in contracts),
        "declarations": declarations,
        "assistant_requests": case.assistant_requests.select_related("assignment__assistant").order_by("-requested_on"),
        "may_request_assistant": may_write and not case.is_closed and not request_in_progress(case),
        "may_declare": may_write and not case.is_closed and any(m.in_foster_care for m in case.client.members.all()),
        "members": selectors.client_members(client=case.client),
        "reports": reports,
        "timeline": selectors.with_correction_links(
            timeline.case_timeline(
                case=case,
                newest=TIMELINE_ON_DETAIL,
                # Read for the page's own sections anyway: the timeline does not read them again.
                loaded={"report": reports, "contract": contracts, "declaration": declarations},
            ),
            user=user,
            case=case,
        ),
        "timeline_newest": TIMELINE_ON_DETAIL,
        "steps": steps,
        "assign_form": assign_form,
        "move_form": move_form,
        "appointments": list(
            case.appointments.filter(cancelled_at__isnull=True, at__gte=timezone.now()).order_by("at", "pk")
        ),
        "pending_move": pending_move,
        "may_accept": may_accept,
        "final_steps": [step for step in steps if step["weight"] == procedure.Weight.FINAL],
        "may_merge_clients": policy.user_may_merge_clients(user, case.client),
        "may_write": may_write,
        "may_alert": policy.case_allows(user, case, Action.ALERT),
        "acting_for": policy.acting_for(user, case),
        "may_verify": policy.case_allows(user, case, Action.VERIFY),
        "may_export_case_file": policy.user_may_export_case_file(user, case),
    }


@require_POST
def case_transition(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.TRANSITION)
    closing = request.POST.get("target") == Stage.ZAKONCZENIE
    form = TransitionForm(request.POST, ongoing=procedure.ongoing_work(case) if closing else ())
    if form.is_valid():
        target = Stage(form.cleaned_data["target"])
        close_reason = form.cleaned_data.get("close_reason") or None
        transition = procedure.transition_for(case.stage_enum, target)
        final = transition is not None and transition.weight == procedure.Weight.FINAL
        if final and request.POST.get("confirmed") != "1":
            # A final move is asked again, saying what it does – unless the table would refuse it anyway.
            move = procedure.Move(
                case=case, target=target, reason=form.cleaned_data["reason"],
                close_reason=CloseReason(close_reason) if close_reason else None, ends=form.ends(),
            )  # fmt: skip
            why = procedure.refusal(move)
            if why is None:
                return _transition_confirm(request, case, transition, form)
            form.add_error(None, why)
            return _transition_refused(request, case, form)
        try:
            services.case_change_stage(
                case=case,
                to=target,
                by=request.user,
                reason=form.cleaned_data["reason"],
                close_reason=CloseReason(close_reason) if close_reason else None,
                expected_version=form.cleaned_data["version"],
                ends=form.ends(),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Sprawa przeszła do etapu: %(stage)s.") % {"stage": target.label})
            return redirect("cases:detail", pk=case.pk)
    return _transition_refused(request, case, form)


def _transition_confirm(request, case, transition, form):
    """The page that asks again before a final move: what will happen, what was chosen, and the
    same fields sent once more with the confirmation."""
    fields = [(name, value) for name, values in request.POST.lists() if name not in ("csrfmiddlewaretoken", "confirmed")
              for value in values]  # fmt: skip
    close_reason = form.cleaned_data.get("close_reason")
    ends = [(form.fields[name].label, dict(form.fields[name].choices).get(form.cleaned_data[name], ""))
            for name in form.cleaned_data if name.startswith("end_") and form.cleaned_data[name]]  # fmt: skip
    context = {
        "case": case,
        "transition": transition,
        "fields": fields,
        "reason": form.cleaned_data["reason"],
        "close_reason": CloseReason(close_reason).label if close_reason else "",
        "ends": ends,
    }
    return render(request, "cases/transition_confirm.html", context)


def _transition_refused(request, case, form):
    target = request.POST.get("target", "")
    context = _detail_context(request, case, **{f"transition_{target}": form})
    if any(step["target"].value == target for step in context["steps"]):
        # The reason stands at the form the page offers again: said once, where it is mended.
        messages.error(request, _("Nie zmieniono etapu sprawy – powód jest przy formularzu poniżej."))
    else:
        # A move the page offers no form for: the reason has nowhere else to stand.
        reasons = " ".join(form.non_field_errors()) or _("Popraw zaznaczone pola.")
        messages.error(request, _("Nie zmieniono etapu sprawy. %(reasons)s") % {"reasons": reasons})
    return render(request, "cases/case_detail.html", context, status=422)


@require_POST
def case_assign(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.ASSIGN)
    form = AssignForm(request.POST, workers=policy.workers_assignable_in(case.region))
    if form.is_valid():
        try:
            services.case_assign(
                case=case,
                worker=form.cleaned_data["worker"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Sprawę %(number)s przydzielono: %(worker)s.")
                % {"number": case.number, "worker": form.cleaned_data["worker"]},
            )
            if request.POST.get("next") == "queue":
                return redirect("cases:queue")
            return redirect("cases:detail", pk=case.pk)
    messages.error(request, _("Nie przydzielono sprawy %(number)s.") % {"number": case.number})
    case.refresh_from_db()
    return render(request, "cases/case_detail.html", _detail_context(request, case, assign_form=form), status=422)


@require_POST
def case_accept(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.ACCEPT)
    try:
        case = services.case_accept(case=case, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cases:detail", pk=case.pk)
    if request.POST.get("start") != Stage.ROZEZNANIE or case.stage != Stage.ZGLOSZENIE:
        messages.success(request, _("Przyjęto zgłoszenie do realizacji."))
        return redirect("cases:detail", pk=case.pk)
    # One step on the way (issue 17.9): accept and begin finding out the situation at once.
    try:
        services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=request.user, reason="")
    except DomainError as error:
        messages.warning(
            request,
            _("Przyjęto zgłoszenie do realizacji; rozeznania jeszcze nie rozpoczęto: %(reason)s")
            % {"reason": error.message},
        )
    else:
        messages.success(request, _("Przyjęto zgłoszenie do realizacji i rozpoczęto rozeznanie sytuacji."))
    return redirect("cases:detail", pk=case.pk)


@require_http_methods(["GET", "POST"])
def report_verify(request, pk: int, report_pk: int):
    case = policy.case_get_for(request.user, pk, Action.VERIFY)
    report = get_object_or_404(Report, pk=report_pk, case=case)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_verify(report=report, by=request.user, note=form.cleaned_data["note"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano weryfikację zgłoszenia."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/report_verify.html", {"case": case, "report": report, "form": form})


# --- the coordinator's queue ----------------------------------------------------------------------


def queue(request):
    if not policy.regions_coordinated_by(request.user):
        raise PermissionDenied(_("Kolejka zgłoszeń jest dostępna dla koordynatora RPŚ."))
    page = _page(request, selectors.coordinator_queue(user=request.user))
    moves = [
        {"transfer": t, "workers": policy.workers_assignable_in(t.to_region)}
        for t in policy.moves_pending_into(policy.regions_coordinated_by(request.user)).select_related(
            "case__client", "from_region", "to_region", "by"
        )
    ]
    access.shown_many(cases=[m["transfer"].case for m in moves])
    rows = [
        {
            "case": case,
            "form": AssignForm(initial={"version": case.version}, workers=policy.workers_assignable_in(case.region)),
        }
        for case in page
    ]
    return render(request, "cases/queue.html", {"page": page, "rows": rows, "moves": moves})


# --- intake (stage I) -------------------------------------------------------------------------------


def _report_data(cleaned) -> services.ReportData:
    return services.ReportData(
        **{
            k: cleaned[k]
            for k in (
                "received_at",
                "form",
                "content",
                "institution_name",
                "reporter_name",
                "reporter_contact",
                "reporter_relation",
                "reporter_signed",
                "urgent",
            )
        }
    )


def _register(user, client: Client, form: IntakeForm) -> Report:
    """The report of ``form`` for ``client``; the region follows the address (the service decides)."""
    return services.report_register(
        by=user,
        client=client,
        region=form.cleaned_data.get("region"),
        target_group=form.cleaned_data["target_group"],
        report=_report_data(form.cleaned_data),
    )


def _after_intake(request, report: Report):
    case = report.case
    if case.worker_id == request.user.pk:
        messages.success(
            request,
            _("Zarejestrowano zgłoszenie w sprawie %(number)s; sprawa jest przydzielona Tobie.")
            % {"number": case.number},
        )
    elif case.worker_id:
        messages.success(request, _("Zgłoszenie dołączono do prowadzonej sprawy %(number)s.") % {"number": case.number})
    else:
        messages.success(
            request,
            _("Zarejestrowano zgłoszenie %(number)s i przekazano koordynatorowi %(region)s.")
            % {"number": case.number, "region": case.region.code},
        )
    if policy.case_is_visible(request.user, case):
        return redirect("cases:detail", pk=case.pk)
    return redirect("home")


@require_http_methods(["GET", "POST"])
def intake(request):
    """Step 1: look for the client among existing ones (PESEL, name), to avoid duplicates.
    Step 2: the report, for the chosen client or together with a new one."""
    user = request.user
    if not policy.user_may_register_reports(user):
        raise PermissionDenied(_("Ta rola nie przyjmuje zgłoszeń."))
    search = ClientSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    client_id = request.GET.get("klient")
    new_client = request.GET.get("nowy") == "1"

    if client_id:
        offered = frozenset(request.session.get(_INTAKE_OFFERED, []))
        client = policy.intake_client_for(user, client_id, offered=offered)
        open_case = client.cases.filter(stage__in=Stage.open_stages()).select_related("region").first()
        form = IntakeForm(
            request.POST or None, user=user, initial={"region": open_case.region_id if open_case else None}
        )
        if request.method == "POST" and form.is_valid():
            try:
                report = _register(user, client, form)
            except DomainError as error:
                form_error(form, error)
            else:
                return _after_intake(request, report)
        return render(request, "cases/intake_report.html", {"client": client, "open_case": open_case, "form": form})

    if new_client:
        known = None
        client_form = ClientForm(request.POST or None, prefix="client")
        head_form = HeadMemberForm(request.POST or None, prefix="head")
        members = MemberFormSet(request.POST or None, prefix="members")
        form = IntakeForm(request.POST or None, user=user)
        if request.method == "POST" and all(
            [client_form.is_valid(), head_form.is_valid(), members.is_valid(), form.is_valid()]
        ):
            try:
                with transaction.atomic():  # the client and the report are saved together or not at all
                    client = services.client_create(
                        institution=user.institution,
                        by=user,
                        kind=client_form.cleaned_data["kind"],
                        address=services.AddressData(
                            **{
                                k: client_form.cleaned_data[k]
                                for k in (
                                    "city",
                                    "street",
                                    "house_number",
                                    "flat_number",
                                    "postal_code",
                                    "phone",
                                    "email",
                                )
                            }
                        ),
                        members=[_member_data(head_form.cleaned_data)]
                        + [_member_data(m) for m in members.cleaned_data if m and m.get("first_name")],
                    )
                    report = _register(user, client, form)
            except PersonKnown as error:
                known = _person_known_on_form(request, error, [head_form, *_filled(members)])
            except DomainError as error:
                form_error(form, error)
            else:
                return _after_intake(request, report)
        return render(
            request,
            "cases/intake_new.html",
            {"client_form": client_form, "head_form": head_form, "members": members, "form": form, "known": known},
        )

    matches, status = [], 200
    if q and not policy.client_lookups_left(user):
        search.add_error("q", _("Wyczerpano limit wyszukiwań osób na tę godzinę. Spróbuj później."))
        q, status = "", 429
    elif q:
        matches = selectors.client_duplicates(user=user, q=q)
        services_log.access_log_lookup(request=request, query=q, clients=matches)
        # Only a client the search offered may be opened by its number (policy.intake_client_for).
        offered = [c.pk for c in matches] + request.session.get(_INTAKE_OFFERED, [])
        request.session[_INTAKE_OFFERED] = list(dict.fromkeys(offered))[:50]
    return render(request, "cases/intake_search.html", {"search": search, "q": q, "matches": matches}, status=status)


# The clients the user's intake searches offered in this session (the newest 50).
_INTAKE_OFFERED = "mopr_intake_offered"


def _filled(members) -> list:
    """The member rows the intake passes on (the order of ``client_create``'s list after the head)."""
    return [f for f in members.forms if f.cleaned_data and f.cleaned_data.get("first_name")]


def _person_known_on_form(request, error: PersonKnown, person_forms: list) -> Client | None:
    """Put "this person is known" at the person's field and offer their record: the user typed
    what identifies them, as in a search, so the intake may open it (and the look-up is logged)."""
    form = person_forms[min(error.member, len(person_forms) - 1)]
    if isinstance(error, PersonNeedsConfirmation):
        reveal_confirmation(form, error, "other_person")
    else:
        form_error(form, error)
    if error.client_id is None:
        return None
    client = Client.objects.filter(pk=error.client_id, institution_id=request.user.institution_id).first()
    if client is not None:
        offered = [client.pk, *request.session.get(_INTAKE_OFFERED, [])]
        request.session[_INTAKE_OFFERED] = list(dict.fromkeys(offered))[:50]
        data = form.cleaned_data
        query = data.get("pesel") or f"{data.get('first_name', '')} {data.get('last_name', '')}"
        services_log.access_log_lookup(request=request, query=query, clients=[client])
    return client


def _member_data(cleaned) -> services.MemberData:
    return services.MemberData(
        **{
            k: cleaned.get(k) or default
            for k, default in (
                ("first_name", ""),
                ("last_name", ""),
                ("pesel", ""),
                ("birth_date", None),
                ("relation", "other"),
                ("in_foster_care", False),
                ("lives_apart", False),
                ("id_document", ""),
                ("sex", ""),
                ("other_person", False),
            )
        }
    )


# --- the client's data -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def client_edit(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.WRITE)
    client = case.client
    form = ClientForm(request.POST or None, instance=client)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(
                client=client,
                by=request.user,
                kind=form.cleaned_data["kind"],
                address=services.AddressData(
                    **{
                        k: form.cleaned_data[k]
                        for k in ("city", "street", "house_number", "flat_number", "postal_code", "phone", "email")
                    }
                ),
                version=form.cleaned_data["version"],
            )
        except StaleVersionError:
            # The form's instance holds the user's values by now: compare with a fresh read.
            conflict = conflicts.conflict_for(form, Client.objects.get(pk=client.pk), ClientForm.Meta.fields)
        else:
            messages.success(request, _("Zapisano dane klienta."))
            return redirect("cases:detail", pk=case.pk)
    context = {"case": case, "form": form, "conflict": conflict}
    return render(request, "cases/client_edit.html", context, status=409 if conflict else 200)


@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int, member_pk: int | None = None):
    case = policy.case_get_for(request.user, pk, Action.WRITE)
    member = get_object_or_404(ClientMember, pk=member_pk, client=case.client) if member_pk else None
    form = MemberForm(request.POST or None, instance=member)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = _member_data(form.cleaned_data)
        try:
            if member is None:
                services.member_add(client=case.client, by=request.user, data=data)
            else:
                services.member_update(member=member, by=request.user, data=data, version=form.cleaned_data["version"])
        except StaleVersionError:
            current = ClientMember.objects.get(pk=member.pk)
            fields = [f for f in MemberForm.Meta.fields if not (f == "relation" and current.is_head)]
            # The service takes the birth date from the PESEL when one is given; compare that.
            yours = {"birth_date": pesel_birth_date(data.pesel) if data.pesel else data.birth_date}
            conflict = conflicts.conflict_for(form, current, fields, yours=yours)
        except PersonNeedsConfirmation as error:
            reveal_confirmation(form, error, "other_person")
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano dane członka rodziny."))
            return redirect("cases:detail", pk=case.pk)
    context = {"case": case, "member": member, "form": form, "conflict": conflict}
    return render(request, "cases/member_edit.html", context, status=409 if conflict else 200)


@require_http_methods(["GET", "POST"])
def target_group_edit(request, pk: int):
    """The target group and OBOP's subcategory and subgroups, with what they were before."""
    case = policy.case_get_for(request.user, pk, Action.WRITE)
    initial = {
        "target_group": case.target_group,
        "subcategory": case.target_subcategory,
        "subgroups": case.target_subgroups,
        "version": case.version,
    }
    form = TargetGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_target_group_set(
                case=case,
                by=request.user,
                target_group=data["target_group"],
                subcategory=data["subcategory"],
                subgroups=data["subgroups"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Zapisano grupę docelową."))
            return redirect("cases:detail", pk=case.pk)
    changes = Correction.objects.filter(case=case, entry_model="cases.case").select_related("by").order_by("-at")
    return render(request, "cases/target_group_edit.html", {"case": case, "form": form, "changes": changes})
