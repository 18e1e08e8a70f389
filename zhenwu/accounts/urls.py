from django.urls import path

from zhenwu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.tokens_page, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
