"""The user's background work: its progress (polled by htmx until it ends), its file, the list."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from background import selectors, services
from background.kinds import get as kind_of
from mopr.errors import DomainError


def _job(request, pk: int):
    # Another user's job is not found (not "forbidden"): its title names a search.
    return get_object_or_404(selectors.jobs_of(user=request.user), pk=pk)


def job_list(request):
    page = Paginator(selectors.jobs_of(user=request.user), 25).get_page(request.GET.get("strona"))
    return render(request, "background/job_list.html", {"page": page})


def job_detail(request, pk: int):
    job = _job(request, pk)
    template = "background/_progress.html" if request.headers.get("HX-Request") else "background/job_detail.html"
    return render(request, template, {"job": job})


def job_download(request, pk: int):
    job = _job(request, pk)
    try:
        path = services.job_file(job=job, by=request.user)
    except DomainError as error:  # NotAllowed too: it is one
        messages.error(request, error.message)
        return redirect("background:job", pk=job.pk)
    if not path.exists():
        raise Http404
    kind_of(job.kind).log_download(request, job)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name, content_type=job.content_type)
