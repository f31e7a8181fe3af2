"""Read-only admin of the portal sync: per-dossier status, events, pulled dossiers."""

from __future__ import annotations

from django.contrib import admin

from motcua.kernel.admin import ReadOnlyAdmin
from motcua.portalsync.models import PortalDossierSync, PortalEvent, PortalImport


@admin.register(PortalDossierSync)
class PortalDossierSyncAdmin(ReadOnlyAdmin):
    list_display = (
        "dossier",
        "portal_code",
        "last_acknowledged_status",
        "last_acknowledged_at",
        "unacknowledged",
        "oldest_unacknowledged_at",
        "consecutive_failures",
        "total_failures",
    )
    list_filter = ("last_acknowledged_status",)
    search_fields = ("portal_code", "dossier__code")
    list_select_related = ("dossier",)
    ordering = ("-updated_at",)


@admin.register(PortalEvent)
class PortalEventAdmin(ReadOnlyAdmin):
    list_display = (
        "dossier",
        "event",
        "national_status",
        "event_at",
        "status",
        "attempts",
        "acknowledged_at",
        "is_on_time",
        "error_code",
    )
    list_filter = ("status", "is_on_time", "event")
    search_fields = ("message_id", "dossier__code")
    list_select_related = ("dossier",)
    ordering = ("-sequence",)


@admin.register(PortalImport)
class PortalImportAdmin(ReadOnlyAdmin):
    list_display = ("portal_code", "status", "dossier", "error_code", "is_confirmed", "updated_at")
    list_filter = ("status", "is_confirmed")
    search_fields = ("portal_code",)
