"""The centre's accounts and roles (issue 19.2): the list, a new account, and an account's page –
its roles, switching it off (after its cases are handed over) or on, and removing a lost second
factor. For the director and the system administrator; each change in the access log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mopr import policy, selectors, services
from mopr.errors import DomainError, StaleVersionError
from mopr.forms import StaffDataForm, StaffNewForm, StaffRolesForm
from mopr.models import Region, RoleAssignment

REFUSED = _("Konta pracowników prowadzi dyrektor lub administrator systemu.")


def _may(request) -> None:
    if not policy.user_may_manage_staff(request.user):
        raise PermissionDenied(REFUSED)


def staff_list(request):
    _may(request)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    people = (
        policy.staff_visible_to(request.user)
        .prefetch_related(Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("region")))
        .order_by("-is_active", "last_name", "first_name")
    )
    # Only the devices of the accounts shown (the policy's queryset), one query.
    with_device = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=policy.staff_visible_to(request.user)).values_list(
            "user_id", flat=True
        )
    )
    rows = [(person, person.pk in with_device) for person in people]
    return render(request, "mopr/staff_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def staff_new(request):
    _may(request)
    form = StaffNewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k not in ("password1", "password2")}
            try:
                user = services.staff_create(
                    by=request.user, values=values, password=form.cleaned_data["password1"], request=request
                )
            except DomainError as error:
                form.add_error("password1" if "hasło" in error.message.lower() else None, error.message)
            else:
                messages.success(request, _("Utworzono konto %(login)s. Nadaj mu role.") % {"login": user.username})
                return redirect("staff_detail", pk=user.pk)
        status = 422
    return render(request, "mopr/staff_new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def staff_detail(request, pk: int):
    _may(request)
    person = get_object_or_404(policy.staff_visible_to(request.user), pk=pk)
    regions = list(Region.objects.filter(institution_id=request.user.institution_id).order_by("code"))
    current = list(person.role_assignments.all())
    initial = {
        "centre_roles": [a.role for a in current if a.region_id is None],
        "social_worker": [str(a.region_id) for a in current if a.role == "social_worker" and a.region_id],
        "coordinator": [str(a.region_id) for a in current if a.role == "coordinator" and a.region_id],
    }
    action = request.POST.get("action") if request.method == "POST" else None
    form = StaffRolesForm(request.POST if action == "roles" else None, regions=regions, initial=initial)
    data_form = StaffDataForm(
        request.POST if action == "data" else None,
        instance=person,
        initial={"loaded": services.staff_data_fingerprint(person)},
    )
    status = 200
    try:
        if action == "data" and data_form.is_valid():
            values = {name: data_form.cleaned_data[name] for name in services.STAFF_DATA_FIELDS}
            try:
                changes = services.staff_data_save(
                    by=request.user, user=person, values=values, loaded=data_form.cleaned_data["loaded"],
                    request=request,
                )  # fmt: skip
            except StaleVersionError as error:
                # What was typed stays in the form; the message says what is saved now, and the next
                # save (a deliberate one) is measured against it.
                person.refresh_from_db()
                saved = "; ".join(
                    f"{person._meta.get_field(name).verbose_name}: {getattr(person, name) or '–'}"
                    for name in services.STAFF_DATA_FIELDS
                )
                data_form.data = data_form.data.copy()
                data_form.data["loaded"] = services.staff_data_fingerprint(person)
                data_form.add_error(None, f"{error.message} {_('Zapisane teraz')}: {saved}.")
                status = 409
            else:
                messages.success(request, _("Zapisano dane konta.") if changes else _("Nic nie zmieniono."))
                return redirect("staff_detail", pk=person.pk)
        if action == "roles" and form.is_valid():
            changes = services.staff_roles_set(
                by=request.user, user=person, centre_roles=set(form.cleaned_data["centre_roles"]),
                regions=form.regions(), request=request,
            )  # fmt: skip
            messages.success(request, _("Zapisano role.") if changes else _("Nic nie zmieniono."))
            return redirect("staff_detail", pk=person.pk)
        if action in ("deactivate", "activate"):
            services.staff_active_set(by=request.user, user=person, active=action == "activate", request=request)
            messages.success(request, _("Konto włączone.") if action == "activate" else _("Konto wyłączone."))
            return redirect("staff_detail", pk=person.pk)
        if action == "otp_reset":
            services.staff_second_factor_reset(by=request.user, user=person, request=request)
            messages.success(request, _("Usunięto drugi składnik – przy następnym logowaniu pracownik ustawi nowy."))
            return redirect("staff_detail", pk=person.pk)
        if request.method == "POST" and status == 200:
            if action not in ("roles", "data"):  # the forms say their own errors at their fields
                messages.error(request, _("Nie rozpoznano czynności – odśwież stronę i spróbuj ponownie."))
            status = 422
    except DomainError as error:
        messages.error(request, error.message)
        status = 422
    trace = selectors.staff_changes(user=request.user, person=person)
    context = {"person": person, "form": form, "data_form": data_form, "trace": trace}
    return render(request, "mopr/staff_detail.html", context, status=status)
