from django.contrib import admin

from jangkau.regions.models import (
    District,
    Island,
    PopulationFigure,
    Regency,
    RegionFact,
    Village,
    VillageOperatorAssignment,
)

GEOMETRY_FIELDS = ["boundary", "boundary_display"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area_km2", "seat_name"]
    readonly_fields = ["area_km2", "centroid_lat", "centroid_lon"]
    exclude = [*GEOMETRY_FIELDS, "coastline"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area_km2"]
    search_fields = ["code", "name"]
    readonly_fields = ["area_km2", "centroid_lat", "centroid_lon"]
    exclude = GEOMETRY_FIELDS


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "district",
        "area_km2",
        "remoteness_class",
        "is_coastal",
        "is_island",
    ]
    list_filter = ["kind", "remoteness_class", "is_coastal", "is_island", "district"]
    search_fields = ["code", "name"]
    readonly_fields = [
        "area_km2",
        "centroid_lat",
        "centroid_lon",
        "distance_to_seat_km",
        "distance_to_kecamatan_km",
        "remoteness_class",
        "is_coastal",
        "is_island",
    ]
    exclude = GEOMETRY_FIELDS


@admin.register(PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "value", "quality", "source"]
    list_filter = ["quality", "year"]
    raw_id_fields = ["village", "district", "regency"]


@admin.register(RegionFact)
class RegionFactAdmin(admin.ModelAdmin):
    list_display = ["key", "region_code", "metric", "value", "unit", "as_of", "quality"]
    list_filter = ["quality", "metric"]
    search_fields = ["key", "region_code", "metric"]


@admin.register(Island)
class IslandAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "status", "village", "area_km2"]
    list_filter = ["status"]


@admin.register(VillageOperatorAssignment)
class VillageOperatorAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "village"]
    raw_id_fields = ["village"]
