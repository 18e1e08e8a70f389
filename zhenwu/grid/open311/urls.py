"""/open311/v2/: GeoReport v2, the format chosen by the suffix (``.xml`` or ``.json``) as the spec says."""

from __future__ import annotations

from django.urls import re_path

from zhenwu.grid.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>xml|json)$"
ID = r"(?P<{}>[^/]{{1,100}}?)"  # an identifier up to its format suffix

urlpatterns = [
    re_path(r"^$", views.discovery, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/" + ID.format("code") + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/" + ID.format("number") + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/" + ID.format("token") + FMT, views.token_detail, name="token"),
    re_path(r"^media/(?P<number>[^/]{1,64})/(?P<sha256>[0-9a-f]{64})$", views.media, name="media"),
    re_path(r"^(?P<rest>.*?)(?:\.(?P<fmt>xml|json))?$", views.not_found, name="not_found"),
]
