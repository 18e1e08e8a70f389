"""Pages of 一队执法 (namespace `enforcement`)."""

from zhenwu.enforcement import views

app_name = "enforcement"
urlpatterns = views.urlpatterns
