"""Public catalogue pages, mounted at ``/thu-tuc/``."""

from django.urls import path

from motcua.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.search, name="search"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/phien-ban/<int:number>/", views.version, name="version"),
    path("<str:code>/mau/<int:form_id>/", views.download_form, name="form"),
]
