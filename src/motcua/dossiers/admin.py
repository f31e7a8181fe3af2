"""Administration of dossier data that officials may look at but never change: ratings.

A rating is the applicant's own evaluation (§11.1, R64: staff cannot edit ratings), so
its admin is read-only for everyone, superusers included.
"""

from __future__ import annotations

from django.contrib import admin

from motcua.dossiers.models import Rating
from motcua.kernel.admin import ReadOnlyAdmin


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
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
