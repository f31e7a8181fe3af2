"""URLs of the public verification page (include at the site root: ``xac-minh/…``)."""

from django.urls import path

from motcua.documents import views

app_name = "documents"
urlpatterns = [
    path("xac-minh/", views.verify, name="verify"),
    path("xac-minh/<str:code>/", views.verify_code, name="verify_code"),
]
