from django.contrib import admin

from .models import AdministrativeFigures, AnnualReport


@admin.register(AdministrativeFigures)
class AdministrativeFiguresAdmin(admin.ModelAdmin):
    list_display = ["agency", "year", "licensing_decisions", "penalty_decisions", "coercion_decisions", "fees_amount"]
    list_filter = ["year", "agency"]
    autocomplete_fields = ["agency"]


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["agency", "year", "has_snapshot"]
    list_filter = ["year", "agency"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["snapshot"]

    @admin.display(boolean=True, description="已冻结")
    def has_snapshot(self, obj):
        return obj.snapshot is not None
