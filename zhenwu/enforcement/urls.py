"""Public pages of 一队执法 (namespace `enforcement_public`, open to citizens too), under /public/enforcement/."""

from zhenwu.enforcement import views, views_links

app_name = "enforcement_public"
urlpatterns = views.urlpatterns + views_links.public_urlpatterns  # powers; published decisions
