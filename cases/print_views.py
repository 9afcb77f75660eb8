"""Printouts of a case: the Karta Pracy Socjalnej (PDF and its HTML preview), the summons and
the notification to a service. Who may print is the access policy's decision (Action.PRINT);
every print goes to the access log (mopr.pdf.pdf_response)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import selectors
from cases.entry_kinds import documentation_transfer_context
from cases.karta import karta_assemble
from cases.models import DocumentationTransfer, Notification, Report, Summons
from mopr import pdf, policy
from mopr.policy import Action
from mopr.services import access_log_case_view


def _case(request, pk: int):
    case = policy.case_get_for(request.user, pk, Action.PRINT, selectors.case_with_details(user=request.user, pk=pk))
    return case


def karta_pdf(request, pk: int):
    case = _case(request, pk)
    return pdf.pdf_response(
        request, case=case, template="printouts/karta.html", context={"karta": karta_assemble(case=case)},
        title=_("Karta Pracy Socjalnej"), filename=f"karta-{case.number}",
    )  # fmt: skip


def karta_preview(request, pk: int):
    """The same template as the PDF, in the browser (the page margins are the browser's)."""
    case = _case(request, pk)
    access_log_case_view(request=request, case=case, what="Podgląd karty pracy socjalnej")
    meta = pdf.PrintMeta(
        title=_("Karta Pracy Socjalnej"), institution=case.institution, case_number=case.number,
        printed_by=request.user.get_full_name(),
    )  # fmt: skip
    html = pdf.render_html(
        "printouts/karta.html", {"karta": karta_assemble(case=case), "case": case}, meta, for_browser=True
    )
    return HttpResponse(html)


def report_pdf(request, pk: int, report_pk: int):
    """Seed 000 I: the note of a report, for the reporter and the worker who took it to sign."""
    case = _case(request, pk)
    report = get_object_or_404(Report.objects.select_related("received_by"), pk=report_pk, case=case)
    return pdf.pdf_response(
        request, case=case, template="printouts/report_note.html", context={"case": case, "report": report},
        title=_("Notatka ze zgłoszenia"), filename=f"zgloszenie-{case.number}-{report.pk}",
    )  # fmt: skip


def documentation_transfer_pdf(request, pk: int, transfer_pk: int):
    """The letter handing the documentation to the family's new centre (issue 17.3)."""
    case = _case(request, pk)
    transfer = get_object_or_404(DocumentationTransfer.objects.select_related("author"), pk=transfer_pk, case=case)
    return pdf.pdf_response(
        request, case=case, template="printouts/documentation_transfer.html",
        context=documentation_transfer_context(case, transfer),
        title=_("Przekazanie dokumentacji"), filename=f"przekazanie-dokumentacji-{case.number}-{transfer.pk}",
    )  # fmt: skip


def summons_pdf(request, pk: int, summons_pk: int):
    case = _case(request, pk)
    summons = get_object_or_404(Summons.objects.select_related("author"), pk=summons_pk, case=case)
    return pdf.pdf_response(
        request, case=case, template="printouts/summons.html", context={"case": case, "summons": summons},
        title=_("Wezwanie"), filename=f"wezwanie-{case.number}-{summons.pk}",
    )  # fmt: skip


def notification_pdf(request, pk: int, notification_pk: int):
    case = _case(request, pk)
    notification = get_object_or_404(Notification.objects.select_related("author"), pk=notification_pk, case=case)
    return pdf.pdf_response(
        request, case=case, template="printouts/notification.html",
        context={"case": case, "notification": notification},
        title=_("Zawiadomienie"), filename=f"zawiadomienie-{case.number}-{notification.pk}",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def karta_archive(request):
    """The kartas of a region's cases closed before a day, as one ZIP made in the background."""
    from background.services import job_start
    from cases.forms import KartaArchiveForm
    from cases.karta_archive import closed_cases

    if not policy.user_oversees_regions(request.user):
        raise PermissionDenied(_("Archiwum kart przygotowują koordynatorzy RPŚ i kierownictwo ośrodka."))
    form = KartaArchiveForm(request.POST or request.GET or None, regions=policy.regions_overseen_by(request.user))
    count = None
    if form.is_bound and form.is_valid():
        region, before = form.cleaned_data["region"], form.cleaned_data["closed_before"]
        count = closed_cases(user=request.user, region_code=region.code, closed_before=before).count()
        if request.method == "POST" and count:
            title = _("Archiwum kart: %(region)s, sprawy zakończone przed %(day)s (%(n)s)") % {
                "region": region.code, "day": before.strftime("%d.%m.%Y"), "n": count,
            }  # fmt: skip
            params = {"region": region.code, "closed_before": before.isoformat()}
            job = job_start(by=request.user, kind="karta_archive", title=title, params=params)
            return redirect("background:job", pk=job.pk)
    return render(request, "cases/karta_archive.html", {"form": form, "count": count})
