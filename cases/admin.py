"""Case data in the admin is read-only: every change goes through cases.services, which keeps
the procedure's rules, the versions and the history. The transition log is append-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import Case, Client, Report, StageTransition


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
