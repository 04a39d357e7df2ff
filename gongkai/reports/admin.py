from django.contrib import admin

from .models import AdministrativeFigures, AnnualReport, AnnualReportVersion


@admin.register(AdministrativeFigures)
class AdministrativeFiguresAdmin(admin.ModelAdmin):
    list_display = ["agency", "year", "licensing_decisions", "penalty_decisions", "coercion_decisions", "fees_amount"]
    list_filter = ["year", "agency"]
    autocomplete_fields = ["agency"]


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    """The sign-off fields change only through the staff page's steps (audited), never here."""

    list_display = ["agency", "year", "status", "has_snapshot"]
    list_filter = ["year", "status", "agency"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["snapshot", "status", "submitted_at", "submitted_by", "approved_at", "approved_by",
                       "correction_reason"]

    @admin.display(boolean=True, description="已冻结")
    def has_snapshot(self, obj):
        return obj.snapshot is not None


@admin.register(AnnualReportVersion)
class AnnualReportVersionAdmin(admin.ModelAdmin):
    """Published versions are a record of what was published: read only."""

    list_display = ["report", "number", "published_at", "published_by", "imported", "reason"]
    list_filter = ["imported", "report__year"]
    search_fields = ["report__agency__name", "reason", "source_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
