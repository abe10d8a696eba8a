"""Page URLs of this app (mounted at the site root by jangkau.urls)."""

from django.urls import path

from jangkau.reports import views

app_name = "reports"

urlpatterns = [
    path("lapor/", views.report_form, name="report"),
    path("lapor/desa/", views.locate, name="locate"),
    path("lapor/cek/", views.check_lookup, name="check-lookup"),
    path("lapor/cek/<str:reference>/", views.check, name="check"),
    path("lapor/moderasi/", views.moderation_queue, name="moderation"),
    path("lapor/moderasi/<str:reference>/", views.moderate, name="moderate"),
    path("lapor/moderasi/<str:reference>/desa/", views.correct_village, name="correct-village"),
]
