"""Admin for the monitoring app. Agent tokens are shown once, in the message after saving."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jangkau.monitoring.models import (
    Agent,
    AlertLog,
    AlertRule,
    GateChange,
    GateState,
    Outage,
    ProbeResult,
    ProbeTarget,
    ResultRollup,
    RollupCursor,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the ingest API or the rollup task: viewable, not editable."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "village",
        "last_seen",
        "last_backlog",
        "version",
        "token_prefix",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "village__name", "village__code"]
    raw_id_fields = ["village"]
    readonly_fields = [
        "token_prefix",
        "created",
        "last_seen",
        "last_backlog",
        "last_address",
        "version",
        "accepted_total",
        "rejected_total",
        "revoked_at",
    ]
    exclude = ["token_hash"]
    actions = ["issue_new_token", "revoke_token"]

    def save_model(self, request, obj, form, change):
        token = None if change else obj.issue_token()
        super().save_model(request, obj, form, change)
        if token:
            messages.warning(
                request,
                _("Token of agent %(name)s (shown once, copy it now): %(token)s")
                % {"name": obj.name, "token": token},
            )

    @admin.action(description=_("Issue a new token (the old one stops working)"))
    def issue_new_token(self, request, queryset):
        for agent in queryset:
            token = agent.issue_token()
            agent.save(update_fields=["token_hash", "token_prefix", "revoked_at"])
            messages.warning(
                request,
                _("New token of agent %(name)s (shown once): %(token)s")
                % {"name": agent.name, "token": token},
            )

    @admin.action(description=_("Revoke the token"))
    def revoke_token(self, request, queryset):
        n = 0
        for agent in queryset.filter(revoked_at__isnull=True):
            agent.revoke()
            n += 1
        messages.success(request, ngettext("%d agent revoked.", "%d agents revoked.", n) % n)


@admin.register(ProbeTarget)
class ProbeTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "address", "port", "village", "interval_s", "enabled"]
    list_filter = ["kind", "enabled", "subject_kind", "village__district"]
    search_fields = ["name", "address", "village__name", "village__code", "subject_code"]
    raw_id_fields = ["village"]
    filter_horizontal = ["agents"]


@admin.register(ProbeResult)
class ProbeResultAdmin(ReadOnlyAdmin):
    list_display = ["ts", "target", "agent", "ok", "latency_ms", "loss_pct", "error"]
    list_filter = ["ok"]
    search_fields = ["uuid", "target__name"]
    show_full_result_count = False
    list_select_related = ["target", "agent"]


@admin.register(ResultRollup)
class ResultRollupAdmin(ReadOnlyAdmin):
    list_display = [
        "target",
        "width_s",
        "bucket_start_at",
        "count",
        "successes",
        "latency_count",
        "packets_sent",
        "packets_lost",
    ]
    list_filter = ["width_s"]
    show_full_result_count = False
    list_select_related = ["target"]


@admin.register(RollupCursor)
class RollupCursorAdmin(ReadOnlyAdmin):
    list_display = ["name", "purged_before", "running_since", "last_run_at"]


@admin.register(Outage)
class OutageAdmin(ReadOnlyAdmin):
    list_display = ["target", "start", "end", "duration_s"]
    list_filter = ["target__village__district"]
    search_fields = ["target__name", "target__village__name"]
    list_select_related = ["target"]


@admin.register(GateState)
class GateStateAdmin(ReadOnlyAdmin):
    list_display = [
        "level",
        "village",
        "district",
        "status",
        "availability_pct",
        "loss_pct",
        "p95_ms",
        "coverage_pct",
        "since",
        "evaluated_at",
    ]
    list_filter = ["level", "status"]


@admin.register(GateChange)
class GateChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "level", "village", "district", "previous_status", "status"]
    list_filter = ["level", "status"]


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "channel",
        "destination",
        "events",
        "quiet_start",
        "quiet_end",
        "enabled",
    ]
    list_filter = ["channel", "enabled"]
    raw_id_fields = ["village", "district"]


@admin.register(AlertLog)
class AlertLogAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "rule",
        "event",
        "subject_label",
        "status",
        "attempts",
        "sent_at",
        "http_status",
        "error",
    ]
    list_filter = ["status", "event", "rule"]
    search_fields = ["subject_key", "subject_label", "message"]
