"""Account pages of officials, mounted at ``/tai-khoan/``."""

from django.urls import path

from motcua.identity import views

app_name = "identity"
urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
]
