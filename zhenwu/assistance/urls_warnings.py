"""Staff pages of early warning and 福村宝 (namespace ``assistance_warn``, under /assistance/)."""

from django.urls import path

from zhenwu.assistance import views_warnings as views

app_name = "assistance_warn"

urlpatterns = [
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/counts/", views.warning_counts, name="warning_counts"),
    path("warnings/import/", views.warning_import, name="warning_import"),
    path("warnings/<str:number>/", views.warning_detail, name="warning"),
    path("mutual-aid/", views.year_list, name="mutual_aid"),
    path("mutual-aid/<int:pk>/", views.year_detail, name="mutual_aid_year"),
]
