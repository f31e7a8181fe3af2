"""Public scoreboard pages, mounted at ``/chi-so-phuc-vu/``."""

from django.urls import path, re_path

from motcua.scoreboard import views

app_name = "scoreboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("phuong-phap/", views.methodology, name="methodology"),
    re_path(
        r"^du-lieu-mo/(?P<key>[0-9Q-]{4,7})\.(?P<fmt>csv|json)$", views.open_data, name="open_data"
    ),
    path("don-vi/<str:code>/", views.unit_page, name="unit"),
    path("don-vi/<str:code>/giai-trinh/<str:indicator>/", views.explain, name="explain"),
]
