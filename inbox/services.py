"""Writes of notifications. Domain services call ``notice_send`` inside their transaction: the
notices are written when it commits, so a refused or rolled-back action notifies nobody."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inbox.models import Notice
from mopr.models import User


def case_url(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def notice_send(
    *, recipients: Iterable[User | int | None], kind: str, text: str, case=None, url: str = "", key: str = ""
) -> None:
    """Tell each recipient (once per ``key``, if given) – after the surrounding transaction commits."""
    ids = sorted({r.pk if isinstance(r, User) else r for r in recipients} - {None})
    if not ids:
        return
    url = url or (case_url(case) if case is not None else "")

    def write() -> None:
        for user_id in ids:
            try:
                with transaction.atomic():
                    Notice.objects.create(
                        recipient_id=user_id, kind=kind, case=case, text=text[:300], url=url[:300], key=key[:120]
                    )
            except IntegrityError:
                if not key:
                    raise  # only the once-per-key rule may refuse a notice

    transaction.on_commit(write)


def notices_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (all unread, or ``ids``). Only the user's own."""
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """The optional daily e-mail: for each user who asked for it, the notices not e-mailed yet –
    the case numbers and links only (e-mail leaves the intranet). Returns the e-mails sent."""
    now = now or timezone.now()
    base = settings.SITE_URL.rstrip("/")
    sent = 0
    pending = (
        Notice.objects.filter(emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True)
        .filter(recipient__email_digest=True)
        .exclude(recipient__email="")
        .select_related("recipient", "case")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Notice]] = {}
    for notice in pending:
        by_user.setdefault(notice.recipient_id, []).append(notice)
    for notices in by_user.values():
        user = notices[0].recipient
        lines = [
            f"- {n.get_kind_display()}"
            + (f": {n.case.number}" if n.case_id else "")
            + (f" – {base}{n.url}" if n.url else "")
            for n in notices
        ]
        body = "\n".join(
            [
                _("Nowe powiadomienia w systemie pracy socjalnej: %(n)s.") % {"n": len(notices)},
                "",
                *lines,
                "",
                _("Szczegóły po zalogowaniu: %(url)s") % {"url": f"{base}{reverse('inbox:list')}"},
            ]
        )
        send_mail(_("Powiadomienia: %(n)s nowe") % {"n": len(notices)}, body, None, [user.email])
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
        sent += 1
    return sent


def digest_choose(*, user: User, wanted: bool) -> None:
    """The user's own choice of the daily e-mail digest, kept in their account's history."""
    from mopr.records import record_save

    user.email_digest = wanted
    record_save(user, by=user, update_fields=["email_digest"])


def deadline_notices(*, today: datetime.date | None = None, chunk: int = 500) -> int:
    """Notices of the deadlines due tomorrow and of those that passed, once each, to whom
    follows the case: its worker and today's substitute – or, for a worker who left, the
    region's coordinators (issue 17.2). Reads only the cases whose stored summary says a
    deadline is that close. Returns the notices written."""
    from cases import deadlines
    from cases.models import Case
    from cases.procedure import Stage
    from cases.services.deadline_summaries import deadline_summaries_refresh
    from mopr import policy

    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    open_cases = Case.objects.exclude(stage=Stage.ZAKONCZENIE).filter(worker__isnull=False)
    deadline_summaries_refresh(cases=open_cases)
    ids = list(open_cases.filter(deadline_summary__next_due__lte=tomorrow).values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), chunk):
        batch = {c.pk: c for c in Case.objects.filter(pk__in=ids[start : start + chunk]).select_related("institution")}
        followers = policy.people_to_tell(batch.values(), on=today)
        for case_id, found in deadlines.deadlines_for(batch.values()).items():
            case, recipients = batch[case_id], followers[case_id]
            for d in found:
                if d.due == tomorrow:
                    kind, when = Notice.Kind.DEADLINE_SOON, "soon"
                elif d.due < today:
                    kind, when = Notice.Kind.DEADLINE_PASSED, "passed"
                else:
                    continue
                text = _("Sprawa %(number)s: %(label)s – termin %(due)s.") % {
                    "number": case.number, "label": d.label, "due": d.due.strftime("%d.%m.%Y"),
                }  # fmt: skip
                key = f"{when}:{case.pk}:{d.rule}:{d.due.isoformat()}"
                for user_id in set(recipients):
                    _notice, created = Notice.objects.get_or_create(
                        recipient_id=user_id, key=key,
                        defaults={"kind": kind, "case": case, "text": text[:300], "url": case_url(case)},
                    )  # fmt: skip
                    written += created
    return written
