"""Pages without login (namespace `public`): the service guide (办事指南) and case tracking."""

from zhenwu.services import views_public

app_name = "public"
urlpatterns = views_public.urlpatterns
