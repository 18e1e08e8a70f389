from django.urls import path

from zhenwu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_page, name="password"),
    path("register/", views.register_page, name="register"),
    path("tokens/", views.tokens_page, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
