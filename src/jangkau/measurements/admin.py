from django.contrib import admin

from jangkau.measurements.models import (
    ImportRun,
    OoklaTile,
    SignalReading,
    SpeedTest,
    VillageSurvey,
)


@admin.register(SpeedTest)
class SpeedTestAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "village",
        "measured_at",
        "download_mbps",
        "upload_mbps",
        "latency_ms",
        "operator",
        "technology",
        "tool",
    ]
    list_filter = ["tool", "operator", "technology", "quality"]
    search_fields = ["key", "test_id", "village__code", "village__name", "source"]
    raw_id_fields = ["village"]
    readonly_fields = ["created", "updated"]
    date_hierarchy = "measured_at"


@admin.register(SignalReading)
class SignalReadingAdmin(admin.ModelAdmin):
    list_display = ["key", "village", "measured_at", "operator", "technology", "rsrp_dbm", "bars"]
    list_filter = ["operator", "technology", "quality"]
    search_fields = ["key", "reading_id", "village__code", "village__name", "device"]
    raw_id_fields = ["village"]
    readonly_fields = ["created", "updated"]
    date_hierarchy = "measured_at"


@admin.register(VillageSurvey)
class VillageSurveyAdmin(admin.ModelAdmin):
    list_display = [
        "village",
        "survey_kind",
        "survey_date",
        "phone_signal",
        "internet_signal",
        "bts_count",
        "operator_count",
        "quality",
    ]
    list_filter = ["survey_kind", "phone_signal", "internet_signal", "quality"]
    search_fields = ["key", "village__code", "village__name", "surveyor"]
    raw_id_fields = ["village"]
    readonly_fields = ["created", "updated"]


@admin.register(OoklaTile)
class OoklaTileAdmin(admin.ModelAdmin):
    list_display = ["quadkey", "period", "network", "village", "avg_d_kbps", "tests", "devices"]
    list_filter = ["network", "period"]
    search_fields = ["quadkey", "village__code", "village__name"]
    raw_id_fields = ["village"]
    readonly_fields = ["created", "updated"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "file_name", "user", "state", "rows", "error_count"]
    list_filter = ["kind", "state"]
    search_fields = ["file_name", "sha256", "user__username"]
    readonly_fields = [
        "kind",
        "file_name",
        "file_size",
        "sha256",
        "stored_path",
        "options",
        "crs",
        "language",
        "user",
        "state",
        "rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "skipped_count",
        "error_count",
        "errors",
        "message",
        "progress",
        "recompute_progress",
        "created",
        "finished",
    ]
