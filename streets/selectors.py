"""Reads of the streets app: the region of an address (intake routing), the centre's regions with
their ranges, the streets no region serves."""

from __future__ import annotations

import re

from django.db.models import Count, Q, QuerySet

from mopr.models import Institution, Region
from streets.models import Street, StreetRange, StreetSource, street_keys

_LEADING_DIGITS = re.compile(r"\s*(\d{1,9})")


def house_number_value(house_number: str) -> int | None:
    """The number that decides a split street: the leading digits ("12A" → 12, "7/3" → 7)."""
    found = _LEADING_DIGITS.match(house_number or "")
    return int(found.group(1)) if found else None


def streets_named(*, institution: Institution | int, street: str) -> list[Street]:
    """The centre's streets a typed name means, the likeliest first found: as typed, then without
    "ul."/"al."/…; the whole name ("Mikołaja Kopernika") before NAZWA_1 alone ("Kopernika")."""
    keys = street_keys(street)
    if not keys:
        return []
    institution_id = institution if isinstance(institution, int) else institution.pk
    found = list(Street.objects.filter(institution_id=institution_id).filter(Q(full_key__in=keys) | Q(key__in=keys)))
    for key in keys:
        for field in ("full_key", "key"):
            tier = [s for s in found if getattr(s, field) == key]
            if tier:
                return tier
    return []


def region_for_address(*, institution: Institution, street: str, house_number: str = "") -> Region | None:
    """The region that serves this address, or None where the table does not decide it – a street
    it does not know, a street no region serves, a split street without a number or with a number
    outside every range, a name meaning streets of different regions: the coordinator routes
    those by hand (cases.services.case.report_region)."""
    streets = streets_named(institution=institution, street=street)
    if not streets:
        return None
    number = house_number_value(house_number)
    ranges = StreetRange.objects.filter(street__in=streets).select_related("region")
    regions = {r.region_id: r.region for r in ranges if r.covers(number)}
    return next(iter(regions.values())) if len(regions) == 1 else None


def regions_of(institution: Institution | int) -> QuerySet[Region]:
    """The centre's regions with the number of their ranges."""
    institution_id = institution if isinstance(institution, int) else institution.pk
    return (
        Region.objects.filter(institution_id=institution_id).annotate(n_ranges=Count("street_ranges")).order_by("code")
    )


def ranges_of(region: Region) -> QuerySet[StreetRange]:
    return (
        StreetRange.objects.filter(region=region)
        .select_related("street")
        .order_by("street__key", "street__full_key", "number_from", "parity", "pk")
    )


def streets_of(institution: Institution | int) -> QuerySet[Street]:
    institution_id = institution if isinstance(institution, int) else institution.pk
    return Street.objects.filter(institution_id=institution_id)


def streets_without_region(institution: Institution | int) -> QuerySet[Street]:
    """Streets no region serves even in part: a report from them waits for a chosen region's coordinator."""
    return streets_of(institution).filter(ranges__isnull=True)


def streets_gone(institution: Institution | int) -> QuerySet[Street]:
    """Streets the newest TERYT file no longer has, kept because a region still names them."""
    return streets_of(institution).filter(in_teryt=False).prefetch_related("ranges__region")


def source_of(institution: Institution | int) -> StreetSource | None:
    institution_id = institution if isinstance(institution, int) else institution.pk
    return StreetSource.objects.filter(institution_id=institution_id).first()
