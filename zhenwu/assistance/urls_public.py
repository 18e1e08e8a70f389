"""Public pages of social assistance (namespace ``assistance_public``, under /public/assistance/)."""

from django.urls import path

from zhenwu.assistance import views_warnings as views

app_name = "assistance_public"

urlpatterns = [
    path("mutual-aid/<str:village>/", views.public_ledger, name="mutual_aid_ledger"),
]
