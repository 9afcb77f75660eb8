"""Contracts in the admin are read-only: every change goes through contracts.services."""

from django.contrib import admin

from cases.admin import ReadOnlyAdmin
from contracts.models import Contract, Declaration


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["case", "number", "kind", "status", "signed_on", "ended_on"]
    list_filter = ["status", "kind"]


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ["case", "full_name", "signed_on"]
