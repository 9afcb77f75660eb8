"""Two client records of one person made one (issue 16.3). A PESEL is unique in the institution
now, but records made before – or under a mistyped number – remain: a coordinator merges them.
The cases of the second record move to the kept one, its members who are not the kept record's
people join it; the second record stays, marked as merged, so its numbers are still found (the
intake's search and the case list lead to the kept record) and its history is whole."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case, Client, ClientMember, ClientMerge, Relation
from cases.procedure import Stage
from cases.services.case import client_refresh_search
from mopr import policy
from mopr.errors import DomainError, NotAllowed
from mopr.models import User
from mopr.records import record_save
from mopr.text import fold


def _same_person(a: ClientMember, b: ClientMember) -> bool:
    """The two heads are the person the merge is about; anyone else by the same PESEL, or by the
    same name and birth date (a mistyped number)."""
    if a.is_head and b.is_head:
        return True
    if a.pesel and a.pesel == b.pesel:
        return True
    names = fold(f"{a.first_name} {a.last_name}") == fold(f"{b.first_name} {b.last_name}")
    return names and a.birth_date is not None and a.birth_date == b.birth_date


def client_merge(*, case: Case, other_case: Case, by: User, reason: str) -> ClientMerge:
    """Merge the client of ``other_case`` into the client of ``case`` (the record kept)."""
    if not reason.strip():
        raise DomainError(_("Podaj powód połączenia rekordów."), field="reason")
    with transaction.atomic():
        ids = sorted({case.client_id, other_case.client_id})
        if len(ids) == 1:
            raise DomainError(_("To ten sam rekord klienta."), field="other_case")
        locked = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        keep, merge = locked[case.client_id], locked[other_case.client_id]
        if not policy.user_may_merge_clients(by, keep, merge):
            raise NotAllowed(policy.merge_refusal())
        open_stages = Stage.open_stages()
        if keep.cases.filter(stage__in=open_stages).exists() and merge.cases.filter(stage__in=open_stages).exists():
            raise DomainError(
                _("Oba rekordy mają otwarte sprawy – najpierw zakończ jedną z nich (klient ma jedną otwartą sprawę)."),
                field="other_case",
            )
        moved_cases = []
        for moved in Case.objects.select_for_update().filter(client=merge).order_by("pk"):
            moved.client = keep
            record_save(moved, by=by, bump_version=True)
            moved_cases.append(moved.number)
        kept_people = list(keep.members.all())
        joined = []
        for member in merge.members.all().order_by("pk"):
            if any(_same_person(member, k) for k in kept_people):
                continue  # the same person: stays on the merged record, its number still found
            member.client = keep
            if member.is_head:
                member.is_head, member.relation = False, Relation.OTHER
            record_save(member, by=by, bump_version=True)
            joined.append(member.full_name)
        merge.merged_into = keep
        record_save(merge, by=by, bump_version=True)
        record_save(keep, by=by, bump_version=True)
        client_refresh_search(client=keep)
        summary = _("Sprawy przeniesione: %(cases)s. Dołączone osoby: %(people)s.") % {
            "cases": ", ".join(moved_cases) or "—",
            "people": ", ".join(joined) or "—",
        }
        return ClientMerge.objects.create(
            case=case, kept=keep, merged=merge, by=by, reason=reason.strip(), summary=summary
        )
