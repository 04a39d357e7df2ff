from django.contrib import admin

from .models import Concern, Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "agency", "kind", "subject", "status", "public"]
    list_filter = ["status", "kind", "agency"]
    search_fields = ["subject", "message"]
    date_hierarchy = "created_at"
    readonly_fields = ["answered_by", "answered_at", "created_at"]


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ["published_on", "agency", "question", "published"]
    list_filter = ["published", "agency"]
    search_fields = ["question", "answer"]
    date_hierarchy = "published_on"
    raw_id_fields = ["source"]
    readonly_fields = ["created_by", "created_at"]
