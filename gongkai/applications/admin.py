from django.contrib import admin

from .models import Application


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["id", "agency", "applicant_type", "channel", "received_on", "outcome", "concluded_on"]
    list_filter = ["applicant_type", "channel", "outcome", "agency"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["agency"]
