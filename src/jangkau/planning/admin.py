"""Admin: read-only views of cost tables and plans (both are changed only by the app).

A cost table version is never edited in place (plans point at it), and results are computed;
the admin shows them for support and lets scenarios be renamed or deleted.
"""

from django.contrib import admin

from jangkau.planning.models import CostItem, CostTable, PlanItem, PlanResult, Scenario


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CostItemInline(admin.TabularInline):
    model = CostItem
    extra = 0
    can_delete = False
    fields = ["item", "unit", "capex_idr", "opex_idr_per_year", "quality", "is_assumption"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CostTable)
class CostTableAdmin(ReadOnlyAdmin):
    list_display = ["version", "name", "is_default", "based_on", "created_by", "created"]
    inlines = [CostItemInline]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["name", "year_from", "year_to", "cost_table", "state", "created_by", "created"]
    list_filter = ["state"]
    search_fields = ["name"]
    readonly_fields = ["state", "progress", "created", "updated"]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    can_delete = False
    fields = ["village", "reason", "year", "kind", "backhaul_kind", "people_served"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PlanResult)
class PlanResultAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "scenario",
        "kind",
        "budget_scale",
        "status",
        "people_served",
        "total_spend",
        "cost_table",
        "created",
    ]
    list_filter = ["kind", "status"]
    inlines = [PlanItemInline]
