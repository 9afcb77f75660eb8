"""What the deadline engine last decided about a case, kept so that SQL can filter by it."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.core import Case


class DeadlineSummary(models.Model):
    """The earliest due date of a case's open deadlines (``cases/deadlines.py``), so the register
    can filter and export tens of thousands of cases by "overdue" in SQL (``next_due`` before
    today) instead of running the engine over all of them on every request.

    Derived data, never edited by hand and not in the history. A change of any fact of the engine
    marks it stale (``valid_until`` empty; ``cases/services/deadline_summaries.py``, called by the
    receivers of ``cases/signals.py``); time alone makes it stale on ``valid_until`` (the first
    day of a month brings a monthly report due, the end of the control-visit period takes a
    deadline away). Whoever reads it recomputes the stale ones of the cases it reads first. Every
    case has its row from its insert on (a trigger, cases 0028; ``test_every_case_has_its_summary_row``
    fails if a later migration rebuilds the table on SQLite without it), so the stale ones are a
    read of ``valid_until``'s index."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="deadline_summary")
    next_due = models.DateField(_("najbliższy termin"), null=True, blank=True)
    valid_until = models.DateField(_("aktualne do (bez tego dnia)"), null=True, blank=True)
    computed_at = models.DateTimeField(_("obliczono"), null=True, blank=True)

    class Meta:
        verbose_name = _("podsumowanie terminów sprawy")
        verbose_name_plural = _("podsumowania terminów spraw")
        indexes = [
            # the register's "overdue" filter (next_due before today) and the stale ones to recompute
            models.Index(fields=["next_due"], name="deadline_summary_due_idx"),
            models.Index(fields=["valid_until"], name="deadline_summary_valid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.next_due or '—'}"

    # Conditions and a column for querysets of Case. Correlated subqueries on the primary key,
    # not joins: SQLite's planner, whose statistics know nothing of this table until the next
    # ANALYZE, chose to read the whole table for every case of a join (24 s for one region).

    @classmethod
    def overdue(cls, today: datetime.date) -> models.Exists:
        """The case's earliest open deadline is before ``today``."""
        return models.Exists(cls.objects.filter(case=models.OuterRef("pk"), next_due__lt=today))

    @classmethod
    def next_due_column(cls) -> models.Subquery:
        return models.Subquery(cls.objects.filter(case=models.OuterRef("pk")).values("next_due")[:1])
