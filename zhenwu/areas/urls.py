from django.urls import path

from zhenwu.areas import views

app_name = "areas"
urlpatterns = [
    path("map/", views.map_page, name="map"),
]
