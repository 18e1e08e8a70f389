"""Public pages of 一队执法 (namespace `enforcement_public`, open to citizens too), under /public/enforcement/."""

from zhenwu.enforcement import views, views_inspection

app_name = "enforcement_public"
urlpatterns = views.urlpatterns + views_inspection.public_urlpatterns
