"""Admin: citizen reports and their decisions, read only (decide in the moderation queue, which
records who decided and turns approvals into evidence)."""

from django.contrib import admin

from jangkau.reports.models import CitizenReport, ModerationDecision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DecisionInline(admin.TabularInline):
    model = ModerationDecision
    extra = 0
    can_delete = False
    fields = ["decided_at", "previous_state", "state", "moderator", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CitizenReport)
class CitizenReportAdmin(ReadOnlyAdmin):
    list_display = ["reference", "village", "answer", "operator", "state", "submitted_at"]
    list_filter = ["state", "answer", "operator", "channel"]
    search_fields = ["reference", "village__code", "village__name"]
    inlines = [DecisionInline]


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(ReadOnlyAdmin):
    list_display = ["report", "previous_state", "state", "moderator", "decided_at"]
    list_filter = ["state"]
