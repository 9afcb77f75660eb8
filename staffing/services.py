"""Writes of absence cover (zastępstwo) and of a worker's hand-over (issue 17.1–2).

Each asks the access policy (mopr/policy.py) itself, locks what it changes, and writes its
history in one transaction, so a view that forgot to ask cannot write."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inbox.models import Notice
from inbox.services import notice_send
from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.models import User
from mopr.records import record_lock, record_save
from staffing.models import Cover, CoverReason

# A cover is the time of one absence; a longer one is a hand-over, not a cover.
COVER_MAX_DAYS = 366


def _forget_covers(*users: User) -> None:
    """The policy keeps the covers of a request on the user object: drop them after a change."""
    for user in users:
        user.__dict__.pop("_mopr_covering", None)


def cover_set(
    *,
    by: User,
    absent: User,
    substitute: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: CoverReason | str,
) -> Cover:
    """Zastępstwo: ``substitute`` stands in for ``absent`` from ``starts_on`` to ``ends_on``."""
    if not policy.user_may_set_cover(by, absent):
        raise NotAllowed(policy.cover_refusal())
    if not policy.substitutes_for(absent).filter(pk=substitute.pk).exists():
        raise DomainError(
            _("Zastępcą może być tylko aktywny pracownik socjalny ośrodka (inny niż osoba nieobecna)."),
            field="substitute",
        )
    if ends_on < starts_on:
        raise DomainError(_("Koniec zastępstwa nie może być wcześniejszy niż jego początek."), field="ends_on")
    if ends_on < timezone.localdate():
        raise DomainError(
            _("Zastępstwo, które już się skończyło, nie ma skutku – podaj okres obecny lub przyszły."), field="ends_on"
        )
    if (ends_on - starts_on).days >= COVER_MAX_DAYS:
        raise DomainError(
            _("Zastępstwo trwa najwyżej rok; dłuższa nieobecność to przekazanie spraw innemu pracownikowi."),
            field="ends_on",
        )
    with transaction.atomic():
        # The absent worker's row orders two coordinators setting covers at once.
        User.objects.select_for_update().get(pk=absent.pk)
        overlapping = Cover.objects.filter(
            absent=absent, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).first()
        if overlapping is not None:
            raise DomainError(
                _("W tym okresie %(absent)s ma już zastępstwo: %(cover)s. Zmień lub odwołaj tamto.")
                % {"absent": absent, "cover": overlapping},
                field="starts_on",
            )
        if Cover.objects.filter(
            absent=substitute, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).exists():
            raise DomainError(
                _("%(name)s jest w tym okresie nieobecny(-a) i sam(a) ma zastępstwo.") % {"name": substitute},
                field="substitute",
            )
        cover = Cover(
            institution_id=absent.institution_id,
            absent=absent,
            substitute=substitute,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            set_by=by,
        )
        record_save(cover, by=by)
        period = f"{starts_on:%d.%m.%Y}–{ends_on:%d.%m.%Y}"
        notice_send(
            recipients=[substitute],
            kind=Notice.Kind.COVER,
            url=reverse("staffing:covers"),
            text=_("Zastępstwo %(period)s: prowadzisz sprawy pracownika %(absent)s.")
            % {"period": period, "absent": absent},
        )
    _forget_covers(by, absent, substitute)
    return cover


def cover_end(*, cover: Cover, by: User, on: datetime.date | None = None, version: int | None = None) -> Cover:
    """Cut a cover short (the worker came back): it ends yesterday, or is cancelled if it had not
    begun. History keeps what was set."""
    today = on or timezone.localdate()
    with transaction.atomic():
        locked = record_lock(
            Cover,
            cover.pk,
            expected_version=version,
            stale=_("Zastępstwo zostało w międzyczasie zmienione. Odśwież stronę."),
            ask=lambda row: _may_change(by, row),
        )
        if locked.cancelled_at is not None or locked.ends_on < today:
            raise DomainError(_("To zastępstwo już się zakończyło."))
        if locked.starts_on >= today:
            locked.cancelled_at = timezone.now()
            locked.cancelled_by = by
        else:
            locked.ends_on = today - datetime.timedelta(days=1)
        record_save(locked, by=by, bump_version=True)
    _forget_covers(by)
    return locked


def _may_change(by: User, cover: Cover) -> None:
    if not policy.user_may_set_cover(by, cover.absent):
        raise NotAllowed(policy.cover_refusal())
