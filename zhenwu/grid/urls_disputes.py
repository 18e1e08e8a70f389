"""Staff pages of disputes and visits, mounted at /grid/ beside the app's other pages."""

from django.urls import path

from zhenwu.grid import views_disputes as views

app_name = "grid_disputes"

urlpatterns = [
    path("disputes/", views.dispute_list, name="disputes"),
    path("disputes/new/", views.dispute_new, name="dispute_new"),
    path("disputes/<str:number>/", views.dispute_page, name="dispute"),
    path("disputes/<str:number>/<str:action>/", views.dispute_act, name="dispute_act"),
    path("households/<int:household_id>/visits/", views.household_visits, name="household_visits"),
    path("visits/coverage/", views.visit_coverage, name="visit_coverage"),
]
