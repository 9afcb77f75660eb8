"""The exports read tuples, not Case objects (registers.selectors.iterate_rows, issue 9): every cell
of every row must still be what the Case model itself gives."""

import datetime

from django.utils import timezone

from assistants.models import Assignment, Request
from cases import services
from cases.models import CaseFlag, ClientMember, FlagKind, Visit
from cases.procedure import CloseReason, Stage
from cases.services.deadline_summaries import deadline_summaries_refresh
from mopr.tests.factories import CaseFactory, ContractFactory, MemberFactory, VisitFactory
from registers import columns, exports, selectors


def varied_cases(org, p):
    now = timezone.now()
    a = CaseFactory(
        region=org.region_a1, worker=p.worker_a, accepted_at=now, stage=Stage.PRACA_SOCJALNA,
        reported_at=now - datetime.timedelta(days=40), social_work_started_at=timezone.localdate(),
    )  # fmt: skip
    head = a.client.members.get()
    head.first_name, head.last_name = "Łucja", "=Żółkiewska"
    head.save()
    MemberFactory(client=a.client, is_head=False, relation="child", in_foster_care=True, first_name="Ala")
    services.client_refresh_search(client=a.client)
    CaseFlag.objects.create(case=a, kind=FlagKind.NIEBIESKA_KARTA, started_on=timezone.localdate(),
                            started_by="Policja", created_by=p.worker_a)  # fmt: skip
    ContractFactory(case=a, signed_on=timezone.localdate())
    request = Request.objects.create(case=a, path="court", status="ordered", requested_by=p.worker_a,
                                     requested_on=timezone.localdate(), justification="x")  # fmt: skip
    Assignment.objects.create(case=a, request=request, assistant=p.assistant_a, assigned_by=p.director_a,
                              qualified_on=timezone.localdate() - datetime.timedelta(days=60))  # fmt: skip
    # A person (no "Rodzina"), closed on refusal: resigned.
    b = CaseFactory(
        region=org.region_a1, worker=p.worker_a_2, accepted_at=now, stage=Stage.ZAKONCZENIE,
        close_reason=CloseReason.REFUSAL, closed_at=now, reported_at=now - datetime.timedelta(days=10),
    )  # fmt: skip
    b.client.kind, b.client.flat_number = "person", "4"
    b.client.save()
    # No worker yet; a family whose members have no head: the first by birth date stands for it.
    c = CaseFactory(region=org.region_a2, stage=Stage.ZGLOSZENIE)
    c.client.members.update(is_head=False)
    MemberFactory(client=c.client, is_head=False, birth_date=datetime.date(1970, 1, 1), first_name="Zenon")
    # Monitoring, an overdue repeat visit, the child-abuse flag.
    d = CaseFactory(region=org.region_a2, worker=p.worker_a2, accepted_at=now, stage=Stage.MONITORING)
    VisitFactory(case=d, author=p.worker_a2, outcome=Visit.Outcome.CHILD_ABSENT,
                 visited_at=now - datetime.timedelta(days=30))  # fmt: skip
    CaseFlag.objects.create(case=d, kind=FlagKind.CHILD_ABUSE, started_on=timezone.localdate(), started_by="Szkoła",
                            created_by=p.worker_a2)  # fmt: skip
    # A client whose personal data are gone: no members at all.
    e = CaseFactory(region=org.region_a1, worker=p.worker_a, stage=Stage.ZAKONCZENIE, closed_at=now)
    ClientMember.objects.filter(client=e.client).delete()
    return [a, b, c, d, e]


def test_every_cell_of_an_export_row_is_the_models(org, p):
    varied_cases(org, p)
    qs = selectors.register_cases(user=p.director_a).order_by("number")
    shown = columns.all_columns()  # every column, the chosen-only ones too
    cases = selectors.with_overdue(list(qs))
    columns.prepare(shown, cases)
    expected = [(exports.row(c, shown), exports.raw_row(c, shown)) for c in cases]
    deadline_summaries_refresh(cases=qs)  # as the export view does: the overdue column is stored
    got = [(exports.row(r, shown), exports.raw_row(r, shown)) for r in selectors.iterate_rows(qs, chunk=2)]
    assert got == expected
    assert any(cells[-1] for cells, _raw in got), "an overdue case is among them"
    assert {cells[1] for cells, _raw in got} >= {"Rodzina Łucja =Żółkiewska", "(bez danych osobowych)"}


def test_the_overdue_filter_keeps_the_rows_the_engine_marks(org, p):
    varied_cases(org, p)
    qs = selectors.register_cases(user=p.director_a).order_by("number")
    marked = {c.number: c.overdue for c in selectors.with_overdue(list(qs))}
    assert any(marked.values()) and not all(marked.values())
    deadline_summaries_refresh(cases=qs)
    for want in (True, False):
        kept = selectors.filter_overdue(qs, want=want)
        assert {r.number for r in selectors.iterate_rows(kept)} == {n for n, o in marked.items() if o == want}
