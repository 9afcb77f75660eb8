"""The start page of each role (issue 17.6), assembled from panels each app registers.

A panel declares, once: who sees it (a predicate of the access policy), its template, and how
its context is read (``None``: nothing to show today). Each app registers its own in its
``start_panels`` module, found when the apps are ready – so the start page, in ``mopr``, names
no other app, as the timeline's kinds of entry do (``cases/timeline.py``).

Every number a panel shows links to the list it counts, and every case it lists is given to the
access log (``mopr.access.shown_many``) by the panel itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from mopr.models import User


@dataclass(frozen=True)
class Panel:
    key: str
    order: int  # its place on the page, top first
    shows: Callable[[User], bool]
    template: str
    context: Callable[[HttpRequest], dict | None]


_REGISTRY: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    if panel.key in _REGISTRY:
        raise ValueError(f"start panel {panel.key!r} registered twice")
    _REGISTRY[panel.key] = panel
    return panel


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("start_panels")


def panels() -> list[Panel]:
    return sorted(_REGISTRY.values(), key=lambda p: (p.order, p.key))


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict]]:
    """The panels of the user's roles that have something to show, in page order."""
    out = []
    for panel in panels():
        if panel.shows(request.user):
            context = panel.context(request)
            if context is not None:
                out.append((panel, context))
    return out
