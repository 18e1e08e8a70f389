"""Staff pages of 积分 and the indicators, mounted at /grid/ beside the app's other pages."""

from django.urls import path

from zhenwu.grid import views_scoring as views

app_name = "grid_scoring"

urlpatterns = [
    path("scores/", views.scores_page, name="scores"),
    path("scores/ranking.xlsx", views.scores_xlsx, name="scores_xlsx"),
    path("scores/workers/<int:worker_id>/", views.worker_ledger, name="ledger"),
    path("indicators/", views.indicators_page, name="indicators"),
]
