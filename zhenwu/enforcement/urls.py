"""Public pages of 一队执法 (namespace `enforcement_public`, open to citizens too), under /public/enforcement/."""

from zhenwu.enforcement import views, views_inspection, views_links

app_name = "enforcement_public"
# powers; published decisions; random-inspection plans and results
urlpatterns = views.urlpatterns + views_links.public_urlpatterns + views_inspection.public_urlpatterns
