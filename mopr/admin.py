"""The administrator's screens for the organisation: institutions, regions, users, roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite
from simple_history.admin import SimpleHistoryAdmin

from mopr.models import AccessLog, Institution, Region, RoleAssignment, User

# The admin reaches every record: it opens only to a session that gave the second factor
# (django-otp's site; the login form asks for the code too). Issue 14.8.
admin.site.__class__ = OTPAdminSite


class RegionInline(admin.TabularInline):
    model = Region
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "city"]
    inlines = [RegionInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "institution"]
    list_filter = ["institution"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Ośrodek"), {"fields": ("institution", "title")}))
    list_display = ["username", "first_name", "last_name", "institution", "is_active"]
    list_filter = ["institution", "is_active", "role_assignments__role"]
    inlines = [RoleInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "region"]
    list_filter = ["role", "region"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The access log is append-only, in the admin too."""

    list_display = ["at", "user", "username", "action", "what", "case", "client", "address"]
    list_filter = ["action", "institution"]
    search_fields = ["username", "what", "case__number", "address"]
    list_select_related = ["user", "case", "client"]
    date_hierarchy = "at"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
