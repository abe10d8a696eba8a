"""Page URLs of this app (mounted at the site root by jangkau.urls)."""

from django.urls import path

from jangkau.measurements import views

app_name = "measurements"

urlpatterns = [
    path("impor/", views.upload, name="import-upload"),
    path("impor/<int:pk>/", views.run_detail, name="import-run"),
    path("impor/<int:pk>/hasil/", views.run_result, name="import-run-result"),
    path("impor/template/<slug:kind>.csv", views.template_download, name="import-template"),
    path("impor/panduan/<slug:kind>/", views.kind_doc, name="import-kind"),
]
