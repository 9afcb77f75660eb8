"""Pages of a long list that stay fast deep into it (issue 18.6).

A list's rows are wide: the case, its client, region and worker, and the columns' subqueries. On
page 3,500 of 100,000 cases PostgreSQL joined and sorted all 87,500 wide rows before them and
spilled ~58 MB to disk (600 ms). ``IdsFirstPaginator`` asks first for the page's ids alone, in the
list's order – on the case columns an index serves, a narrow sort otherwise – and then reads the
page's rows in full by those ids (a "deferred join"): one query more, whatever the depth."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator


class IdsFirstPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def page_of(request, qs, size: int | None = None):
    """The page of ``qs`` the request asks for (``?strona=``; a wrong number: the nearest page)."""
    return IdsFirstPaginator(qs, size or settings.PAGE_SIZE).get_page(request.GET.get("strona"))
