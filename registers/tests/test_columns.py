"""The register's columns are declared once (issue 18.4): one declaration gives the page, the
exports, the filter and the sort; the user picks the columns; the target group and the problem
areas are columns and filters."""

import csv
import io

import pytest
from django.urls import reverse

from cases import services
from cases.models import Diagnosis, ProblemArea
from mopr.tests.factories import PASSWORD
from registers import columns, exports
from registers.columns import Column
from registers.tests.test_register import cases  # noqa: F401 - the fixture

URL = reverse("registers:register")
CSV = reverse("registers:register_export", args=["csv"])


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def diagnosed(cases, p):  # noqa: F811
    a = cases["a"]
    a.target_group = "unemployed"
    a.target_subcategory = "inactive"
    a.target_subgroups = ["over_50"]
    a.save()
    areas = ["poverty", "after_prison"]
    Diagnosis.objects.create(case=a, author=p.worker_a, diagnosed_on=a.social_work_started_at, facts="x",
                             resources="y", decision="social_work", problem_areas=areas)  # fmt: skip
    return cases


@pytest.fixture
def extra_column():
    """A column as an app would add one: a declaration, nothing else."""
    column = Column(
        "numer_odwrotnie", "Numer wspak", lambda c: c.number[::-1], 175, fields=("number",), order=("-number",),
        filters=(("numer_zawiera", lambda user: __import__("django_filters").CharFilter(
            label="Numer zawiera", field_name="number", lookup_expr="icontains")),),
    )  # fmt: skip
    columns.register(column)
    yield column
    columns._REGISTRY.pop(column.key)


def test_one_declaration_gives_the_page_the_exports_the_filter_and_the_sort(client, cases, p, extra_column):  # noqa: F811
    login(client, p.director_a)
    page = client.get(URL, {"kolumny": ["numer", "numer_odwrotnie"], "numer_zawiera": "2026/0002"}).content.decode()
    assert "Numer wspak" in page and "2000/6202/1-ŚPR" in page and "RPŚ-1/2026/0001" not in page
    rows = csv_rows(client.get(CSV, {"numer_zawiera": "RPŚ-1"}))  # the session keeps the columns chosen
    assert rows[0] == ["Numer sprawy", "Numer wspak"]
    assert [r[0] for r in rows[1:]] == ["RPŚ-1/2026/0001", "RPŚ-1/2026/0002", "RPŚ-1/2026/0003"]
    rows = csv_rows(client.get(CSV, {"sort": "-numer_odwrotnie"}))
    assert [r[1] for r in rows[1:]] == sorted((r[1] for r in rows[1:]), key=lambda t: t[::-1])


def test_the_default_columns_and_the_case_number_always_first(client, cases, p):  # noqa: F811
    defaults = columns.chosen(None)
    assert defaults[0].key == "numer" and all(c.default for c in defaults)
    assert columns.chosen(["etap"])[0].key == "numer"  # a row always says which case it is
    login(client, p.director_a)
    rows = csv_rows(client.get(CSV))
    assert rows[0] == exports.header(defaults)
    rows = csv_rows(client.get(CSV, {"kolumny": ["etap", "grupa"]}))
    assert rows[0] == ["Numer sprawy", "Etap", "Grupa docelowa"]


def test_target_group_subgroups_and_problem_areas_are_columns_and_filters(client, diagnosed, p):
    login(client, p.director_a)
    chosen = {"kolumny": ["grupa", "podgrupy", "obszary"]}
    rows = csv_rows(client.get(CSV, {**chosen, "target_group": "unemployed"}))
    assert rows[1:] == [[
        "RPŚ-1/2026/0001", "Osoby pozostające bez pracy", "osoby nieaktywne zawodowo, osoby w wieku 50+",
        "ubóstwo, trudności w przystosowaniu do życia po zwolnieniu z zakładu karnego",
    ]]  # fmt: skip
    assert [r[0] for r in csv_rows(client.get(CSV, {"problem_area": "after_prison"}))[1:]] == ["RPŚ-1/2026/0001"]
    ProblemArea.objects.create(institution=p.director_a.institution, code="after", name="po czymś")
    assert csv_rows(client.get(CSV, {"problem_area": "after"}))[1:] == []  # a code, not a part of one
    assert [r[0] for r in csv_rows(client.get(CSV, {"target_subgroup": "over_50"}))[1:]] == ["RPŚ-1/2026/0001"]
    assert len(csv_rows(client.get(CSV, {"target_group": "elderly"}))) == 1  # the header only


def test_the_problem_areas_are_those_of_the_latest_diagnosis(client, diagnosed, p):
    a = diagnosed["a"]
    Diagnosis.objects.create(case=a, author=p.worker_a, diagnosed_on=a.social_work_started_at, facts="x",
                             resources="y", decision="social_work", problem_areas=["violence"])  # fmt: skip
    login(client, p.director_a)
    assert csv_rows(client.get(CSV, {"problem_area": "poverty"}))[1:] == []
    assert [r[0] for r in csv_rows(client.get(CSV, {"problem_area": "violence"}))[1:]] == ["RPŚ-1/2026/0001"]


def test_resigned_is_one_definition_for_the_column_and_the_filter(client, cases, p):  # noqa: F811
    login(client, p.director_a)
    rows = csv_rows(client.get(CSV, {"kolumny": ["etap", "przyczyna", "rezygnacja"]}))
    marked = {r[0] for r in rows[1:] if r[3] == "tak"}
    assert marked == {"RPŚ-1/2026/0002", "RPŚ-2/2026/0001"}  # refusal closed; monitored
    filtered = {r[0] for r in csv_rows(client.get(CSV, {"resigned": "tak"}))[1:]}
    assert filtered == marked


def test_the_csv_is_sent_in_chunks_of_about_64_kb(client, cases, p, monkeypatch):  # noqa: F811
    monkeypatch.setattr(exports, "CSV_CHUNK", 200)
    login(client, p.director_a)
    chunks = list(client.get(CSV).streaming_content)
    assert 1 < len(chunks) < 5  # whole rows per chunk, not one per row (5 rows here)
    assert all(c.endswith(b"\r\n") for c in chunks)
    big = list(exports.csv_lines(iter([]), columns.chosen(None)))
    assert len(big) == 1 and exports.CSV_CHUNK == 200
    services  # noqa: B018 - imported for the fixture's services
