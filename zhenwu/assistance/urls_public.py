"""The public publicity page (公示) under /public/assistance/."""

from django.urls import path

from zhenwu.assistance import views

app_name = "assistance_public"

urlpatterns = [path("publicity/", views.publicity, name="publicity")]
