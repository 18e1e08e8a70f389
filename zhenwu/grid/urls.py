"""Staff pages of 一网治理 incidents (namespace ``grid``, mounted at /grid/ beside the disputes' pages)."""

from django.urls import path

from zhenwu.grid import views_incidents as views

app_name = "grid"

urlpatterns = [
    path("incidents/", views.incident_queue, name="incidents"),
    path("incidents/export.xlsx", views.incident_export, name="incidents_export"),
    path("incidents/new/", views.incident_new, name="incident_new"),
    path("incidents/<str:number>/", views.incident_page, name="incident"),
    path("incidents/<str:number>/act/<slug:action>/", views.incident_act, name="incident_act"),
]
