"""The one mechanism that puts every page showing a case or a person in the access log.

The policy's fetchers (``policy.case_get_for`` and the others that hand a view a record of a
case or a client) say what they handed out with ``shown``; list pages say it for the rows of the
page they render (``shown_many``). ``AccessLogMiddleware`` then writes, once the view has
answered with a page that carries the data (2xx, or the 409 and 422 that show a form again):

- one row per case, or per client where no case is concerned – named after the view
  (``titled``) and the case's number;
- for a page of many (a list, a search), one row whose subjects (``AccessLogSubject``) are
  the cases and clients it showed, so that a person's art. 15 report finds it too.

Rows a view writes itself (prints, downloads, exports: ``mopr.services.access_log_write``)
are not written twice. ``mopr/tests/test_url_sweep.py`` requests every URL as every persona
and fails for a page that shows the test family's name or case number without a row: a new
view cannot forget it.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

_current: ContextVar[Collector | None] = ContextVar("mopr_access_collector", default=None)


@dataclass
class Collector:
    """What one request showed: case id → client id, and clients shown without a case."""

    cases: dict[int, int | None] = field(default_factory=dict)
    clients: set[int] = field(default_factory=set)
    logged_cases: set[int] = field(default_factory=set)
    logged_clients: set[int] = field(default_factory=set)
    many: bool = False

    def pending(self) -> tuple[dict[int, int | None], set[int]]:
        cases = {c: cl for c, cl in self.cases.items() if c not in self.logged_cases}
        in_cases = set(self.cases.values())
        clients = {c for c in self.clients if c not in self.logged_clients and c not in in_cases}
        return cases, clients


def shown(*, case=None, client=None) -> None:
    """A case (with its client) or a client was handed to the current request's view."""
    collector = _current.get()
    if collector is None:
        return  # not in a request: a command or a service called directly
    if case is not None:
        collector.cases[case.pk] = case.client_id
    elif client is not None:
        collector.clients.add(client.pk)


def shown_many(*, cases: Iterable = (), clients: Iterable = ()) -> None:
    """The rows of a list or a search page: one log row with them as its subjects."""
    collector = _current.get()
    if collector is None:
        return
    collector.many = True
    for case in cases:
        collector.cases[case.pk] = case.client_id
    for client in clients:
        collector.clients.add(client.pk)


def logged(*, case_id: int | None = None, client_id: int | None = None) -> None:
    """The view wrote its own row for these (a print, a download): do not write another."""
    collector = _current.get()
    if collector is None:
        return
    if case_id is not None:
        collector.logged_cases.add(case_id)
    if client_id is not None:
        collector.logged_clients.add(client_id)


def titled(title: str):
    """Names the view in the access log ("Kontrakt socjalny: RPŚ-1/2026/0001")."""

    def decorate(view):
        view.access_title = title
        return view

    return decorate


def _shows_data(status: int) -> bool:
    return 200 <= status < 300 or status in (409, 422)


class AccessLogMiddleware:
    """Collects what the view showed and writes the rows after it answered (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        collector = Collector()
        token = _current.set(collector)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _shows_data(response.status_code):
            cases, clients = collector.pending()
            if cases or clients:
                from mopr.services import access_log_pages

                match = getattr(request, "resolver_match", None)
                title = getattr(getattr(match, "func", None), "access_title", None) or (
                    match.view_name if match else request.path
                )
                access_log_pages(request=request, title=title, cases=cases, clients=clients, many=collector.many)
        return response
