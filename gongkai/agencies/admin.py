from django.contrib import admin

from .models import Agency, Membership, Region, Supervision, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "path"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "organisation_code"]
    list_filter = ["region"]
    search_fields = ["name", "code", "organisation_code"]
    inlines = [UnitInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "unit", "role"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "agency__name"]
    autocomplete_fields = ["agency"]


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ["user", "region"]
