"""Cases the browser tests start from, built through the services at past dates so that
everything done in the browser comes after them in the case's history."""

import datetime

import time_machine
from django.utils import timezone

from cases import services
from cases.models import Case, Client, Relation, ReportForm, TargetGroup, Visit
from cases.procedure import Stage

HEAD_PESEL = "44051401359"


def grandfather_in_diagnoza(org, p, *, report: str, findings: str) -> tuple[Case, Client, datetime.datetime]:
    """A grandfather (with a PESEL) raising his 15-year-old grandson in RPŚ-1. Two weeks ago the
    school phoned worker_a, who runs the case at once; the next day the situation assessment
    started, two days later the worker met the family, and the day after the case went to the
    diagnosis. Returns the case, the client, and when it all began."""
    today = timezone.localdate()
    began = timezone.now() - datetime.timedelta(days=14)
    with time_machine.travel(began, tick=False):
        client = services.client_create(
            institution=org.inst_a,
            by=p.worker_a,
            kind=Client.Kind.FAMILY,
            address=services.AddressData(
                city="Toruń", street="Mostowa", house_number="14", flat_number="6", postal_code="87-100"
            ),
            members=[
                services.MemberData(first_name="Henryk", last_name="Wiśniewski", pesel=HEAD_PESEL),
                services.MemberData(
                    first_name="Kacper",
                    last_name="Wiśniewski",
                    birth_date=today.replace(year=today.year - 15, day=1),
                    relation=Relation.GRANDCHILD,
                ),
            ],
        )
        case = services.report_register(
            by=p.worker_a,
            client=client,
            region=org.region_a1,
            target_group=TargetGroup.FAMILY_WITH_CHILDREN,
            report=services.ReportData(
                received_at=timezone.now() - datetime.timedelta(minutes=30),
                form=ReportForm.PHONE,
                content=report,
                reporter_name="Ewa Zielińska",
                reporter_contact="Szkoła Podstawowa nr 7, tel. 56 600 10 20",
                reporter_relation="pedagog szkolny",
            ),
        ).case
    assert case.worker == p.worker_a and case.accepted_at is not None
    with time_machine.travel(began + datetime.timedelta(days=1), tick=False):
        case = services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=p.worker_a)
    with time_machine.travel(began + datetime.timedelta(days=3), tick=False):
        visit = Visit(
            visited_at=timezone.now() - datetime.timedelta(hours=2),
            outcome=Visit.Outcome.MET,
            participants="Henryk Wiśniewski, Kacper Wiśniewski",
            findings=findings,
        )
        services.visit_record(case=case, by=p.worker_a, visit=visit)
    with time_machine.travel(began + datetime.timedelta(days=4), tick=False):
        case = services.case_change_stage(case=case, to=Stage.DIAGNOZA, by=p.worker_a)
    case.refresh_from_db()
    return case, client, began
