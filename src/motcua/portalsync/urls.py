"""URL of the portal sync's operations page (included at the site root)."""

from django.urls import path

from motcua.portalsync import views

app_name = "portalsync"
urlpatterns = [
    path("dong-bo-dvcqg/", views.operations, name="operations"),
]
