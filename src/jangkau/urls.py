"""URL configuration: pages, the API under /api/, admin, auth and language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jangkau.core.api import api
from jangkau.evidence.api import router as evidence_router
from jangkau.inventory.api import router as inventory_router
from jangkau.measurements.api import router as measurements_router
from jangkau.monitoring.api import router as monitoring_router
from jangkau.planning.api import router as planning_router
from jangkau.radio.api import router as radio_router
from jangkau.regions import api as regions_api
from jangkau.reports.api import router as reports_router

api.add_router("/regions", regions_api.router)
api.add_router("/", evidence_router)
api.add_router("/inventory", inventory_router)
api.add_router("/measurements", measurements_router)
api.add_router("/reports", reports_router)
api.add_router("/coverage", radio_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/planning", planning_router)

urlpatterns = [
    path("api/regions/villages.geojson", regions_api.villages_geojson, name="villages-geojson"),
    path("api/regions/kecamatan.geojson", regions_api.kecamatan_geojson, name="kecamatan-geojson"),
    path("", include("jangkau.monitoring.urls")),  # /metrics and the gate GeoJSON first
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jangkau.inventory.urls")),
    path("", include("jangkau.measurements.urls")),
    path("", include("jangkau.reports.urls")),
    path("", include("jangkau.radio.urls")),
    path("", include("jangkau.planning.urls")),
    path("", include("jangkau.web.urls")),
]
