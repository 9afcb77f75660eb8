"""Read-only: the centre's streets and ranges change through the application's pages (the policy,
the overlap check under the street's lock, the access log), never here."""

from django.contrib import admin

from streets.models import Street, StreetRange


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Street)
class StreetAdmin(ReadOnly):
    list_display = ["__str__", "sym", "sym_ul", "stan_na", "in_teryt", "institution"]
    list_filter = ["institution", "in_teryt"]
    search_fields = ["nazwa_1", "nazwa_2", "sym_ul"]


@admin.register(StreetRange)
class StreetRangeAdmin(ReadOnly):
    list_display = ["street", "region", "parity", "number_from", "number_to"]
    list_filter = ["region__institution", "region"]
