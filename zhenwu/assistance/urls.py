"""Staff pages under /assistance/ (see views.py)."""

from django.urls import path

from zhenwu.assistance import views

app_name = "assistance"

urlpatterns = [
    path("", views.file_list, name="files"),
    path("files/<int:pk>/", views.file_detail, name="file"),
    path("files/<int:pk>/<slug:section>/", views.file_edit, name="file_edit"),
    path("needs/", views.need_list, name="needs"),
    path("needs/export.xlsx", views.need_export, name="needs_export"),
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<str:number>/", views.application_detail, name="application"),
    path("applications/<str:number>/photos/", views.application_photo, name="application_photo"),
    path("applications/<str:number>/<slug:action>/", views.application_act, name="application_act"),
]
