"""What every app's admin shares: ``ReadOnlyAdmin``, for records written only by actions.

Audit rows, issued documents, deliveries, payments, notifications, citizen accounts and
the like change only through their app's actions (with their audit and outbox), so the
admin shows them and never adds, edits or deletes them. An admin may still offer
``actions`` that call those app actions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

__all__ = ["ReadOnlyAdmin"]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """A ``ModelAdmin`` that lists and shows, and never adds, changes or deletes."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
