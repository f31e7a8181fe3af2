"""Read-only admin views of issued forms, results and uploads.

Nothing here writes: results are issued and revoked only through ``documents.actions``
(the revocation needs a reason and an authorised actor), and files are never edited.
"""

from __future__ import annotations

from django.contrib import admin

from motcua.documents.models import DataStoreItem, IssuedDocument, Result, StoredFile
from motcua.kernel.admin import ReadOnlyAdmin


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "form_version",
        "dossier_code",
        "subject_type",
        "subject_id",
        "issued_at",
        "issued_by",
    ]
    list_filter = ["kind", "rule_set"]
    search_fields = ["dossier_code", "sha256"]
    date_hierarchy = "issued_at"


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "agency_code", "issued_at", "is_revoked"]
    list_filter = ["is_revoked"]
    search_fields = ["code", "sha256", "agency_code"]
    date_hierarchy = "issued_at"


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "content_type",
        "size",
        "subject_type",
        "subject_id",
        "purpose",
        "uploaded_at",
    ]
    list_filter = ["content_type", "purpose"]
    search_fields = ["sha256", "subject_id"]
    date_hierarchy = "uploaded_at"


@admin.register(DataStoreItem)
class DataStoreItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "document_type", "issuer_name", "issued_at", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["source_code", "document_type"]
    date_hierarchy = "issued_at"
