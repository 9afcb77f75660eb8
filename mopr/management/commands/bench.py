"""``make bench``: server-side timings, never a timed test.

Run it against a database of its own (the Makefile points ``DATABASE_URL`` at
``var/bench.sqlite3`` unless told otherwise). It prints one table and writes the same rows
as JSON to ``bench-results.json`` (name, size, p50_ms, p95_ms, queries, and ratio / peak_mb
where measured).

Measured now:
- ``karta_pdf_50_entries`` – the Karta Pracy Socjalnej of a case with 50 entries, from the
  database to the PDF bytes, through the helper process with its time limit;
- ``weasyprint_alone`` – WeasyPrint rendering the same finished HTML in this process; the
  karta row's ``ratio`` is its p50 over this one (target: p50 < 500 ms, ratio < 1.2).
"""

from __future__ import annotations

import datetime
import json
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import time_machine
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


@dataclass
class Row:
    name: str
    size: int
    p50_ms: float
    p95_ms: float
    queries: int | None = None
    ratio: float | None = None
    peak_mb: float | None = None


def measure(fn, runs: int, warmup: int = 2) -> tuple[list[float], int]:
    for _ in range(warmup):
        fn()
    times = []
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, queries


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Mierzy czasy po stronie serwera (mediana i p95) i zapisuje bench-results.json."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=9)
        parser.add_argument("--out", default="bench-results.json")

    def handle(self, *args, runs: int, out: str, **options):
        rows = self.bench_karta(runs)
        self.stdout.write(f"{'name':36} {'size':>7} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8} {'ratio':>6}")
        for r in rows:
            ratio = f"{r.ratio:.2f}" if r.ratio else ""
            queries = "" if r.queries is None else r.queries
            self.stdout.write(f"{r.name:36} {r.size:>7} {r.p50_ms:>9.1f} {r.p95_ms:>9.1f} {queries:>8} {ratio:>6}")
        Path(out).write_text(json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(self.style.SUCCESS(f"Zapisano {out}."))

    # --- the karta ------------------------------------------------------------------------------------------

    def bench_karta(self, runs: int) -> list[Row]:
        from cases.karta import karta_assemble
        from cases.models import Case
        from mopr import pdf, pdf_worker

        case = Case.objects.filter(number="BENCH/KARTA/50").first() or self.make_karta_case(entries=50)
        meta = pdf.PrintMeta(title="Karta Pracy Socjalnej", institution=case.institution, case_number=case.number,
                             printed_by="Benchmark")  # fmt: skip

        def full():
            fresh = Case.objects.select_related("client", "region", "worker", "institution").get(pk=case.pk)
            fresh.active_flags = []
            pdf.render_pdf("printouts/karta.html", {"karta": karta_assemble(case=fresh)}, meta)

        html = pdf.render_html("printouts/karta.html", {"karta": karta_assemble(case=case)}, meta)

        def alone():
            pdf_worker.render(html, str(Path(settings.BASE_DIR, "static")), pdf.PDF_VARIANT)

        full_times, queries = measure(full, runs)
        alone_times, _ = measure(alone, runs)
        ratio = statistics.median(full_times) / statistics.median(alone_times)
        return [
            Row("karta_pdf_50_entries", 1, statistics.median(full_times), p95(full_times), queries, round(ratio, 3)),
            Row("weasyprint_alone", 1, statistics.median(alone_times), p95(alone_times), 0),
        ]

    def make_karta_case(self, entries: int):
        """A case with ``entries`` entries of the karta's kinds, made through the services."""
        from cases import services
        from cases.models import Client, OfficialNote, Visit
        from cases.procedure import Stage
        from mopr.models import Institution, Region, Role, RoleAssignment, User

        start = timezone.now() - datetime.timedelta(days=entries + 10)
        with transaction.atomic(), time_machine.travel(start, tick=False):
            institution, _ = Institution.objects.get_or_create(
                short_name="BENCH", defaults={"name": "Ośrodek Benchmarku", "city": "Toruń", "address": "ul. Testowa 1"}
            )
            region, _ = Region.objects.get_or_create(institution=institution, code="RPŚ-B", defaults={"name": "Bench"})
            worker, created = User.objects.get_or_create(
                username="bench-worker",
                defaults={"institution": institution, "first_name": "Bożena", "last_name": "Ławecka"},
            )
            if created:
                RoleAssignment.objects.create(user=worker, role=Role.SOCIAL_WORKER, region=region)
            client = services.client_create(
                institution=institution, by=worker, kind=Client.Kind.FAMILY,
                address=services.AddressData(city="Toruń", street="Łódzka", house_number="7"),
                members=[services.MemberData(first_name="Żaneta", last_name="Ćwiklińska", pesel="44051401359")],
            )  # fmt: skip
            report = services.report_register(
                by=worker, client=client, region=region, target_group="family_children",
                report=services.ReportData(received_at=start, form="phone", reporter_name="Sąsiadka",
                                           content="Zgłoszenie do pomiaru."),
            )  # fmt: skip
            case = report.case
            case.number = "BENCH/KARTA/50"
            case.save(update_fields=["number"])
            services.case_change_stage(case=case, to=Stage.ROZEZNANIE, by=worker)
        for i in range(entries):
            with time_machine.travel(start + datetime.timedelta(days=i + 1, hours=2), tick=False):
                if i % 2:
                    findings = f"Wizyta nr {i}: sytuacja rodziny się poprawia, dzieci w szkole."
                    visit = Visit(visited_at=timezone.now(), outcome=Visit.Outcome.MET, findings=findings)
                    services.visit_record(case=case, by=worker, visit=visit)
                else:
                    note = OfficialNote(
                        written_on=timezone.localdate(), content=f"Notatka nr {i}: bez istotnych zmian."
                    )
                    services.note_write(case=case, by=worker, note=note)
        return case
