"""Public pages of social assistance (namespace ``assistance_public``, under /public/assistance/): the 公示 of
applications and the 福村宝 ledgers."""

from django.urls import path

from zhenwu.assistance import views, views_warnings

app_name = "assistance_public"

urlpatterns = [
    path("publicity/", views.publicity, name="publicity"),
    path("mutual-aid/<str:village>/", views_warnings.public_ledger, name="mutual_aid_ledger"),
]
