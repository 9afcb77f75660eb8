"""``make bench``: server-side timings at a chosen size, never a timed test.

Run it against a database of its own (the Makefile points ``DATABASE_URL`` at
``var/bench-<size>.sqlite3`` unless ``BENCH_DATABASE_URL`` says otherwise; the name must contain
"bench"). It fills the database with ``--size`` synthetic cases once (``bench/data.py``;
a rerun at the same size only measures), then requests every measured page through Django's
test client – the whole stack of middleware, views and templates, no network – a few times to
warm up, once under ``CaptureQueriesContext`` to count the SQL queries, then ``--runs`` times
against the clock. It prints one table and writes the same rows as JSON to
``bench-results.json``: name, size (cases in the database), p50_ms, p95_ms, queries, and
rows / peak_mb / ratio where they mean something, with the target and whether it was met.

Measured (docs/performance.md says why each and what was found):
- the case list: first page as the director (every case) and as a worker, a filtered page, a
  search by a surname fragment, by a fragment typed with Polish letters, by PESEL;
- the case detail of the karta's case (50 entries) and of cases with 20 and 80 entries;
- the register: first page, a coordinator's, sorted by client, filtered, the "overdue" filter;
- the dashboards of the director and of a coordinator (overdue cases per worker);
- the register exports of 10,000 rows as CSV and XLSX: time, and the peak of Python memory
  (tracemalloc, in a separate run – tracing slows everything down) while the response is read;
- the karta PDF of the 50-entry case and WeasyPrint alone on the same HTML (``ratio``);
- the reference: the Django admin changelist of the same cases;
- the nightly ``deadlines_refresh --all``: the deadline engine over every case, once.
"""

from __future__ import annotations

import datetime
import json
import statistics
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import data as bench_data

# name → (what, limit): the targets of issue 9 on 2 cores with PostgreSQL at 100,000 cases.
TARGETS = {
    "case_list_first_page": ("p95_ms", 100),
    "case_list_worker": ("p95_ms", 100),
    "case_list_filtered": ("p95_ms", 100),
    "case_list_search_surname": ("p95_ms", 150),
    "case_list_search_polish": ("p95_ms", 150),
    "case_list_search_pesel": ("p95_ms", 20),
    "search_query_surname": ("p95_ms", 150),
    "search_query_pesel": ("p95_ms", 20),
    "case_detail_50_entries": ("p95_ms", 100),
    "case_detail_20_entries": ("p95_ms", 100),
    "case_detail_80_entries": ("p95_ms", 100),
    "register_csv_10000": ("p95_ms", 2000),
    "register_xlsx_10000": ("p95_ms", 6000),
    "karta_pdf_50_entries": ("p50_ms", 500),
    "karta_pdf_80_entries": ("p50_ms", 1000),
}
MEMORY_TARGET_MB = 100


@dataclass
class Row:
    name: str
    size: int
    p50_ms: float
    p95_ms: float
    queries: int | None = None
    cpu_ms: float | None = None  # median CPU time of this process (no database, no waiting for the cores)
    rows: int | None = None
    peak_mb: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


class BenchFailure(Exception):
    pass


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(fn, runs: int, warmup: int = 2, cpu: list[float] | None = None) -> tuple[list[float], int]:
    """Times of ``runs`` calls after ``warmup`` ones, and the queries of one call; ``cpu`` collects
    this process's CPU time of each call (the database's own work is not in it)."""
    for _ in range(warmup):
        fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    # Counted now: the next request's request_started signal clears the connection's query log.
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
    return times, queries


def peak_memory_mb(fn) -> float:
    """The peak of Python allocations while ``fn`` runs, above what was allocated before."""
    tracemalloc.start()
    try:
        fn()  # once untraced-equivalent, so caches (templates, translations) are not counted
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round((peak - before) / 2**20, 1)


class Command(BaseCommand):
    help = "Wypełnia bazę benchmarku (--size spraw), mierzy czasy po stronie serwera i zapisuje bench-results.json."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=100_000, help="liczba spraw w bazie benchmarku")
        parser.add_argument("--runs", type=int, default=15, help="pomiarów każdej strony (po rozgrzewce)")
        parser.add_argument("--out", default="bench-results.json")
        parser.add_argument("--only", default="", help="tylko wiersze, których nazwa zawiera któryś z tych tekstów")
        parser.add_argument("--fill-only", action="store_true", help="tylko wypełnij bazę, bez pomiarów")
        parser.add_argument("--refill", action="store_true", help="wypełnij bazę od nowa, choćby miała ten rozmiar")
        parser.add_argument("--compare", default="", help="inny bench-results.json: porównaj liczby zapytań")

    def handle(self, *args, size: int, runs: int, out: str, only: str, fill_only: bool, compare: str, refill: bool,
               **options):  # fmt: skip
        try:
            bench_data.check_bench_database()
            bench_data.create_database()
            call_command("migrate", interactive=False, verbosity=0)
            info = bench_data.ensure(size, stdout=self.stdout, refill=refill)
        except bench_data.NotABenchDatabase as error:
            raise CommandError(str(error)) from None
        vendor = connection.vendor
        self.stdout.write(f"Baza: {vendor} {bench_data.database_name()}, {size} spraw (wypełnienie: "
                          f"{info.get('fill_seconds', '?')} s).")  # fmt: skip
        # What the load test needs to know (loadtest/locustfile.py): how many regions and workers.
        if "regions" not in info:  # a database filled before these were recorded
            from mopr.models import Region

            regions = Region.objects.filter(institution__short_name=bench_data.INSTITUTION)
            info["regions"] = regions.count()
            info["workers_per_region"] = regions.first().role_assignments.filter(role="social_worker").count()
        probes = Path(settings.BASE_DIR, "var", "bench-probes.json")
        probes.parent.mkdir(exist_ok=True)
        probes.write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
        # As the nightly ``deadlines_refresh`` leaves them: the deadline summaries of every case fresh.
        from cases.models import Case
        from cases.services.deadline_summaries import deadline_summaries_refresh

        started = time.monotonic()
        computed = deadline_summaries_refresh(cases=Case.objects.all())
        if computed:
            self.stdout.write(f"Podsumowania terminów: {computed} spraw, {time.monotonic() - started:.1f} s.")
        if vendor == "postgresql":
            # As a server some time after a bulk load, with autovacuum's work done: fresh statistics, and
            # no dead rows of the bench's own earlier runs (each rewrites every deadline summary) left in
            # the indexes – this machine runs with autovacuum off, and 500,000 dead entries once made a
            # lookup of the stale summaries take 14 ms instead of 0.1.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
                settings_seen = {}
                for name in ("autovacuum", "jit", "work_mem", "shared_buffers", "random_page_cost"):
                    cursor.execute(f"SHOW {name}")
                    settings_seen[name] = cursor.fetchone()[0]
            self.stdout.write("VACUUM ANALYZE; serwer: " + ", ".join(f"{k}={v}" for k, v in settings_seen.items()))
            info["server_settings"] = settings_seen
        if fill_only:
            return
        self.size, self.runs, self.info = size, runs, info
        self.only = [o for o in only.split(",") if o]
        rows: list[Row] = []
        for group in (self.bench_case_list, self.bench_case_detail, self.bench_register, self.bench_exports,
                      self.bench_karta, self.bench_admin, self.bench_summaries, self.bench_start_pages,
                      self.bench_jobs, self.bench_http):  # fmt: skip
            rows += group()
        for r in rows:
            what, limit = TARGETS.get(r.name, (None, None))
            if what:
                r.target = f"{what} < {limit}"
                r.met = getattr(r, what) < limit
            if r.peak_mb is not None:
                r.target = (r.target + "; " if r.target else "") + f"peak_mb < {MEMORY_TARGET_MB}"
                r.met = (r.met is not False) and r.peak_mb < MEMORY_TARGET_MB
        self.print_table(rows, vendor)
        if compare:
            self.compare(rows, Path(compare))
        meta = {"database": vendor, "size": size, "runs": runs}
        Path(out).write_text(
            json.dumps([{**meta, **asdict(r)} for r in rows], indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        self.stdout.write(self.style.SUCCESS(f"Zapisano {out}."))

    # --- helpers ----------------------------------------------------------------------------------------------

    def wanted(self, name: str) -> bool:
        return not self.only or any(o in name for o in self.only)

    def client(self, username: str) -> Client:
        from mopr.models import User

        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        from mopr import policy

        if policy.user_needs_second_factor(user):
            # As after the code was given (the admin's role requires it): the session names a device.
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    def page(self, name: str, client: Client, url: str, *, runs: int | None = None, warmup: int = 2,
             memory: bool = False) -> list[Row]:  # fmt: skip
        if not self.wanted(name):
            return []
        seen = {}

        def fetch():
            response = client.get(url)
            if response.status_code != 200:
                raise BenchFailure(f"{url}: HTTP {response.status_code} {response.get('Location', '')}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            response.close()
            seen["bytes"] = len(body)
            seen["body"] = body

        cpu: list[float] = []
        try:
            times, queries = measure(fetch, runs or self.runs, warmup, cpu)
        except BenchFailure as failure:
            self.stderr.write(f"{name}: {failure}")
            return [Row(name, self.size, 0, 0, note=str(failure))]
        row = Row(name, self.size, round(statistics.median(times), 1), round(p95(times), 1), queries,
                  round(statistics.median(cpu), 1))  # fmt: skip
        if memory:
            row.peak_mb = peak_memory_mb(fetch)
        seen_rows = self.count_rows(seen.get("body", b""), url)
        if seen_rows is not None:
            row.rows = seen_rows
        self.stdout.write(f"  {name}: p50 {row.p50_ms} ms, p95 {row.p95_ms} ms, {queries} zapytań")
        return [row]

    @staticmethod
    def count_rows(body: bytes, url: str) -> int | None:
        """Data rows of a CSV, or the total a list page states (its "Liczba spraw: N")."""
        if ".csv" in url:
            return max(body.count(b"\n") - 1, 0)
        import re

        match = re.search(rb"(?:Liczba spraw|Sprawy w rejestrze): ([\d\xc2\xa0 ]+)<", body)
        if match:
            return int(re.sub(rb"\D", b"", match.group(1)) or 0)
        return None

    # --- the case list and detail --------------------------------------------------------------------------------

    def bench_case_list(self) -> list[Row]:
        info = self.info
        url = reverse("cases:list")
        director = self.client(info["director"])
        worker = self.client(info["worker"])
        filtered = urlencode({"stage": "praca_socjalna", "region": info["region"]})
        return [
            *self.page("case_list_first_page", director, url),
            *self.page("case_list_worker", worker, url),
            *self.page("case_list_filtered", director, f"{url}?{filtered}"),
            *self.page("case_list_search_surname", director, f"{url}?q=kowal"),
            # Typed with Polish letters, found folded: names ("Żółkiewska") and streets ("Żółkiewskiego").
            *self.page("case_list_search_polish", director, f"{url}?{urlencode({'q': 'Żółkiew'})}"),
            *self.page("case_list_search_pesel", director, f"{url}?q={info['pesel']}"),
            # The search alone – the count and the first page of the selector, no page around it: the
            # page's own cost (the filter form, the deadlines of the rows) is the same with or without a search.
            *self.query("search_query_surname", info["director"], "kowal"),
            *self.query("search_query_pesel", info["director"], info["pesel"]),
        ]

    def query(self, name: str, username: str, q: str) -> list[Row]:
        if not self.wanted(name):
            return []
        from cases.selectors import case_list
        from mopr.models import User

        user = User.objects.get(username=username)

        def run():
            qs = case_list(user=User.objects.get(pk=user.pk), q=q)
            return qs.count(), list(qs[:25])

        cpu: list[float] = []
        times, queries = measure(run, self.runs, cpu=cpu)
        row = Row(name, self.size, round(statistics.median(times), 1), round(p95(times), 1), queries,
                  round(statistics.median(cpu), 1), rows=run()[0])  # fmt: skip
        self.stdout.write(f"  {name}: p50 {row.p50_ms} ms, p95 {row.p95_ms} ms, {queries} zapytań")
        return [row]

    def bench_case_detail(self) -> list[Row]:
        from cases.models import Case

        rows = []
        for name, pk, runs in (
            ("case_detail_50_entries", self.info["karta_case"], None),
            ("case_detail_20_entries", self.info.get("case_20_entries"), 5),
            ("case_detail_80_entries", self.info.get("case_80_entries"), 5),
        ):
            if pk is None:
                continue
            case = Case.objects.select_related("worker").get(pk=pk)
            rows += self.page(name, self.client(case.worker.username), reverse("cases:detail", args=[pk]), runs=runs)
        return rows

    # --- the start pages and Terminy (issue 17.6) ---------------------------------------------------------------

    def bench_start_pages(self) -> list[Row]:
        from cases.models import Case

        worker = Case.objects.select_related("worker").get(pk=self.info["karta_case"]).worker.username
        director = self.client(self.info["director"])
        return [
            *self.page("start_worker", self.client(worker), reverse("home")),
            *self.page("start_coordinator", self.client(self.info["coordinator"]), reverse("home")),
            *self.page("start_director", director, reverse("home")),
            *self.page("terminy_worker", self.client(worker), reverse("cases:deadlines")),
            # The centre's most urgent 200, read from the deadline summaries' index.
            *self.page("terminy_director", director, reverse("cases:deadlines")),
        ]

    # --- the register and its exports -------------------------------------------------------------------------

    def bench_register(self) -> list[Row]:
        url = reverse("registers:register")
        director = self.client(self.info["director"])
        coordinator = self.client(self.info["coordinator"])
        filtered = urlencode({"status": "otwarte", "niebieska_karta": "tak", "sort": "-zgloszenie"})
        return [
            *self.page("register_page", director, url),
            *self.page("register_coordinator", coordinator, url),
            *self.page("register_sorted_by_client", director, f"{url}?sort=klient"),
            *self.page("register_sorted_by_worker", director, f"{url}?sort=pracownik"),
            *self.page("register_filtered", director, f"{url}?{filtered}"),
            *self.page("register_overdue_coordinator", coordinator, f"{url}?overdue=tak", runs=3, warmup=1),
            # Every case of the institution, from the deadline summaries (docs/performance.md).
            *self.page("register_overdue_all", director, f"{url}?overdue=tak", runs=2, warmup=1),
            # Overdue cases per worker over every open case of the centre (the deadline summaries).
            *self.page("dashboard_director", director, reverse("registers:dashboard")),
            *self.page("dashboard_coordinator", coordinator, reverse("registers:dashboard")),
        ]

    def export_filter(self) -> dict:
        """Reported on or after the day of the 10,000th newest case: 10,000 rows (or all, when fewer)."""
        from django.utils import timezone

        from cases.models import Case

        dates = Case.objects.order_by("-reported_at").values_list("reported_at", flat=True)
        cut = dates[min(10_000, self.size) - 1]
        return {"reported_from": timezone.localdate(cut).isoformat()}

    def bench_exports(self) -> list[Row]:
        director = self.client(self.info["director"])
        query = urlencode(self.export_filter())
        rows = []
        for fmt in ("csv", "xlsx"):
            url = reverse("registers:register_export", args=[fmt]) + "?" + query
            rows += self.page(f"register_{fmt}_10000", director, url, runs=3, warmup=1, memory=True)
        if rows and rows[0].rows:
            for row in rows:
                row.rows = rows[0].rows  # the XLSX holds the rows the CSV counted
        return rows

    # --- background work ---------------------------------------------------------------------------------------

    def bench_jobs(self) -> list[Row]:
        """What the worker does when a user asks for more than a page can wait for (issue 18.5): the
        whole register as CSV and XLSX, and a year's statistics as XLSX. Each run once, here (the
        worker's own cost; the queue adds its polling interval); the queued task stays unrun."""
        from background.models import Job
        from background.services import job_execute, job_start, jobs_dir
        from mopr.models import User

        director = User.objects.get(username=self.info["director"])
        year = str(datetime.date.today().year - 1)
        jobs = [
            ("job_register_csv_all", "register_export", {"query": [], "fmt": "csv", "columns": None}),
            ("job_register_xlsx_all", "register_export", {"query": [], "fmt": "xlsx", "columns": None}),
            ("job_statistics_year_xlsx", "statistics_export",
             {"query": [["od", [f"{year}-01-01"]], ["do", [f"{year}-12-31"]]], "fmt": "xlsx"}),
        ]  # fmt: skip
        rows = []
        for name, kind, params in jobs:
            if not self.wanted(name):
                continue
            job = job_start(by=director, kind=kind, title=name, params=params)  # enqueued after a commit: none here
            # Once, timed and counted together: a job runs once (a second run returns at once).
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                job = job_execute(job_id=job.pk)
                times, queries = [(time.perf_counter() - start) * 1000], len(ctx.captured_queries)
            if job.status != Job.Status.DONE:
                self.stderr.write(f"{name}: {job.status} {job.error}")
                rows.append(Row(name, self.size, 0, 0, note=f"{job.status}: {job.error}"))
                continue
            rows.append(Row(name, self.size, round(times[0], 1), round(times[0], 1), queries, rows=job.total or None))
            self.stdout.write(f"  {name}: {times[0] / 1000:.1f} s, {queries} zapytań, {job.total} wierszy, "
                              f"{(job.size or 0) // 1024} KB")  # fmt: skip
            (jobs_dir() / job.file_path).unlink(missing_ok=True)  # the bench keeps no files
        return rows

    # --- the deadline summaries -------------------------------------------------------------------------------

    def bench_summaries(self) -> list[Row]:
        """The nightly ``deadlines_refresh --all``: the engine over every case, once (seconds at 100,000)."""
        from cases.models import Case, DeadlineSummary
        from cases.services.deadline_summaries import deadline_summaries_refresh

        if not self.wanted("deadline_summaries_refresh_all"):
            return []

        def run():
            DeadlineSummary.objects.update(valid_until=None)
            deadline_summaries_refresh(cases=Case.objects.all())

        times, queries = measure(run, runs=1, warmup=0)
        return [Row("deadline_summaries_refresh_all", self.size, round(times[0], 1), round(times[0], 1), queries,
                    rows=Case.objects.count())]  # fmt: skip

    # --- the karta --------------------------------------------------------------------------------------------

    def bench_karta(self) -> list[Row]:
        """The Karta Pracy Socjalnej of the 50-entry case, from the database to the PDF bytes through the
        helper process with its time limit; WeasyPrint alone on the same finished HTML for the ratio
        (target: p50 < 500 ms, ratio < 1.2)."""
        if not self.wanted("karta") and not self.wanted("weasyprint"):
            return []
        from cases.karta import karta_assemble
        from cases.models import Case
        from mopr import pdf, pdf_worker

        case = Case.objects.get(pk=self.info["karta_case"])
        meta = pdf.PrintMeta(title="Karta Pracy Socjalnej", institution=case.institution, case_number=case.number,
                             printed_by="Benchmark")  # fmt: skip

        def full():
            fresh = Case.objects.select_related("client", "region", "worker", "institution").get(pk=case.pk)
            fresh.active_flags = []
            pdf.render_pdf("printouts/karta.html", {"karta": karta_assemble(case=fresh)}, meta)

        html = pdf.render_html("printouts/karta.html", {"karta": karta_assemble(case=case)}, meta)

        def alone():
            pdf_worker.render(html, str(Path(settings.BASE_DIR, "static")), pdf.PDF_VARIANT)

        runs = max(9, min(self.runs, 15))
        cpu: list[float] = []
        full_times, queries = measure(full, runs, cpu=cpu)
        alone_times, _ = measure(alone, runs)
        ratio = statistics.median(full_times) / statistics.median(alone_times)
        rows = [
            Row("karta_pdf_50_entries", self.size, round(statistics.median(full_times), 1), round(p95(full_times), 1),
                queries, round(statistics.median(cpu), 1), ratio=round(ratio, 3)),
            Row("weasyprint_alone", self.size, round(statistics.median(alone_times), 1), round(p95(alone_times), 1), 0),
        ]  # fmt: skip
        self.stdout.write(f"  karta_pdf_50_entries: p50 {rows[0].p50_ms} ms, ratio {rows[0].ratio}")
        # A real large case (80 entries and a contract: twice the pages of the 50-entry one, issue 18.6).
        large_pk = self.info.get("case_80_entries")
        if large_pk and self.wanted("karta_pdf_80_entries"):
            large = Case.objects.select_related("institution").get(pk=large_pk)
            large_meta = pdf.PrintMeta(title="Karta Pracy Socjalnej", institution=large.institution,
                                       case_number=large.number, printed_by="Benchmark")  # fmt: skip

            def full_large():
                fresh = Case.objects.select_related("client", "region", "worker", "institution").get(pk=large_pk)
                fresh.active_flags = []
                return pdf.render_pdf("printouts/karta.html", {"karta": karta_assemble(case=fresh)}, large_meta)

            large_times, large_queries = measure(full_large, max(5, runs // 2))
            import io

            import pikepdf

            with pikepdf.open(io.BytesIO(full_large())) as document:  # the objects are in compressed streams
                pages = len(document.pages)
            rows.append(Row("karta_pdf_80_entries", self.size, round(statistics.median(large_times), 1),
                            round(p95(large_times), 1), large_queries, note=f"{pages} pages"))  # fmt: skip
            self.stdout.write(f"  karta_pdf_80_entries: p50 {rows[-1].p50_ms} ms, {pages} pages")
        return rows

    # --- the reference ----------------------------------------------------------------------------------------

    def bench_admin(self) -> list[Row]:
        admin = self.client(self.info["admin"])
        return self.page("admin_changelist", admin, reverse("admin:cases_case_changelist"))

    # --- over real HTTP -------------------------------------------------------------------------------------

    def http_pages(self) -> list[tuple[str, str, str]]:
        """(name, user, path) of what a user waits for, measured through gunicorn (issue 18.6)."""
        info = self.info
        cases = reverse("cases:list")
        register = reverse("registers:register")
        deep = max(1, (self.size * 7 // 8) // settings.PAGE_SIZE)  # the director's page 3,500 of 100,000
        year = datetime.date.today().year - 1
        return [
            ("http_admin_changelist", info["admin"], reverse("admin:cases_case_changelist")),
            ("http_case_list", info["director"], cases),
            ("http_case_list_deep_page", info["director"], f"{cases}?strona={deep}"),
            ("http_register", info["director"], register),
            ("http_register_by_worker", info["director"], f"{register}?sort=pracownik"),
            ("http_dashboard_director", info["director"], reverse("registers:dashboard")),
            ("http_register_csv_10000", info["director"],
             reverse("registers:register_export", args=["csv"]) + "?" + urlencode(self.export_filter())),
            # The page of the statistics: its first visit (the default period) and a whole year.
            ("http_statistics", info["director"], reverse("registers:statistics")),
            ("http_statistics_year", info["director"],
             reverse("registers:statistics") + "?" + urlencode({"od": f"{year}-01-01", "do": f"{year}-12-31"})),
        ]  # fmt: skip

    def bench_http(self) -> list[Row]:
        """Through gunicorn on a local port, as a browser waits: the time to the last byte of each page,
        and each as a ratio to the admin's changelist of the same run. The CSV also counts its HTTP
        chunks (one per row once hid a 1.47× cost the test client did not show)."""
        import http.client
        import os
        import socket
        import subprocess
        import sys

        pages = [pg for pg in self.http_pages() if self.wanted(pg[0])]
        if not pages:
            return []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "mopr.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--timeout", "300", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=os.environ.copy(),
        )  # fmt: skip
        try:
            for _attempt in range(100):
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/logowanie/")
                    break
                except OSError:
                    time.sleep(0.2)
            cookies = {user: self.client(user).cookies[settings.SESSION_COOKIE_NAME].value for _n, user, _p in pages}
            rows = []
            for name, user, path in pages:
                rows.append(self._http_page(name, port, path, cookies[user]))
        finally:
            server.terminate()
            server.wait(timeout=30)
        admin = next((r for r in rows if r.name == "http_admin_changelist" and r.p50_ms), None)
        for row in rows:
            if admin and row.p50_ms:
                row.ratio = round(row.p50_ms / admin.p50_ms, 2)
        return rows

    def _http_page(self, name: str, port: int, path: str, session: str) -> Row:
        import http.client

        runs = 3 if ".csv" in path else self.runs
        times: list[float] = []
        chunks = size = 0
        for n in range(runs + 1):  # the first is the warm-up
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"})
            response = conn.getresponse()
            if response.status != 200:
                self.stderr.write(f"{name}: HTTP {response.status}")
                return Row(name, self.size, 0, 0, note=f"HTTP {response.status}")
            chunks = size = 0
            while piece := response.read1(1 << 20):
                chunks += 1
                size += len(piece)
            elapsed = (time.perf_counter() - started) * 1000
            conn.close()
            if n:
                times.append(elapsed)
        row = Row(name, self.size, round(statistics.median(times), 1), round(p95(times), 1))
        if ".csv" in path:
            row.note = f"{chunks} HTTP reads (one per chunk at least), {size // 1024} KB"
        self.stdout.write(f"  {name}: p50 {row.p50_ms} ms, p95 {row.p95_ms} ms {row.note}")
        return row

    # --- output -----------------------------------------------------------------------------------------------

    def print_table(self, rows: list[Row], vendor: str) -> None:
        self.stdout.write("")
        self.stdout.write(f"{vendor}, {self.size} spraw")
        head = (
            f"{'name':30} {'p50 ms':>9} {'p95 ms':>9} {'cpu ms':>8} {'queries':>8} {'rows':>7} {'peak MB':>8}  target"
        )
        self.stdout.write(head)
        for r in rows:
            cells = ["" if v is None else v for v in (r.cpu_ms, r.queries, r.rows, r.peak_mb)]
            verdict = "" if r.met is None else ("ok" if r.met else "MISSED")
            extra = f" ratio {r.ratio:.2f}" if r.ratio else ""
            self.stdout.write(
                f"{r.name:30} {r.p50_ms:>9.1f} {r.p95_ms:>9.1f} {cells[0]:>8} {cells[1]:>8} {cells[2]:>7} "
                f"{cells[3]:>8}  {r.target} {verdict}{extra} {r.note}".rstrip()
            )

    def compare(self, rows: list[Row], path: Path) -> None:
        other = {r["name"]: r for r in json.loads(path.read_text(encoding="utf-8"))}
        self.stdout.write(f"\nLiczby zapytań wobec {path}:")
        for r in rows:
            before = other.get(r.name, {}).get("queries")
            if before is not None and r.queries is not None:
                mark = "=" if before == r.queries else "RÓŻNI SIĘ"
                self.stdout.write(f"  {r.name:30} {before:>5} → {r.queries:<5} {mark}")
