from django.urls import path

from jangkau.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("desa/", views.village_list, name="village-list"),
    path("desa/<str:code>/", views.village_detail, name="village-detail"),
    path("kecamatan/", views.regency_summary_page, name="regency-summary"),
    path("kecamatan/<str:code>/", views.district_detail, name="district-detail"),
    path("tentang-data/", views.about_data, name="about-data"),
    path("tugas/<int:pk>/", views.task_progress, name="task-progress"),
]
