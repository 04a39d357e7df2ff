from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .letters.defaults import VARIABLES, default_body, default_title
from .letters.kinds import LetterKind
from .models import Application, LetterSettings, LetterTemplate


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["id", "agency", "applicant_type", "channel", "received_on", "outcome", "concluded_on"]
    list_filter = ["applicant_type", "channel", "outcome", "agency"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["agency"]


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    list_display = ["agency", "letterhead", "number_prefix", "reconsideration_body", "court", "updated_at"]
    search_fields = ["agency__name", "letterhead"]
    autocomplete_fields = ["agency"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Agency texts for letters; a new one starts from the default text of its kind (?kind=…)."""

    list_display = ["agency", "kind", "title", "updated_at"]
    list_filter = ["kind", "agency"]
    search_fields = ["agency__name", "title", "body"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        (None, {"fields": ["agency", "kind", "title", "body"]}),
        ("可用变量", {
            "fields": [],
            "description": format_html(
                "<p>正文每一行为一个段落；只能使用 {{{{ 变量 }}}}、{{% if %}} 和 {{% for %}}。</p><ul>{}</ul>",
                format_html_join("", "<li><code>{{{{ {} }}}}</code>：{}</li>", VARIABLES.items())),
        }),
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        kind = request.GET.get("kind")
        if kind in LetterKind.values:
            initial.setdefault("title", default_title(kind))
            initial.setdefault("body", default_body(kind))
        return initial
