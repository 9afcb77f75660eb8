"""Case data in the admin is read-only: every change goes through cases.services, which keeps
the procedure's rules, the versions and the history. The transition log is append-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import Case, Client, ProblemArea, Report, StageTransition


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "client", "region", "worker", "stage", "reported_at"]
    list_filter = ["stage", "region", "urgent"]
    search_fields = ["number"]
    list_select_related = ["client", "region", "worker"]


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "city", "street"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["case", "received_at", "form", "received_by"]


@admin.register(StageTransition)
class StageTransitionAdmin(admin.ModelAdmin):
    list_display = ["case", "from_stage", "to_stage", "by", "at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProblemArea)
class ProblemAreaAdmin(SimpleHistoryAdmin):
    """An institution's own problem areas (the Act's, without an institution, are not edited: a
    migration writes them). The institution settings page (issue 19) will offer this in the app."""

    list_display = ["name", "code", "legal_basis", "institution", "active", "position"]
    list_filter = ["institution", "active"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.institution_id is not None

    def has_delete_permission(self, request, obj=None):
        return False  # diagnoses name it: put it out of use instead
