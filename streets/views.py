"""The centre's regions and their streets (issue 19.3), beside *Ustawienia ośrodka*: the regions
(code, name), the parts of streets each serves, the streets from TERYT ULIC. Thin: the policy
first (the director, the system administrator; 403 for anyone else), a form, one service, its
refusal shown at the field. Another centre's region is not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mopr import policy
from mopr.errors import DomainError
from mopr.models import Region
from streets import selectors, services
from streets.forms import RegionForm, StreetForm, StreetRangeForm, TerytImportForm
from streets.models import StreetRange

# The longest lists a page shows in full (a municipality has hundreds of streets).
SHOWN = 300


def _configurer(request) -> None:
    if not policy.user_may_configure_institution(request.user):
        raise PermissionDenied(_("Rejony i ich ulice ustala dyrektor lub administrator systemu."))


def _refused(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _region(request, pk: int) -> Region:
    return get_object_or_404(Region, pk=pk, institution_id=request.user.institution_id)


@require_http_methods(["GET", "POST"])
def regions(request):
    """The regions, the streets no region serves, the streets gone from TERYT; a street by hand."""
    _configurer(request)
    institution = request.user.institution
    form, status = StreetForm(request.POST or None), 200
    if request.method == "POST":
        if form.is_valid():
            try:
                street = services.street_add(by=request.user, name=form.cleaned_data["name"], request=request)
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Dodano ulicę: %(street)s.") % {"street": street.display_name})
                return redirect("streets:regions")
        status = 422
    unserved = selectors.streets_without_region(institution)
    context = {
        "regions": selectors.regions_of(institution),
        "source": selectors.source_of(institution),
        "n_streets": selectors.streets_of(institution).count(),
        "unserved": unserved[:SHOWN],
        "n_unserved": unserved.count(),
        "gone": selectors.streets_gone(institution),
        "form": form,
    }
    return render(request, "streets/regions.html", context, status=status)


@require_http_methods(["GET", "POST"])
def region_new(request):
    _configurer(request)
    return _region_form(request, None)


@require_http_methods(["GET", "POST"])
def region_edit(request, pk: int):
    _configurer(request)
    return _region_form(request, _region(request, pk))


def _region_form(request, region: Region | None):
    initial = {"code": region.code, "name": region.name} if region else {}
    form, status = RegionForm(request.POST or None, initial=initial), 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.region_save(
                    by=request.user, region_id=region.pk if region else None, request=request, **form.cleaned_data
                )
            except Region.DoesNotExist as missing:
                raise Http404 from missing
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Zapisano rejon %(code)s.") % {"code": saved.code})
                return redirect("streets:region_ranges", pk=saved.pk) if region is None else redirect("streets:regions")
        status = 422
    return render(request, "streets/region_form.html", {"form": form, "region": region}, status=status)


@require_http_methods(["GET", "POST"])
def region_ranges(request, pk: int):
    """The parts of streets the region serves: added (a street by its name, which numbers) and removed."""
    _configurer(request)
    region = _region(request, pk)
    adding = request.method == "POST" and request.POST.get("action") == "add"
    form, status, error = StreetRangeForm(request.POST if adding else None), 200, None
    if request.method == "POST":
        try:
            if adding:
                _range_add(request, region, form)
                return redirect("streets:region_ranges", pk=region.pk)
            if request.POST.get("action") == "remove":
                range_id = request.POST.get("range", "")
                if not range_id.isdigit() or len(range_id) > 18:
                    raise DomainError(_("Nie wskazano zakresu do usunięcia."))
                removed = services.street_range_remove(by=request.user, range_id=int(range_id), request=request)
                messages.success(request, _("Usunięto: %(range)s.") % {"range": removed})
                return redirect("streets:region_ranges", pk=region.pk)
            raise DomainError(_("Nie rozpoznano polecenia – odśwież stronę i spróbuj jeszcze raz."))
        except StreetRange.DoesNotExist as missing:
            raise Http404 from missing
        except DomainError as refused:
            if adding:
                _refused(form, refused)
            else:
                error = refused.message
            status = 422
    context = {
        "region": region,
        "ranges": selectors.ranges_of(region),
        "form": form,
        "error": error,
        "street_names": sorted({s.display_name for s in selectors.streets_of(request.user.institution_id)}),
    }
    return render(request, "streets/region_ranges.html", context, status=status)


def _range_add(request, region: Region, form: StreetRangeForm) -> None:
    """The typed street resolved to one of the centre's streets, then the service; a refusal raised."""
    if not form.is_valid():
        raise DomainError(_("Popraw zaznaczone pola – niczego nie zapisano."))
    typed = form.cleaned_data["street"]
    found = selectors.streets_named(institution=request.user.institution_id, street=typed)
    if not found:
        raise DomainError(
            _("Nie ma takiej ulicy na liście ośrodka – zaimportuj TERYT ULIC albo dodaj ją na liście rejonów."),
            field="street",
        )
    if len(found) > 1:
        names = ", ".join(s.display_name for s in found[:5])
        raise DomainError(
            _("Kilka ulic ma tę nazwę (%(names)s) – wpisz pełną nazwę.") % {"names": names}, field="street"
        )
    added = services.street_range_add(
        by=request.user, region_id=region.pk, street_id=found[0].pk, parity=form.cleaned_data["parity"],
        number_from=form.cleaned_data["number_from"], number_to=form.cleaned_data["number_to"], request=request,
    )  # fmt: skip
    messages.success(request, _("Rejon %(region)s: dodano %(range)s.") % {"region": region.code, "range": added})


@require_http_methods(["GET", "POST"])
def teryt_import(request):
    """The municipality's streets from GUS's file; the page shows what the import did."""
    _configurer(request)
    source = selectors.source_of(request.user.institution)
    initial = {"gmina_code": source.gmina_code} if source and source.gmina_code else {}
    form = TerytImportForm(request.POST or None, request.FILES or None, initial=initial)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > services.teryt.MAX_BYTES:
                    raise DomainError(_("Plik jest za duży jak na rejestr ULIC."), field="file")
                result = services.street_import(
                    by=request.user, gmina_code=form.cleaned_data["gmina_code"], data=upload.read(), request=request
                )
            except DomainError as error:
                _refused(form, error)
                status = 422
            else:
                source = selectors.source_of(request.user.institution)
        else:
            status = 422
    context = {"form": form, "result": result, "source": source, "shown": SHOWN}
    return render(request, "streets/teryt_import.html", context, status=status)
