"""Reads of contracts. The case behind them is always fetched through the access policy."""

from django.db.models import Prefetch, QuerySet

from contracts.models import Action, Contract, Declaration, Evaluation, Goal


def cases_with_signed_contract(*, case_ids: list[int]) -> set[int]:
    """Cases with a contract that has been signed (in force or ended since)."""
    from cases.deadlines import of_cases

    signed = Contract.objects.filter(of_cases("case_id", case_ids), signed_on__isnull=False)
    return set(signed.values_list("case_id", flat=True))


def contracts_in_force_follow_up(*, case_ids: list[int]) -> dict:
    """For each case with a contract in force: (its period's end, the earliest deadline of an
    action still "w realizacji") – the deadline engine's facts, in one query."""
    from django.db.models import Min, Q

    from cases.deadlines import of_cases

    rows = (
        Contract.objects.filter(of_cases("case_id", case_ids), status=Contract.Status.SIGNED)
        .annotate(first_open=Min("actions__deadline", filter=Q(actions__status=Action.Status.OPEN)))
        .values_list("case_id", "period_to", "first_open")
    )
    return {case_id: (period_to, first_open) for case_id, period_to, first_open in rows}


def contracts_of(*, case) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(case=case)
        .select_related("worker", "client_member", "author")
        .prefetch_related(
            "covered_members",
            "resources_used",
            Prefetch("goals", queryset=Goal.objects.order_by("order", "pk")),
            Prefetch("actions", queryset=Action.objects.select_related("goal").order_by("deadline", "pk")),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.select_related("author").prefetch_related(
                    "goal_assessments__goal", "action_assessments__action"
                ),
            ),
            "amendments__author",
        )
        .order_by("number")
    )


def current_contract(*, case) -> Contract | None:
    """The contract in preparation or in force, if any."""
    return contracts_of(case=case).exclude(status=Contract.Status.ENDED).first()


def declarations_of(*, case) -> QuerySet[Declaration]:
    return Declaration.objects.filter(case=case).select_related("author", "parent")
