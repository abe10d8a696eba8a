"""Page URLs of the coverage app (mounted at the site root by jangkau.urls)."""

from django.urls import path

from jangkau.radio import views

app_name = "radio"

urlpatterns = [
    path("cakupan/", views.coverage_page, name="coverage"),
    path("cakupan/hitung/", views.run_create, name="run-create"),
    path("cakupan/runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("cakupan/runs/<int:pk>/status/", views.run_status, name="run-status"),
    path("cakupan/runs/<int:pk>/overlay.png", views.run_overlay, name="run-overlay"),
    path("cakupan/runs/<int:pk>/coverage.tif", views.run_geotiff, name="run-geotiff"),
    path("cakupan/jejak/<str:key>.png", views.footprint_overlay, name="footprint-overlay"),
    path("cakupan/usulan/", views.proposed_create, name="proposed-create"),
    path("cakupan/usulan/<int:pk>/", views.proposed_detail, name="proposed-detail"),
    path("cakupan/usulan/<int:pk>/keputusan/", views.proposed_decide, name="proposed-decide"),
]
