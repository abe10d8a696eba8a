from django.urls import path

from jangkau.planning import views

app_name = "planning"

urlpatterns = [
    path("rencana/", views.scenario_list, name="scenario-list"),
    path("rencana/baru/", views.scenario_create, name="scenario-create"),
    path("rencana/bandingkan/", views.compare, name="compare"),
    path("rencana/<int:pk>/", views.scenario_detail, name="scenario-detail"),
    path("rencana/<int:pk>/ubah/", views.scenario_edit, name="scenario-edit"),
    path("rencana/<int:pk>/jalankan/", views.scenario_run, name="scenario-run"),
    path("rencana/<int:pk>/progres/", views.scenario_progress, name="scenario-progress"),
    path("rencana/hasil/<int:pk>/", views.result_detail, name="result-detail"),
    path("rencana/hasil/<int:pk>/peta.geojson", views.result_geojson, name="result-geojson"),
    path("rencana/hasil/<int:pk>/rencana.csv", views.result_csv, name="result-csv"),
    path(
        "rencana/hasil/<int:pk>/rencana.geojson",
        views.result_download_geojson,
        name="result-geojson-download",
    ),
    path("rencana/hasil/<int:pk>/rencana.xlsx", views.result_xlsx, name="result-xlsx"),
    path("rencana/hasil/<int:pk>/laporan/", views.result_report, name="result-report"),
    path("rencana/hasil/<int:pk>/laporan.pdf", views.result_pdf, name="result-pdf"),
    path(
        "rencana/hasil/<int:pk>/laporan/pdf-status/",
        views.result_pdf_progress,
        name="result-pdf-status",
    ),
    path("rencana/biaya/", views.cost_table_list, name="cost-table-list"),
    path("rencana/biaya/<int:version>/", views.cost_table_detail, name="cost-table-detail"),
    path("rencana/biaya/<int:version>/ubah/", views.cost_table_edit, name="cost-table-edit"),
]
