"""Passing a case on (issue 17.2–3): the hand-over of a worker's cases in one step, each
accepted by the new worker, and the move of a case to another RPŚ, accepted or refused by that
region's coordinator. History, the timeline and the karta keep every hand."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import karta, selectors, services, timeline
from cases.models import CaseTransfer
from cases.procedure import Stage
from cases.services.transfer import case_move_accept, case_move_propose, case_move_refuse, cases_hand_over
from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.models import Role
from mopr.policy import Action
from mopr.tests.factories import CaseFactory, UserFactory, force_login_verified
from staffing import selectors as staffing_selectors
from timesheets.selectors import caseload


@pytest.fixture
def held(org, p):
    """Three open cases of worker_a (one closed, which is not handed over)."""
    cases = [
        CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ROZEZNANIE)
        for _ in range(3)
    ]
    CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.ZAKONCZENIE)
    return cases


@pytest.fixture
def coordinator_a2(org):
    return UserFactory(username="coordinator_a2", institution=org.inst_a, roles=[(Role.COORDINATOR, org.region_a2)])


def test_the_coordinator_hands_chosen_cases_over_in_one_step(held, p):
    first_accepted = held[0].accepted_at
    transfers = cases_hand_over(cases=held[:2], to=p.worker_a_2, by=p.coordinator_a, reason="left", note="Na emeryturę")
    assert len(transfers) == 2
    for case in held[:2]:
        case.refresh_from_db()
        assert case.worker == p.worker_a_2 and case.accepted_at is None and case.transferred_by == p.coordinator_a
    held[2].refresh_from_db()
    assert held[2].worker == p.worker_a
    # The new worker accepts each: the date lands on the transfer, the earlier hand stays.
    assert held[0] in selectors.worker_new_reports(user=p.worker_a_2)
    services.case_accept(case=held[0], by=p.worker_a_2)
    transfer = CaseTransfer.objects.get(case=held[0])
    assert transfer.accepted_at is not None and transfer.replaced_accepted_at == first_accepted
    assert transfer.from_worker == p.worker_a and transfer.get_reason_display() == "odejście pracownika"
    assert held[0].history.count() >= 2


def test_a_hand_over_is_all_or_nothing(held, p, org):
    other_region = CaseFactory(region=org.region_a2, worker=p.worker_a2, accepted_at=timezone.now())
    with pytest.raises(NotAllowed):
        cases_hand_over(cases=[*held, other_region], to=p.worker_a_2, by=p.coordinator_a, reason="left")
    assert not CaseTransfer.objects.exists()
    for case in held:
        case.refresh_from_db()
        assert case.worker == p.worker_a


@pytest.mark.parametrize(
    ("to", "message"),
    [("worker_a2", "nie jest pracownikiem socjalnym rejonu"), ("benefits_a", "nie jest pracownikiem"),
     ("worker_a", "już prowadzi")],
)  # fmt: skip
def test_a_wrong_receiver_is_refused(held, p, to, message):
    with pytest.raises(DomainError, match=message):
        cases_hand_over(cases=held, to=getattr(p, to), by=p.coordinator_a, reason="left")
    assert not CaseTransfer.objects.exists()


@pytest.mark.parametrize("who", ["worker_a", "worker_a_2", "director_a", "coordinator_b", "auditor_a"])
def test_only_the_regions_coordinator_hands_over(held, p, who):
    with pytest.raises(NotAllowed):
        cases_hand_over(cases=held, to=p.worker_a_2, by=getattr(p, who), reason="left")


def test_reassigning_on_the_case_page_is_a_recorded_hand_over(held, p):
    case = held[0]
    services.case_assign(case=case, worker=p.worker_a_2, by=p.coordinator_a, expected_version=case.version)
    transfer = CaseTransfer.objects.get(case=case)
    assert (transfer.from_worker, transfer.to_worker, transfer.reason) == (p.worker_a, p.worker_a_2, "other")
    titles = [i.title for i in timeline.case_timeline(case=case) if i.kind == "transfer"]
    assert f"Przekazanie sprawy: {p.worker_a} → {p.worker_a_2}" in titles


def test_the_karta_keeps_the_first_transfer_and_lists_the_later_ones(held, p):
    case = held[0]
    case.transferred_at, case.transferred_by = timezone.now(), p.coordinator_a
    case.save()
    cases_hand_over(cases=[case], to=p.worker_a_2, by=p.coordinator_a, reason="left")
    services.case_accept(case=case, by=p.worker_a_2)
    case.refresh_from_db()
    k = karta.karta_assemble(case=case)
    assert k.first.worker == p.worker_a and k.first.transferred_by == p.coordinator_a
    assert [i.title for i in k.handovers] == [
        f"Przekazanie sprawy: {p.worker_a} → {p.worker_a_2}",
        "Przyjęcie do realizacji",
    ]


def test_a_worker_who_left_is_flagged_and_their_deadlines_reach_the_coordinator(held, p, org):
    p.worker_a.is_active = False
    p.worker_a.save()
    row = next(r for r in caseload(team=org.region_a1) if r.worker == p.worker_a)
    assert row.left_with_cases and row.open_cases == 3
    holders = staffing_selectors.handover_holders(user=p.coordinator_a)
    assert holders[0].worker == p.worker_a and not holders[0].active
    assert set(held) <= set(selectors.open_cases_with_deadlines(user=p.coordinator_a))
    cases_hand_over(cases=held, to=p.worker_a_2, by=p.coordinator_a, reason="left")
    assert p.worker_a not in [h.worker for h in staffing_selectors.handover_holders(user=p.coordinator_a)]


def test_the_hand_over_page(client, held, p):
    force_login_verified(client, p.coordinator_a)
    url = reverse("staffing:handover")
    page = client.get(url, {"pracownik": p.worker_a.pk})
    assert page.status_code == 200
    assert all(case.number in page.content.decode() for case in held)
    refused = client.post(url, {"pracownik": p.worker_a.pk, "cases": [held[0].pk], "to": "", "reason": "left"})
    assert refused.status_code == 200 and refused.context["form"].errors["to"]
    done = client.post(
        url, {"pracownik": p.worker_a.pk, "cases": [c.pk for c in held], "to": p.worker_a_2.pk, "reason": "left"}
    )
    assert done.status_code == 302
    assert CaseTransfer.objects.count() == 3
    assert client.get(url, {"pracownik": p.outsider.pk}).status_code == 404


# --- moving to another region ----------------------------------------------------------------------


def test_a_move_waits_for_the_other_coordinator_then_the_case_is_theirs(held, p, org, coordinator_a2):
    case = held[0]
    move = case_move_propose(case=case, to_region=org.region_a2, by=p.coordinator_a, note="ul. Łódzka 5")
    # Until the decision the case stays with its worker; the other coordinator reads it.
    assert policy.case_allows(p.worker_a, case, Action.WRITE)
    assert policy.case_is_visible(coordinator_a2, case) and case in policy.cases_visible_to(coordinator_a2)
    assert not policy.case_allows(coordinator_a2, case, Action.ASSIGN)
    with pytest.raises(DomainError, match="już czeka"):
        case_move_propose(case=case, to_region=org.region_a2, by=p.coordinator_a, note="jeszcze raz")
    with pytest.raises(NotAllowed):
        case_move_accept(transfer=move, by=p.coordinator_a, worker=p.worker_a2)
    with pytest.raises(DomainError, match="nie jest pracownikiem socjalnym rejonu"):
        case_move_accept(transfer=move, by=coordinator_a2, worker=p.worker_a_2)
    case_move_accept(transfer=move, by=coordinator_a2, worker=p.worker_a2)
    case.refresh_from_db()
    assert (case.region, case.worker, case.accepted_at) == (org.region_a2, p.worker_a2, None)
    assert case.number == held[0].number  # the same case: number, entries, history
    assert not policy.case_allows(p.worker_a, case, Action.WRITE)
    services.case_accept(case=case, by=p.worker_a2)
    move.refresh_from_db()
    assert move.accepted_at is not None and move.decided_by == coordinator_a2
    titles = [i.title for i in timeline.case_timeline(case=case) if i.kind == "transfer"]
    assert "Przeniesienie do rejonu RPŚ-2 (z RPŚ-1)" in titles and "Przyjęcie sprawy do rejonu RPŚ-2" in titles


def test_a_refused_move_leaves_the_case_where_it_was(held, p, org, coordinator_a2):
    case = held[0]
    move = case_move_propose(case=case, to_region=org.region_a2, by=p.coordinator_a, note="ul. Łódzka 5")
    with pytest.raises(DomainError, match="powód"):
        case_move_refuse(transfer=move, by=coordinator_a2, reason=" ")
    case_move_refuse(transfer=move, by=coordinator_a2, reason="Ten adres należy do RPŚ-1")
    case.refresh_from_db()
    assert (case.region, case.worker) == (org.region_a1, p.worker_a)
    assert not policy.case_is_visible(coordinator_a2, case)
    with pytest.raises(DomainError, match="już zdecydowano"):
        case_move_accept(transfer=move, by=coordinator_a2, worker=p.worker_a2)
    # A new proposal is possible after a refusal.
    case_move_propose(case=case, to_region=org.region_a2, by=p.coordinator_a, note="Jednak ul. Łódzka 7")


@pytest.mark.parametrize("who", ["worker_a", "director_a", "coordinator_b"])
def test_only_the_regions_coordinator_proposes_a_move(held, p, org, who):
    with pytest.raises(NotAllowed):
        case_move_propose(case=held[0], to_region=org.region_a2, by=getattr(p, who), note="x")
    assert not CaseTransfer.objects.exists()


def test_the_queue_offers_the_move_and_the_case_page_proposes_it(client, held, p, org, coordinator_a2):
    force_login_verified(client, p.coordinator_a)
    detail = client.get(reverse("cases:detail", args=[held[0].pk])).content.decode()
    assert "Przeniesienie do innego rejonu" in detail
    client.post(reverse("cases:move", args=[held[0].pk]), {"to_region": org.region_a2.pk, "note": "ul. Łódzka 5"})
    move = CaseTransfer.objects.get(kind="move")
    force_login_verified(client, coordinator_a2)
    queue = client.get(reverse("cases:queue")).content.decode()
    assert held[0].number in queue and "ul. Łódzka 5" in queue
    answer = client.post(reverse("cases:move_decide", args=[move.pk]), {"decision": "accept", "worker": p.worker_a2.pk})
    assert answer.status_code == 302
    held[0].refresh_from_db()
    assert held[0].region == org.region_a2


# --- moving out of the centre's area: the documentation to the new centre ----------------------------------


def _moved_out(case, p):
    services.case_close(case=case, by=p.worker_a, reason="moved_out", justification="Rodzina wyjechała do Gdańska.")
    case.refresh_from_db()
    return case


def _transfer(**kw):
    from cases.models import DocumentationTransfer

    values = {"sent_on": timezone.localdate(), "addressee_text": "MOPR w Gdańsku\nul. Leczkowa 1a, 80-432 Gdańsk",
              "new_address": "ul. Długa 5, 80-001 Gdańsk", "enclosures": "Karta Pracy Socjalnej (kopia)"}  # fmt: skip
    values.update(kw)
    return DocumentationTransfer(**values)


def test_the_documentation_goes_to_the_new_centre_with_a_letter(client, held, p, tmp_path):
    from cases.services.entries import documentation_transfer_record
    from cases.tests.test_printouts import save_pngs, text_of

    case = _moved_out(held[0], p)
    draft = selectors.documentation_enclosures(case=case)
    assert draft.splitlines()[0] == "Karta Pracy Socjalnej (kopia)"
    transfer = documentation_transfer_record(
        case=case, by=p.worker_a, transfer=_transfer(enclosures=draft + "\nDiagnoza")
    )
    item = next(i for i in timeline.case_timeline(case=case) if i.kind == "documentation_transfer")
    assert item.title == "Przekazanie dokumentacji do: MOPR w Gdańsku"
    url = reverse("cases:documentation_transfer_pdf", args=[case.pk, transfer.pk])
    assert [link.url for link in item.links] == [url]
    client.force_login(p.worker_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = text_of(content, tmp_path)
    for expected in ("PRZEKAZANIE DOKUMENTACJI PRACY SOCJALNEJ", "MOPR w Gdańsku", "ul. Długa 5, 80-001 Gdańsk",
                     case.number, "1. Karta Pracy Socjalnej (kopia)", "Prosimy o potwierdzenie odbioru"):  # fmt: skip
        assert expected in text, expected
    save_pngs(content, "documentation-transfer")


def test_the_documentation_is_handed_over_only_after_moving_out(held, p):
    from cases.services.entries import documentation_transfer_record

    with pytest.raises(DomainError):
        documentation_transfer_record(case=held[0], by=p.worker_a, transfer=_transfer())  # still open
    services.case_close(case=held[1], by=p.worker_a, reason="other", justification="Inne")
    held[1].refresh_from_db()
    with pytest.raises(DomainError, match="Wyprowadzka"):
        documentation_transfer_record(case=held[1], by=p.worker_a, transfer=_transfer())
    case = _moved_out(held[2], p)
    with pytest.raises(DomainError, match="katalogu adresatów") as refused:
        documentation_transfer_record(case=case, by=p.worker_a, transfer=_transfer(addressee_text=" "))
    assert refused.value.field == "addressee"
    with pytest.raises(NotAllowed):
        documentation_transfer_record(case=case, by=p.worker_a_2, transfer=_transfer())
    from cases.models import DocumentationTransfer

    assert not DocumentationTransfer.objects.exists()


def test_the_closed_case_page_offers_the_letter(client, held, p):
    case = _moved_out(held[0], p)
    client.force_login(p.worker_a)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:documentation_transfer", args=[case.pk]) in page
    form = client.get(reverse("cases:documentation_transfer", args=[case.pk]))
    assert form.status_code == 200 and "Karta Pracy Socjalnej (kopia)" in form.content.decode()
    data = {"sent_on": timezone.localdate().isoformat(), "addressee_text": "MOPS w Łodzi",
            "new_address": "ul. Piotrkowska 1", "enclosures": "Karta"}  # fmt: skip
    answer = client.post(reverse("cases:documentation_transfer", args=[case.pk]), data)
    assert answer.status_code == 302
    assert client.get(reverse("cases:documentation_transfer", args=[held[1].pk])).status_code == 403  # open case


def test_a_move_of_a_case_closed_meanwhile_is_not_accepted(held, p, org, coordinator_a2):
    move = case_move_propose(case=held[0], to_region=org.region_a2, by=p.coordinator_a, note="ul. Łódzka 5")
    services.case_close(case=held[0], by=p.worker_a, reason="moved_out", justification="Wyjechali z miasta.")
    with pytest.raises(DomainError, match="zakończona"):
        case_move_accept(transfer=move, by=coordinator_a2, worker=p.worker_a2)
    held[0].refresh_from_db()
    assert (held[0].region, held[0].worker) == (org.region_a1, p.worker_a)
