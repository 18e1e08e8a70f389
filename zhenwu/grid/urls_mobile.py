"""The grid worker's phone app at /m/: the app shell, its manifest and its service worker (scope /m/)."""

from django.urls import path

from zhenwu.grid import views_mobile

app_name = "mobile"

urlpatterns = [
    path("", views_mobile.app, name="app"),
    path("manifest.webmanifest", views_mobile.manifest, name="manifest"),
    path("sw.js", views_mobile.service_worker, name="sw"),
]
