"""Dossier pages, included at the site root: ``ho-so/…`` (officials), ``tra-cuu-ho-so/``."""

from django.urls import path

from motcua.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("ho-so/", views.worklist, name="worklist"),
    path("ho-so/tiep-nhan/", views.reception, name="reception"),
    path("ho-so/<int:pk>/", views.detail, name="detail"),
    path("ho-so/<int:pk>/bieu-mau/<int:document_id>/", views.download_form, name="form"),
    path("ho-so/<int:pk>/ket-qua/<int:result_id>/", views.download_result, name="result"),
    path("ho-so/<int:pk>/tep/<int:file_id>/", views.download_file, name="file"),
    path("ho-so/<int:pk>/<slug:action>/", views.act, name="act"),
    path("tra-cuu-ho-so/", views.tracking, name="tracking"),
]
