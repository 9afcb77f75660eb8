"""The problem areas a diagnosis names: the reasons of art. 7 of the Act on social assistance
(ustawa z dnia 12 marca 2004 r. o pomocy społecznej), in the order of the Act, and what an
institution adds for itself.

The Act's list is ``COMMON`` below – the law, read from the code (so no flushed test database and no
stray edit can lose it); migration 0026 also writes it as the rows of ``ProblemArea`` without an
institution, so that SQL reports see every area. An institution's own areas are rows with its
institution (added and taken out of use on *Obszary problemowe*, beside the centre's settings:
``cases/problem_area_views.py``, ``cases/services/problem_areas.py``), never with a common code.
"""

from __future__ import annotations

from collections.abc import Iterable

# code, name (as the diagnosis and the statistics print it), basis, position.
# Point 9 of the Act is one reason with two halves a diagnosis often names apart (the seed's
# teams do): two areas, both "art. 7 pkt 9". Point 10 was repealed.
COMMON: tuple[tuple[str, str, str], ...] = (
    ("poverty", "ubóstwo", "art. 7 pkt 1"),
    ("orphanhood", "sieroctwo", "art. 7 pkt 2"),
    ("homelessness", "bezdomność", "art. 7 pkt 3"),
    ("unemployment", "bezrobocie", "art. 7 pkt 4"),
    ("disability", "niepełnosprawność", "art. 7 pkt 5"),
    ("long_illness", "długotrwała lub ciężka choroba", "art. 7 pkt 6"),
    ("violence", "przemoc domowa", "art. 7 pkt 7"),
    ("human_trafficking", "potrzeba ochrony ofiar handlu ludźmi", "art. 7 pkt 7a"),
    ("maternity", "potrzeba ochrony macierzyństwa lub wielodzietności", "art. 7 pkt 8"),
    ("care_upbringing", "bezradność w sprawach opiekuńczo-wychowawczych", "art. 7 pkt 9"),
    ("household_helplessness", "bezradność w prowadzeniu gospodarstwa domowego", "art. 7 pkt 9"),
    ("foreigners_integration", "trudności w integracji cudzoziemców", "art. 7 pkt 11"),
    ("after_prison", "trudności w przystosowaniu do życia po zwolnieniu z zakładu karnego", "art. 7 pkt 12"),
    ("addiction", "alkoholizm lub narkomania", "art. 7 pkt 13"),
    ("random_event", "zdarzenie losowe i sytuacja kryzysowa", "art. 7 pkt 14"),
    ("natural_disaster", "klęska żywiołowa lub ekologiczna", "art. 7 pkt 15"),
    # Not a reason of the Act, but what the centres' diagnoses name (seed 000 III.1).
    ("housing", "trudne warunki mieszkaniowe", ""),
    # Last: the diagnosis says which in its own words (``Diagnosis.problem_other``).
    ("other", "inny problem", ""),
)
OTHER = "other"


def problem_areas_sync(*, model) -> None:
    """Make the common rows equal to ``COMMON`` (``model`` is the migration's historical model or
    ``ProblemArea``). Rows are never deleted: diagnoses name them."""
    for position, (code, name, basis) in enumerate(COMMON, start=1):
        model.objects.update_or_create(
            institution=None, code=code, defaults={"name": name, "legal_basis": basis, "position": position * 10}
        )


def problem_area_choices(*, institution_id: int | None) -> list[tuple[str, str]]:
    """The areas a diagnosis of the institution may name: the Act's (from ``COMMON``: the law, not
    an institution's to change) and the institution's own in use."""
    from cases.models import ProblemArea

    own = ProblemArea.objects.filter(institution_id=institution_id, active=True).values_list("code", "name")
    return [(code, name) for code, name, _basis in COMMON] + list(own)


def problem_area_names(*, institution_id: int | None, codes: Iterable[str] | None = None) -> dict[str, str]:
    """Code → name for the institution (those in ``codes`` only, when given); a code that is no
    longer in use keeps its name."""
    from cases.models import ProblemArea

    names = {code: name for code, name, _basis in COMMON}
    wanted = None if codes is None else [c for c in codes if c not in names]
    if wanted is None or wanted:
        rows = ProblemArea.objects.filter(institution_id=institution_id)
        if wanted:
            rows = rows.filter(code__in=wanted)
        names.update(rows.values_list("code", "name"))
    return names if codes is None else {c: names[c] for c in codes if c in names}


def latest_problem_areas():
    """The codes the case's latest diagnosis names (an expression on a ``Case`` queryset): the one
    rule the register's column and filter and the statistics' breakdown share."""
    from django.db.models import JSONField, OuterRef, Subquery

    from cases.models import Diagnosis

    latest = Diagnosis.objects.filter(case=OuterRef("pk")).order_by("-diagnosed_on", "-pk").values("problem_areas")
    return Subquery(latest[:1], output_field=JSONField())


def names_area(field: str, code: str) -> dict:
    """The filter "the codes in ``field`` (``latest_problem_areas`` annotated) include ``code``": the
    JSON list as text holds each code quoted, so '"poverty"' matches that code only."""
    return {f"{field}__icontains": f'"{code}"'}
