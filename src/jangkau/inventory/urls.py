"""Page URLs of this app (mounted at the site root by jangkau.urls), and the GeoJSON layers."""

from django.urls import path

from jangkau.inventory import geojson, views

app_name = "inventory"

urlpatterns = [
    path("menara/", views.site_list, name="site-list"),
    path("menara/<str:code>/", views.site_detail, name="site-detail"),
    path("infrastruktur/", views.who_has_what_page, name="who-has-what"),
    path("api/inventory/sites.geojson", geojson.sites_geojson, name="sites-geojson"),
    path("api/inventory/links.geojson", geojson.links_geojson, name="links-geojson"),
    path(
        "api/inventory/access-points.geojson",
        geojson.access_points_geojson,
        name="access-points-geojson",
    ),
    path(
        "api/inventory/facilities.geojson",
        geojson.facilities_geojson,
        name="facilities-geojson",
    ),
]
