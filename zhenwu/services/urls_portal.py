"""The citizen and enterprise portal (namespace `portal`, open to applicant accounts)."""

from zhenwu.services import views_portal

app_name = "portal"
urlpatterns = views_portal.urlpatterns
