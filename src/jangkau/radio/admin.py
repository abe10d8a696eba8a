"""Admin of the coverage app: terrains, runs (read-mostly) and proposed sites."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jangkau.radio.models import CoverageRun, ProposedSite, Terrain, VillageCoverage

PROVENANCE = (
    _("Provenance"),
    {"fields": ["source", "source_url", "as_of", "as_of_label", "quality"]},
)


@admin.register(Terrain)
class TerrainAdmin(admin.ModelAdmin):
    list_display = ["name", "resolution_m", "is_coarse", "active", "crs_label", "created"]
    list_filter = ["active", "is_coarse"]
    readonly_fields = [
        "file_name",
        "sha256",
        "crs",
        "crs_label",
        "width",
        "height",
        "resolution_m",
        "west",
        "south",
        "east",
        "north",
        "imported_by",
        "created",
    ]
    fieldsets = [
        (None, {"fields": ["name", "active", "is_coarse", "band", "notes"]}),
        (_("File"), {"fields": readonly_fields}),
        PROVENANCE,
    ]


class VillageCoverageInline(admin.TabularInline):
    model = VillageCoverage
    extra = 0
    can_delete = False
    fields = [
        "village",
        "operator",
        "share_good",
        "share_weak",
        "people_covered_estimate",
        "best_site_code",
        "margin_db",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CoverageRun)
class CoverageRunAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "model",
        "resolution_m",
        "terrain_label",
        "n_sites",
        "state",
        "include_proposed",
        "requested_at",
        "published_at",
    ]
    list_filter = ["state", "model", "include_proposed"]
    readonly_fields = [f.name for f in CoverageRun._meta.fields]
    inlines = [VillageCoverageInline]

    def has_add_permission(self, request):
        return False


@admin.register(ProposedSite)
class ProposedSiteAdmin(admin.ModelAdmin):
    list_display = ["name", "village", "operator", "status", "created_by", "created"]
    list_filter = ["status", "operator"]
    search_fields = ["name", "notes"]
    readonly_fields = ["village", "created_by", "created", "updated"]
