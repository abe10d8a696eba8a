"""Page URLs of the monitoring app, the gate GeoJSON and /metrics (mounted at the site root)."""

from django.urls import path

from jangkau.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("pemantauan/", views.status_page, name="status"),
    path("pemantauan/target/<int:pk>/", views.target_detail, name="target-detail"),
    path("pemantauan/gangguan/", views.outage_list, name="outage-list"),
    path("pemantauan/kesiapan/", views.readiness, name="readiness"),
    path("pemantauan/agen/", views.agent_health, name="agents"),
    path("pemantauan/desa/<str:code>/", views.village_stability, name="village-stability"),
    path("api/monitoring/gate.geojson", views.gate_geojson, name="gate-geojson"),
    path("metrics", views.metrics, name="metrics"),
]
