"""The start page of each role: the panels each app registers (``mopr/start.py``)."""

from django.shortcuts import render

from mopr import start


def home(request):
    return render(request, "mopr/home.html", {"panels": start.panels_for(request)})
