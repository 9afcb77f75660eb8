"""The RPŚ register: who sees which regions, every filter, the sort, and the exports – their
content, Polish letters, escaping of formulas, streaming, and the log."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from assistants.models import Assignment, Request
from cases import services
from cases.models import FlagKind, Visit
from cases.procedure import CloseReason, Stage
from mopr.models import AccessLog
from mopr.tests.factories import PASSWORD, CaseFactory, ContractFactory, MemberFactory, VisitFactory
from registers import columns, exports

URL = reverse("registers:register")


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def cases(org, p):
    now = timezone.now()
    a = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=now, stage=Stage.PRACA_SOCJALNA,
                    number="RPŚ-1/2026/0001", reported_at=now - datetime.timedelta(days=40),
                    social_work_started_at=timezone.localdate())  # fmt: skip
    head = a.client.members.get()
    head.first_name, head.last_name = "Łucja", "Żółkiewska"
    head.save()
    services.client_refresh_search(client=a.client)
    services.flag_add(case=a, by=p.worker_a, kind=FlagKind.NIEBIESKA_KARTA, started_on=timezone.localdate(),
                      started_by="Policja")  # fmt: skip
    ContractFactory(case=a, signed_on=timezone.localdate())
    req = Request.objects.create(case=a, path="court", status="ordered", requested_by=p.worker_a,
                                 requested_on=timezone.localdate(), justification="x")  # fmt: skip
    Assignment.objects.create(case=a, request=req, assistant=p.assistant_a, assigned_by=p.director_a,
                              qualified_on=timezone.localdate())  # fmt: skip
    b = CaseFactory(region=org.region_a1, worker=p.worker_a_2, accepted_at=now, stage=Stage.ZAKONCZENIE,
                    number="RPŚ-1/2026/0002", close_reason=CloseReason.REFUSAL, closed_at=now,
                    reported_at=now - datetime.timedelta(days=10))  # fmt: skip
    MemberFactory(client=b.client, is_head=False, relation="child", in_foster_care=True)
    c = CaseFactory(region=org.region_a2, worker=p.worker_a2, accepted_at=now, stage=Stage.MONITORING,
                    number="RPŚ-2/2026/0001", reported_at=now - datetime.timedelta(days=5))  # fmt: skip
    services.flag_add(case=c, by=p.worker_a2, kind=FlagKind.CHILD_ABUSE, started_on=timezone.localdate(),
                      started_by="Szkoła")  # fmt: skip
    d = CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=now, stage=Stage.ROZEZNANIE,
                    number="RPŚ-1/2026/0003", reported_at=now - datetime.timedelta(days=2))  # fmt: skip
    VisitFactory(case=d, outcome=Visit.Outcome.CHILD_ABSENT, visited_at=now - datetime.timedelta(days=30))
    CaseFactory(region=org.region_b1, number="RPŚ-1/2026/0001")  # another institution, same number
    return {"a": a, "b": b, "c": c, "d": d}


def numbers(response) -> list[str]:
    import re

    return re.findall(r"RPŚ-\d/2026/\d{4}", response.content.decode().split("<tbody>")[1])


@pytest.mark.parametrize(
    ("username", "status", "seen"),
    [
        ("coordinator_a", 200, {"RPŚ-1/2026/0001", "RPŚ-1/2026/0002", "RPŚ-1/2026/0003"}),
        ("director_a", 200, {"RPŚ-1/2026/0001", "RPŚ-1/2026/0002", "RPŚ-1/2026/0003", "RPŚ-2/2026/0001"}),
        ("auditor_a", 200, {"RPŚ-1/2026/0001", "RPŚ-1/2026/0002", "RPŚ-1/2026/0003", "RPŚ-2/2026/0001"}),
        ("head_a", 200, {"RPŚ-1/2026/0001", "RPŚ-1/2026/0002", "RPŚ-1/2026/0003", "RPŚ-2/2026/0001"}),
        ("coordinator_b", 200, {"RPŚ-1/2026/0001"}),  # their own institution's case of that number
        ("worker_a", 403, None),
        ("first_contact_a", 403, None),
        ("assistant_a", 403, None),
    ],
)
def test_who_sees_which_regions(client, cases, username, status, seen):
    response = login(client, username).get(URL)
    assert response.status_code == status
    if seen is not None:
        assert set(numbers(response)) == seen


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "region_a1"}, {"a", "b", "d"}),
        ({"worker": "worker_a_2"}, {"b"}),
        ({"stage": "monitoring"}, {"c"}),
        ({"status": "otwarte"}, {"a", "c", "d"}),
        ({"status": "zakonczone"}, {"b"}),
        ({"has_assistant": "tak"}, {"a"}),
        ({"has_assistant": "nie"}, {"b", "c", "d"}),
        ({"niebieska_karta": "tak"}, {"a"}),
        ({"child_abuse": "tak"}, {"c"}),
        ({"foster_care": "tak"}, {"b"}),
        ({"monitoring": "tak"}, {"c"}),
        ({"resigned": "tak"}, {"b", "c"}),
        ({"overdue": "tak"}, {"d"}),
        ({"overdue": "nie"}, {"a", "b", "c"}),
        ({"q": "zolkiewska"}, {"a"}),
        ({"reported_from": "offset:-15"}, {"b", "c", "d"}),
        ({"reported_to": "offset:-15"}, {"a"}),
        ({"closed_from": "offset:0"}, {"b"}),
        ({"contract_from": "offset:0"}, {"a"}),
        ({"social_work_from": "offset:0", "social_work_to": "offset:0"}, {"a"}),
    ],
)
def test_every_filter(client, cases, org, p, params, expected):
    today = timezone.localdate()
    query = {}
    for key, value in params.items():
        if value.startswith("offset:"):
            value = (today + datetime.timedelta(days=int(value.split(":")[1]))).isoformat()
        elif key == "region":
            value = getattr(org, value).pk
        elif key == "worker":
            value = getattr(p, value).pk
        query[key] = value
    response = login(client, "director_a").get(URL, query)
    assert set(numbers(response)) == {cases[k].number for k in expected}


def test_the_date_filters_take_the_local_day(client, org, p):
    """Reported 30 minutes after local midnight – the day before in UTC – is of that local day;
    the filters compare the day's bounds (an index answers), not the date of the UTC timestamp."""
    day = timezone.localdate() - datetime.timedelta(days=3)
    just_after = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 30)))
    just_before = just_after - datetime.timedelta(hours=1)  # 23:30 of the day before
    inside = CaseFactory(region=org.region_a1, reported_at=just_after, number="RPŚ-1/2026/0100")
    before = CaseFactory(region=org.region_a1, reported_at=just_before, number="RPŚ-1/2026/0101")
    login(client, "director_a")
    the_day = {"reported_from": day.isoformat(), "reported_to": day.isoformat()}
    assert set(numbers(client.get(URL, the_day))) == {inside.number}
    day_before = (day - datetime.timedelta(days=1)).isoformat()
    assert set(numbers(client.get(URL, {"reported_from": day_before, "reported_to": day_before}))) == {before.number}
    # The ends of the calendar filter nothing away and never fail.
    everything = {"reported_from": "0001-01-01", "reported_to": "9999-12-31", "closed_to": "9999-12-31"}
    assert {inside.number, before.number} <= set(numbers(client.get(URL, everything)))
    assert numbers(client.get(URL, {"reported_from": "9999-12-31"})) == []


def test_sort(client, cases):
    response = login(client, "director_a").get(URL, {"sort": "-zgloszenie"})
    assert numbers(response) == ["RPŚ-1/2026/0003", "RPŚ-2/2026/0001", "RPŚ-1/2026/0002", "RPŚ-1/2026/0001"]


def test_bad_filter_values_never_fail(client, cases):
    login(client, "director_a")
    for params in ({"region": "abc"}, {"reported_from": "31.02.2026"}, {"sort": "; DROP TABLE"}, {"strona": "x"}):
        assert client.get(URL, params).status_code == 200


def test_csv_export_content_and_log(client, cases):
    response = login(client, "coordinator_a").get(
        reverse("registers:register_export", args=["csv"]), {"status": "otwarte"}
    )
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == exports.header(columns.chosen(None))
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == {"RPŚ-1/2026/0001", "RPŚ-1/2026/0003"}
    a = dict(zip(rows[0], by_number["RPŚ-1/2026/0001"], strict=True))
    assert (
        a["Klient"] == "Rodzina Łucja Żółkiewska" and a["Asystent rodziny"] == "tak" and a["Niebieska Karta"] == "tak"
    )
    assert a["Kontrakt socjalny"] == timezone.localdate().strftime("%d.%m.%Y")
    assert dict(zip(rows[0], by_number["RPŚ-1/2026/0003"], strict=True))["Terminy przekroczone"] == "tak"
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert "CSV" in log.what and "otwarte" in log.what


@pytest.mark.parametrize(
    "value, safe",
    [
        ("Jan,=1+1", "Jan,'=1+1"),  # a spreadsheet splitting on commas would see "=1+1" (issue 14.8)
        ("Jan, =1+1", "Jan, '=1+1"),
        ("a\t+1", "a\t'+1"),
        ("x|@SUM(A1)", "x|'@SUM(A1)"),
        ("Nowak;-2+3", "Nowak;'-2+3"),
        (" =1+1", "' =1+1"),
        ("Kowalska-Nowak, ul. Szeroka 5", "Kowalska-Nowak, ul. Szeroka 5"),  # nothing to neutralise
    ],
)
def test_a_formula_after_any_common_separator_is_text(value, safe):
    assert exports.safe_cell(value) == safe


def test_every_csv_field_is_quoted_so_a_comma_never_splits_a_cell(client, cases):
    import csv

    head = cases["a"].client.members.get()
    head.last_name = "Jan,=1+1"
    head.save()
    login(client, "director_a")
    text = b"".join(client.get(reverse("registers:register_export", args=["csv"])).streaming_content).decode()
    line = next(row for row in text.splitlines() if "Jan," in row)
    assert "Jan,'=1+1" in line and line.startswith('"')
    for separator in (",", ";"):  # read as a spreadsheet set to either separator would read it
        cells = next(csv.reader([line], delimiter=separator))
        assert not any(c.lstrip().startswith(("=", "+", "-", "@")) for c in cells), (separator, cells)


def test_formulas_are_written_as_text(client, cases, p):
    head = cases["a"].client.members.get()
    head.first_name, head.last_name = '=HYPERLINK("http://x")', "+1-2"
    head.save()
    cases["a"].client.street = "@SUM(A1)"
    cases["a"].client.save()
    assert (
        exports.safe_cell("=1+1") == "'=1+1" and exports.safe_cell("-5") == "'-5" and exports.safe_cell("a=b") == "a=b"
    )
    login(client, "director_a")
    text = b"".join(client.get(reverse("registers:register_export", args=["csv"])).streaming_content).decode()
    assert "'Rodzina =HYPERLINK" not in text  # the display name starts with "Rodzina", so it is safe as it is
    assert "'@SUM(A1)" in text
    from openpyxl import load_workbook

    response = client.get(reverse("registers:register_export", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    values = [c for row in sheet.iter_rows() for c in row]
    street = next(c for c in values if c.value and str(c.value).startswith("@SUM"))
    assert street.data_type == "s"  # text, never a formula
    assert all(c.data_type != "f" for c in values)


def test_xlsx_has_polish_letters(client, cases):
    from openpyxl import load_workbook

    response = login(client, "director_a").get(reverse("registers:register_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == exports.header(columns.chosen(None))
    assert any("Żółkiewska" in (v or "") for r in rows for v in r)


def test_pdf_export_and_its_limit(client, cases, settings, monkeypatch, tmp_path):
    import subprocess

    login(client, "director_a")
    response = client.get(reverse("registers:register_export", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Rejestr osób i rodzin" in text and "RPŚ-2/2026/0001" in text and "Żółkiewska" in text
    monkeypatch.setattr(exports, "PDF_MAX_ROWS", 2)
    assert client.get(reverse("registers:register_export", args=["pdf"])).status_code == 413


def test_a_refused_or_failed_pdf_exports_nothing_and_says_why(client, cases, monkeypatch):
    """Issue 16.10: the export row is written only for a PDF that exists; each refusal names its limit."""
    from mopr import pdf
    from mopr.models import AccessLog

    login(client, "director_a")
    exported = AccessLog.objects.filter(action=AccessLog.Action.EXPORT)
    before = exported.count()
    monkeypatch.setattr(exports, "PDF_MAX_ROWS", 2)
    refused = client.get(reverse("registers:register_export", args=["pdf"])).content.decode()
    assert "Za dużo wierszy" in refused and "PDF obejmuje do 2" in refused
    monkeypatch.setattr(exports, "PDF_MAX_ROWS", 1000)

    def too_slow(*args, **kwargs):
        raise pdf.RenderTimeout("render took longer than 30 s")

    monkeypatch.setattr(pdf, "render_pdf", too_slow)
    response = client.get(reverse("registers:register_export", args=["pdf"]))
    body = response.content.decode()
    assert response.status_code == 503 and "trwał zbyt długo" in body and "obejmuje do" not in body
    assert exported.count() == before


def test_export_streams_without_holding_rows(cases, p):
    """The rows are produced chunk by chunk from the database cursor."""
    from registers import selectors

    produced = selectors.iterate_rows(selectors.register_cases(user=p.director_a), chunk=2)
    first = next(produced)
    assert first.number and hasattr(first, "overdue")
    assert len(list(produced)) == 3


def test_register_page_has_a_fixed_number_of_queries(client, org, p, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "director_a")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now())
    few = count()
    for _ in range(8):
        CaseFactory(region=org.region_a1, worker=p.worker_a, accepted_at=timezone.now())
    assert count() == few


def test_the_export_log_names_the_filters_in_words(client, cases, org):
    login(client, "director_a").get(
        reverse("registers:register_export", args=["csv"]),
        {"stage": "praca_socjalna", "status": "zakonczone", "reported_from": "2026-11-01", "region": org.region_a1.pk},
    )
    what = AccessLog.objects.get(action=AccessLog.Action.EXPORT).what
    assert "Etap: IV. Praca socjalna" in what and "Sprawy: zakończone" in what
    assert "Zgłoszenie od: 01.11.2026" in what and "Rejon: RPŚ-1" in what
