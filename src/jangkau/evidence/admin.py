from django.contrib import admin

from jangkau.evidence.models import Evidence, VillageStatus, VillageStatusChange


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["key", "village", "kind", "operator", "status", "as_of", "quality"]
    list_filter = ["kind", "status", "operator", "quality"]
    search_fields = ["key", "village__code", "village__name", "source"]
    raw_id_fields = ["village"]


@admin.register(VillageStatus)
class VillageStatusAdmin(admin.ModelAdmin):
    list_display = ["village", "operator", "status", "as_of", "confidence", "needs_review"]
    list_filter = ["status", "operator", "needs_review"]
    search_fields = ["village__code", "village__name"]
    readonly_fields = ["computed_at"]


@admin.register(VillageStatusChange)
class VillageStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["village", "operator", "previous_status", "status", "as_of", "changed_at"]
    list_filter = ["status", "operator"]
    search_fields = ["village__code", "village__name"]
