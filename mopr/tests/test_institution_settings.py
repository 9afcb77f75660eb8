"""Issue 19.1: the centre's settings page – every per-centre term, changed by the director or the
system administrator, validated at the field, kept in the history and named in the access log; a
Łask-like centre (seed 002: the approver "Kierownik MGOPS", no department head's opinion) set up
through the page, whose documents then carry its title."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from assistants.models import PeriodicAssessment, Request
from cases.procedure import Stage
from cases.tests.test_karta import flat, pages_of
from cases.tests.test_timeline_registry import assisted  # noqa: F401 - the fixture
from mopr.forms import INSTITUTION_SECTIONS
from mopr.models import AccessLog, Institution, Role
from mopr.tests.factories import PASSWORD, CaseFactory, UserFactory

URL = reverse("institution_settings")


def form_data(institution: Institution, **changes) -> dict:
    """What the page's form posts: every field as the browser sends it, with ``changes``."""
    names = [name for _legend, fields in INSTITUTION_SECTIONS for name in fields]
    values = {**model_to_dict(institution, fields=names), **changes}
    data = {"version": institution.version}
    for name, value in values.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)


def test_only_the_director_and_the_system_administrator_open_it(client, org, p, sysadmin):
    for username, status in [("director_a", 200), ("admin_a", 200), ("head_a", 403), ("coordinator_a", 403),
                             ("worker_a", 403), ("auditor_a", 403)]:  # fmt: skip
        login(client, username)
        assert client.get(URL).status_code == status, username
    # The system administrator sets the centre up but reads no case.
    login(client, "admin_a")
    assert client.get(reverse("cases:list")).status_code == 403


def test_a_change_is_saved_with_its_history_and_a_row_in_the_access_log(client, org, p):
    login(client, "director_a")
    inst = org.inst_a
    response = client.post(URL, form_data(inst, repeat_visit_days=10, phone="56 611 22 33"))
    assert response.status_code == 302
    inst.refresh_from_db()
    assert inst.repeat_visit_days == 10 and inst.phone == "56 611 22 33" and inst.version == 2
    latest = inst.history.latest("history_date")
    assert latest.history_user == p.director_a
    log = AccessLog.objects.get(action=AccessLog.Action.SETTINGS)
    assert log.user == p.director_a and "powtórna wizyta" in log.what and "telefon" in log.what
    page = client.get(URL).content.decode()
    assert "Historia zmian ustawień" in page and "56 611 22 33" in page and p.director_a.get_full_name() in page


def test_a_wrong_value_is_said_at_its_field_and_nothing_is_saved(client, org, p):
    login(client, "director_a")
    inst = org.inst_a
    response = client.post(URL, form_data(inst, repeat_visit_days=0, assistant_approver_title="", retention_years=500))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Najmniej 1." in body and "Najwięcej 100." in body and "To pole jest wymagane na wydrukach." in body
    assert "niczego nie zapisano" in body
    inst.refresh_from_db()
    assert inst.repeat_visit_days == 7 and inst.version == 1 and not AccessLog.objects.filter(action="settings")


def test_two_directors_at_once_never_overwrite_each_other(client, org, p):
    other = UserFactory(username="director_a2", institution=org.inst_a, roles=[(Role.DIRECTOR, None)])
    inst = org.inst_a
    stale = form_data(inst, phone="111")
    login(client, other.username)
    assert client.post(URL, form_data(inst, phone="222")).status_code == 302
    login(client, "director_a")
    response = client.post(URL, stale)
    assert response.status_code == 409 and "zmieniono w międzyczasie" in response.content.decode()
    inst.refresh_from_db()
    assert inst.phone == "222"


def test_the_roles_with_a_second_factor_are_chosen_by_name(client, org, p):
    login(client, "director_a")
    inst = org.inst_a
    data = form_data(inst)
    data["otp_required_roles"] = [Role.DIRECTOR, Role.SYSTEM_ADMIN]
    assert client.post(URL, data).status_code == 302
    inst.refresh_from_db()
    assert sorted(inst.otp_required_roles) == sorted([Role.DIRECTOR, Role.SYSTEM_ADMIN])
    data["otp_required_roles"] = ["wizard"]
    assert client.post(URL, data).status_code == 422


def test_a_lask_like_centre_set_up_through_the_page(client, org, p, assisted, tmp_path):  # noqa: F811
    """Seed 002 (MGOPS Łask): the head of the centre approves, there is no department head."""
    login(client, "director_a")
    inst = org.inst_a
    data = form_data(inst, assistant_approver_title="Kierownik MGOPS", assistant_needs_head_opinion=False)
    assert client.post(URL, data).status_code == 302
    inst.refresh_from_db()
    assert inst.assistant_approver_title == "Kierownik MGOPS" and not inst.assistant_needs_head_opinion
    # The periodic assessment is addressed to the approver by the title set on the page.
    assignment = assisted.assistant_assignments.get()
    assessment = PeriodicAssessment.objects.create(assignment=assignment, author=p.assistant_a,
                                                   assessed_on=timezone.localdate(), assessment="Poprawa.")  # fmt: skip
    login(client, "assistant_a")
    pdf = client.get(reverse("assistants:document_pdf", args=[assignment.pk, "ocena", assessment.pk]))
    assert pdf.status_code == 200 and "Kierownik MGOPS" in flat(" ".join(pages_of(pdf.content, tmp_path)))
    # A worker's request goes straight to the approver (no department head's opinion), whose title
    # the decision names.
    case = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now(), stage=Stage.PRACA_SOCJALNA)
    login(client, "worker_a")
    client.post(reverse("assistants:request_new", args=[case.pk, "pracownik"]),
                {"justification": "Potrzeba wsparcia", "consent_on": timezone.localdate().isoformat()})  # fmt: skip
    request = Request.objects.get(case=case)
    assert request.status == Request.Status.APPROVAL
    login(client, "director_a")
    page = client.get(reverse("assistants:request", args=[request.pk])).content.decode()
    assert "Decyzja (Kierownik MGOPS lub osoba upoważniona)" in page


def test_a_centre_from_nothing_with_its_first_administrator(client, db, monkeypatch):
    """manage.py centre_setup: the institution and a system administrator, who must set up the
    second factor first and then opens the settings page."""
    from django.core.management import CommandError, call_command

    args = ["centre_setup", "--name", "Miejsko-Gminny Ośrodek Pomocy Społecznej w Łasku", "--short-name",
            "MGOPS Łask", "--city", "Łask", "--address", "ul. Warszawska 14, 98-100 Łask", "--username", "admin.lask",
            "--first-name", "Jan", "--last-name", "Nowak"]  # fmt: skip
    monkeypatch.setenv("MOPR_ADMIN_PASSWORD", "krótkie")
    with pytest.raises(CommandError):
        call_command(*args)
    assert not Institution.objects.filter(short_name="MGOPS Łask").exists()  # nothing half made
    monkeypatch.setenv("MOPR_ADMIN_PASSWORD", "Łask-ośrodek-2026-wrzesień")
    call_command(*args)
    with pytest.raises(CommandError, match="już istnieje"):
        call_command(*args)
    institution = Institution.objects.get(short_name="MGOPS Łask")
    assert Role.SYSTEM_ADMIN in institution.otp_required_roles
    assert client.login(username="admin.lask", password="Łask-ośrodek-2026-wrzesień")
    assert client.get(URL)["Location"].startswith(reverse("otp_setup"))  # the role requires the second factor
    institution.otp_required_roles = []  # (only to see the page here: what the session knows at login)
    institution.save()
    client.logout()
    assert client.login(username="admin.lask", password="Łask-ośrodek-2026-wrzesień")
    assert client.get(URL).status_code == 200


def test_the_centres_own_problem_areas(client, org, p, sysadmin):
    """Added, refused when the Act's or the centre's already, taken out of use and back; offered to
    the diagnosis while in use; the other centre's never seen."""
    from cases.models import ProblemArea
    from cases.problem_areas import problem_area_choices

    url = reverse("cases:problem_areas")
    login(client, "worker_a")
    assert client.get(url).status_code == 403
    login(client, "admin_a")
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "  Zaburzenia  psychiczne "}).status_code == 302
    area = ProblemArea.objects.get(institution=org.inst_a)
    assert area.name == "Zaburzenia psychiczne" and area.history.latest().history_user == sysadmin
    assert (area.code, area.name) in problem_area_choices(institution_id=org.inst_a.pk)
    for taken in ("Ubostwo", "zaburzenia PSYCHICZNE"):  # the Act's (letters aside) and the centre's own
        response = client.post(url, {"name": taken})
        assert response.status_code == 422 and "już jest na liście" in response.content.decode()
        assert f'value="{taken}"' in response.content.decode()  # what was typed stays
    assert client.post(url, {"area": area.pk, "action": "off"}).status_code == 302
    area.refresh_from_db()
    assert not area.active and (area.code, area.name) not in problem_area_choices(institution_id=org.inst_a.pk)
    assert client.post(url, {"area": area.pk, "action": "on"}).status_code == 302
    other = ProblemArea.objects.create(institution=org.inst_b, code="own-x", name="Inny ośrodek")
    assert client.post(url, {"area": other.pk, "action": "off"}).status_code == 404
    assert "Inny ośrodek" not in client.get(url).content.decode()
