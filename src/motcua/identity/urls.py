"""Account pages, mounted at ``/tai-khoan/``: officials' login and the e-ID login."""

from django.urls import path

from motcua.identity import views

app_name = "identity"
urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("vneid/", views.eid_start, name="eid_start"),
    path("vneid/callback/", views.eid_callback, name="eid_callback"),
]
