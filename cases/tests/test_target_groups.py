"""Issue 18.2: the target group with seed 004's OBOP subcategory and subgroups, and the problem
areas of art. 7 of the Act as data an institution extends."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import services
from cases.forms import DiagnosisForm
from cases.models import Case, Correction, Diagnosis, ProblemArea, Subcategory, Subgroup, TargetGroup
from cases.problem_areas import COMMON, problem_area_choices, problem_area_names
from cases.procedure import Stage
from mopr.errors import DomainError, NotAllowed
from mopr.tests.factories import CaseFactory

# The reasons of art. 7 of the Act on social assistance (points 1–15; point 10 repealed), by basis.
ART_7 = {
    "art. 7 pkt 1": "ubóstwo",
    "art. 7 pkt 2": "sieroctwo",
    "art. 7 pkt 3": "bezdomność",
    "art. 7 pkt 4": "bezrobocie",
    "art. 7 pkt 5": "niepełnosprawność",
    "art. 7 pkt 6": "długotrwała lub ciężka choroba",
    "art. 7 pkt 7": "przemoc domowa",
    "art. 7 pkt 7a": "potrzeba ochrony ofiar handlu ludźmi",
    "art. 7 pkt 8": "potrzeba ochrony macierzyństwa lub wielodzietności",
    "art. 7 pkt 11": "trudności w integracji cudzoziemców",
    "art. 7 pkt 12": "trudności w przystosowaniu do życia po zwolnieniu z zakładu karnego",
    "art. 7 pkt 13": "alkoholizm lub narkomania",
    "art. 7 pkt 14": "zdarzenie losowe i sytuacja kryzysowa",
    "art. 7 pkt 15": "klęska żywiołowa lub ekologiczna",
}


@pytest.fixture
def case(org, p):
    return CaseFactory(
        region=org.region_a1, worker=p.worker_a, stage=Stage.ROZEZNANIE, target_group="unemployed",
        accepted_at=timezone.now(),
    )  # fmt: skip


def test_every_reason_of_art_7_is_a_problem_area(org):
    by_basis = {}
    for _code, name, basis in COMMON:
        by_basis.setdefault(basis, []).append(name)
    for basis, name in ART_7.items():
        assert name in by_basis[basis], basis
    # Point 9 is two areas, as the diagnoses name them.
    assert sorted(by_basis["art. 7 pkt 9"]) == [
        "bezradność w prowadzeniu gospodarstwa domowego",
        "bezradność w sprawach opiekuńczo-wychowawczych",
    ]
    offered = dict(problem_area_choices(institution_id=org.inst_a.pk))
    assert all(name in offered.values() for name in ART_7.values())


def test_an_institution_extends_the_list_for_itself_only(org):
    ProblemArea.objects.create(institution=org.inst_a, code="debts", name="zadłużenie", position=500)
    codes_a = [code for code, _name in problem_area_choices(institution_id=org.inst_a.pk)]
    codes_b = [code for code, _name in problem_area_choices(institution_id=org.inst_b.pk)]
    assert "debts" in codes_a and "debts" not in codes_b
    assert codes_a[0] == "poverty" and "orphanhood" in codes_b
    # One code once per institution (a database constraint).
    with pytest.raises(IntegrityError), transaction.atomic():
        ProblemArea.objects.create(institution=org.inst_a, code="debts", name="długi")


def test_an_area_out_of_use_is_not_offered_but_keeps_its_name(org, case):
    area = ProblemArea.objects.create(institution=org.inst_a, code="debts", name="zadłużenie")
    diagnosis = Diagnosis(case=case, problem_areas=["debts", "poverty"])
    area.active = False
    area.save()
    assert "debts" not in dict(problem_area_choices(institution_id=org.inst_a.pk))
    assert diagnosis.problem_area_labels == ["zadłużenie", "ubóstwo"]
    # A correction of that diagnosis still offers the area it names.
    form = DiagnosisForm(instance=diagnosis, case=case)
    assert "debts" in dict(form.fields["problem_areas"].choices)
    assert "debts" not in dict(DiagnosisForm(case=case).fields["problem_areas"].choices)
    assert problem_area_names(institution_id=org.inst_a.pk, codes=[]) == {}


def test_the_target_group_is_completed_with_obop_subgroups(case, p):
    correction = services.case_target_group_set(
        case=case,
        by=p.worker_a,
        target_group=TargetGroup.UNEMPLOYED,
        subcategory=Subcategory.JOB_SEEKING,
        subgroups=[Subgroup.UNDER_25, Subgroup.AFTER_PRISON, Subgroup.UNDER_25],
    )
    case.refresh_from_db()
    assert case.target_subcategory == "job_seeking"
    assert case.target_subgroups == ["under_25", "after_prison"]
    assert case.target_subgroup_labels == ["osoby do 25 roku życia", "osoby po opuszczeniu zakładu karnego"]
    # The trace: what it was, who, why.
    assert correction.entry_model == "cases.case" and correction.by == p.worker_a
    assert {c["label"]: (c["before"], c["after"]) for c in correction.changes} == {
        "podkategoria": ("—", "osoby poszukujące pracy"),
        "podgrupy": ("—", "osoby do 25 roku życia, osoby po opuszczeniu zakładu karnego"),
    }
    assert case.history.first().history_user == p.worker_a


def test_changing_the_group_needs_a_reason_and_subgroups_belong_to_obop(case, p):
    with pytest.raises(DomainError) as error:
        services.case_target_group_set(case=case, by=p.worker_a, target_group=TargetGroup.ELDERLY)
    assert error.value.field == "reason"
    with pytest.raises(DomainError) as error:
        services.case_target_group_set(
            case=case, by=p.worker_a, target_group=TargetGroup.ELDERLY, subgroups=["over_50"], reason="pomyłka"
        )
    assert error.value.field == "subgroups"
    services.case_target_group_set(case=case, by=p.worker_a, target_group=TargetGroup.ELDERLY, reason="pomyłka")
    case.refresh_from_db()
    assert case.target_group == "elderly" and Correction.objects.get().reason == "pomyłka"
    # Nothing changed: refused, no row.
    with pytest.raises(DomainError):
        services.case_target_group_set(case=case, by=p.worker_a, target_group=TargetGroup.ELDERLY)
    assert Correction.objects.count() == 1


def test_the_database_holds_the_subcategory_to_obop(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(target_group="elderly", target_subcategory="inactive")


def test_only_who_writes_in_the_case_sets_the_group(case, p):
    for user in (p.worker_a2, p.auditor_a, p.outsider):
        with pytest.raises((NotAllowed, DomainError)):
            services.case_target_group_set(case=case, by=user, target_group="unemployed", subcategory="inactive")
    case.refresh_from_db()
    assert case.target_subcategory == ""


def test_the_form_page_saves_and_shows_the_trace(client, case, p):
    client.force_login(p.worker_a)
    url = f"/sprawy/{case.pk}/grupa-docelowa/"
    response = client.post(url, {"target_group": "elderly", "reason": "", "version": case.version})
    assert response.status_code == 200
    assert "Podaj powód zmiany grupy docelowej." in response.content.decode()
    data = {"target_group": "elderly", "reason": "pomyłka przy zgłoszeniu", "version": case.version}
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "pomyłka przy zgłoszeniu" in page and "Osoby pozostające bez pracy → Osoby starsze" in page
