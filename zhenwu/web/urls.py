from django.urls import path

from zhenwu.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.otp_login_view, name="login_otp"),
    path("login/second-factor/", views.second_factor_view, name="login_second_factor"),
    path("logout/", views.logout_view, name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
