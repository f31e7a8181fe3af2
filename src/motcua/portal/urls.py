"""Citizen portal pages, included at the site root: ``nop-truc-tuyen/<code>/`` (apply
online, the procedure page's button) and ``ca-nhan/…`` (the citizen's own space)."""

from django.urls import path

from motcua.portal import views

app_name = "portal"
urlpatterns = [
    path("nop-truc-tuyen/<str:code>/", views.apply, name="apply"),
    path("ca-nhan/ho-so-nhap/<int:pk>/truong-hop/", views.draft_case, name="draft_case"),
    path("ca-nhan/ho-so-nhap/<int:pk>/to-khai/", views.draft_form, name="draft_form"),
    path("ca-nhan/ho-so-nhap/<int:pk>/giay-to/", views.draft_documents, name="draft_documents"),
    path(
        "ca-nhan/ho-so-nhap/<int:pk>/giay-to/<int:document_id>/",
        views.draft_document,
        name="draft_document",
    ),
    path("ca-nhan/ho-so-nhap/<int:pk>/phi/", views.draft_fees, name="draft_fees"),
    path("ca-nhan/ho-so-nhap/<int:pk>/xac-nhan/", views.draft_confirm, name="draft_confirm"),
    path("ca-nhan/ho-so-nhap/<int:pk>/xoa/", views.draft_delete, name="draft_delete"),
    path("ca-nhan/ho-so/", views.my_dossiers, name="mine"),
    path("ca-nhan/ho-so/<int:pk>/", views.dossier, name="dossier"),
    path(
        "ca-nhan/ho-so/<int:pk>/bieu-mau/<int:document_id>/",
        views.download_form,
        name="form",
    ),
    path("ca-nhan/ho-so/<int:pk>/ket-qua/<int:result_id>/", views.download_result, name="result"),
    path("ca-nhan/ho-so/<int:pk>/tep/<int:file_id>/", views.download_file, name="file"),
    path("ca-nhan/ho-so/<int:pk>/bo-sung/", views.supplement, name="supplement"),
    path("ca-nhan/ho-so/<int:pk>/rut/", views.withdraw, name="withdraw"),
    path("ca-nhan/ho-so/<int:pk>/danh-gia/", views.rate, name="rate"),
    path("ca-nhan/kho-du-lieu/", views.data_store, name="data_store"),
    path("ca-nhan/kho-du-lieu/<int:pk>/tai-ve/", views.download_item, name="data_store_item"),
]
