"""Admin: citizen reports, their decisions and village corrections, read only (decide and
correct in the moderation queue, which records who did it and keeps the evidence in step)."""

from django.contrib import admin

from jangkau.reports.models import CitizenReport, ModerationDecision, VillageCorrection


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DecisionInline(ReadOnlyInline):
    model = ModerationDecision
    fields = ["decided_at", "previous_state", "state", "moderator", "reason"]
    readonly_fields = fields


class CorrectionInline(ReadOnlyInline):
    model = VillageCorrection
    fields = ["corrected_at", "previous_village", "village", "moderator", "reason", "distance_m"]
    readonly_fields = fields


@admin.register(CitizenReport)
class CitizenReportAdmin(ReadOnlyAdmin):
    list_display = ["reference", "village", "answer", "operator", "state", "submitted_at"]
    list_filter = ["state", "answer", "operator", "channel"]
    search_fields = ["reference", "village__code", "village__name"]
    inlines = [DecisionInline, CorrectionInline]


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(ReadOnlyAdmin):
    list_display = ["report", "previous_state", "state", "moderator", "decided_at"]
    list_filter = ["state"]


@admin.register(VillageCorrection)
class VillageCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["report", "previous_village", "village", "moderator", "corrected_at"]
