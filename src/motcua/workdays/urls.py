"""URLs of the working-day calendar pages (mounted at ``/lich-lam-viec/``)."""

from django.urls import path

from motcua.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.index, name="index"),
    path("year/<int:year>/", views.year_view, name="year"),
]
