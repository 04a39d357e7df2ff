from django.contrib import admin

from .models import AppealCase


@admin.register(AppealCase)
class AppealCaseAdmin(admin.ModelAdmin):
    list_display = ["case_number", "agency", "kind", "filed_on", "decided_on", "result"]
    list_filter = ["kind", "result", "agency"]
    date_hierarchy = "filed_on"
    autocomplete_fields = ["agency"]
    raw_id_fields = ["application"]
