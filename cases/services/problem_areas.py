"""An institution's own problem areas (issue 18.2, kept on the settings pages of issue 19): added,
taken out of use and back – never deleted, since diagnoses name them by code. The Act's
areas (``cases.problem_areas.COMMON``) are the law and nobody's to change."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cases.models import ProblemArea
from cases.problem_areas import COMMON
from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.models import User
from mopr.records import record_lock, record_save
from mopr.text import fold


def _may(by: User) -> None:
    if not policy.user_may_configure_institution(by):
        raise NotAllowed(_("Obszary problemowe ośrodka ustala dyrektor lub administrator systemu."))


def _taken(by: User, name: str) -> bool:
    """The name is the Act's or already one of the centre's (letters and case aside)."""
    folded = fold(name).casefold()
    if any(fold(common).casefold() == folded for _code, common, _basis in COMMON):
        return True
    own = ProblemArea.objects.filter(institution_id=by.institution_id).values_list("name", flat=True)
    return any(fold(other).casefold() == folded for other in own)


def problem_area_add(*, by: User, name: str) -> ProblemArea:
    _may(by)
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Podaj nazwę obszaru."))
    if _taken(by, name):
        raise DomainError(_("Taki obszar już jest na liście – ustawowy albo ośrodka."))
    base = (slugify(fold(name)) or "obszar")[:30]
    with transaction.atomic():
        n = 1
        code = f"own-{base}"
        while ProblemArea.objects.filter(institution_id=by.institution_id, code=code).exists():
            n += 1
            code = f"own-{base}-{n}"
        area = ProblemArea(institution_id=by.institution_id, code=code, name=name, position=1000 + n)
        try:
            with transaction.atomic():
                record_save(area, by=by)
        except IntegrityError as error:  # two added the same at once: the database's unique code
            raise DomainError(_("Taki obszar dodano przed chwilą – odśwież stronę.")) from error
    return area


def problem_area_set_active(*, by: User, area_id: int, active: bool) -> ProblemArea:
    """Take a centre's own area out of use (diagnoses keep naming it) or back into use."""
    _may(by)
    with transaction.atomic():
        area = record_lock(
            ProblemArea.objects.filter(institution_id=by.institution_id), area_id, expected_version=None, stale=""
        )
        area.active = active
        record_save(area, by=by)
    return area
