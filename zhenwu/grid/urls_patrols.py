"""Staff pages of 巡查记录 (namespace ``grid_patrols``), mounted at /grid/ beside the app's other pages."""

from django.urls import path

from zhenwu.grid import views_patrols as views

app_name = "grid_patrols"

urlpatterns = [
    path("patrols/", views.patrol_list, name="patrols"),
    path("patrols/export.xlsx", views.patrol_export, name="patrols_export"),
    path("patrols/<int:patrol_id>/", views.patrol_page, name="patrol"),
]
