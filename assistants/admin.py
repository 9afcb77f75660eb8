"""Assistant records in the admin are read-only: every change goes through assistants.services."""

from django.contrib import admin

from assistants.models import Assignment, Request
from cases.admin import ReadOnlyAdmin


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["case", "path", "status", "requested_on"]
    list_filter = ["status", "path"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["case", "assistant", "qualified_on", "ended_on"]
