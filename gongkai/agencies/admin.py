from django.contrib import admin

from .models import Agency, CalendarDay, Membership, Region, Supervision, Unit


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


class CalendarYearFilter(admin.SimpleListFilter):
    """Filter by year: the schedule is announced and entered one year at a time."""

    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("day", "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(day__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "weekday", "is_working_day", "name"]
    list_filter = [CalendarYearFilter, "is_working_day"]
    search_fields = ["name", "day"]
    date_hierarchy = "day"

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return "一二三四五六日"[obj.day.weekday()]
