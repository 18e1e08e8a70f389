"""Registry pages: lists, detail, edit and the grid file (views.py); import wizard and exports (views_io.py)."""

from zhenwu.registry import views, views_io

app_name = "registry"
urlpatterns = [*views.urlpatterns, *views_io.urlpatterns]
