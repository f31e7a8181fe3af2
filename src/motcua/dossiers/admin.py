"""Administration of dossier data that officials may look at but never change: ratings.

A rating is the applicant's own evaluation (§11.1, R64: staff cannot edit ratings), so
its admin is read-only for everyone, superusers included.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.dossiers.models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("dossier", "total", "satisfaction", "rated_at")
    list_filter = ("satisfaction",)
    search_fields = ("dossier__code", "dossier__reference")
    readonly_fields = (
        "dossier",
        "criteria",
        "total",
        "satisfaction",
        "comment",
        "rated_at",
        "rated_by",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
