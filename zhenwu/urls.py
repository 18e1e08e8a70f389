"""URL map: pages, the admin, /api/v1/ and /open311/v2/ (later issues)."""

from django.contrib import admin
from django.urls import include, path

from zhenwu.api import api

admin.site.site_header = "镇务"
admin.site.site_title = "镇务"
admin.site.index_title = "系统管理"

handler400 = "zhenwu.web.views_errors.bad_request"
handler403 = "zhenwu.web.views_errors.permission_denied"
handler404 = "zhenwu.web.views_errors.page_not_found"
handler500 = "zhenwu.web.views_errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("areas/", include("zhenwu.areas.urls")),
    path("accounts/", include("zhenwu.accounts.urls")),
    path("registry/", include("zhenwu.registry.urls")),
    path("services/", include("zhenwu.services.urls")),
    path("grid/", include("zhenwu.grid.urls_disputes")),
    path("grid/", include("zhenwu.grid.urls")),
    path("public/grid/", include("zhenwu.grid.views_public_incidents")),
    path("grid/", include("zhenwu.grid.urls_scoring")),
    path("grid/", include("zhenwu.grid.urls_patrols")),
    path("portal/", include("zhenwu.services.urls_portal")),
    path("public/enforcement/", include("zhenwu.enforcement.urls")),
    path("assistance/", include("zhenwu.assistance.urls_calc")),
    path("enforcement/supervision-tasks/", include("zhenwu.enforcement.views_links")),
    path("assistance/", include("zhenwu.assistance.urls")),
    path("assistance/", include("zhenwu.assistance.urls_warnings")),
    path("public/assistance/", include("zhenwu.assistance.urls_public")),
    path("enforcement/inspections/", include("zhenwu.enforcement.views_inspection")),
    path("enforcement/", include("zhenwu.enforcement.urls_staff")),
    path("public/", include("zhenwu.services.urls_public")),
    path("open311/v2/", include("zhenwu.grid.open311.urls")),
    path("m/", include("zhenwu.grid.urls_mobile")),
    path("", include("zhenwu.web.urls")),
]
