from django.contrib import admin

from .models import AuditChain, AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be edited or deleted through the application (docs/decisions/018)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "agency", "action", "target_type", "target_id", "from_state", "to_state"]
    list_filter = ["action", "agency"]
    search_fields = ["target_id", "note"]
    date_hierarchy = "at"
    readonly_fields = ["at", "actor", "agency", "target_type", "target_id", "action", "from_state", "to_state",
                       "note", "data", "chain", "seq", "prev_hash", "hash"]


@admin.register(AuditChain)
class AuditChainAdmin(ReadOnlyAdmin):
    list_display = ["key", "length", "head"]
