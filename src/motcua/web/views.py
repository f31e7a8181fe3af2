"""Pages that belong to no single app: the home page.

The error pages need no view: Django renders ``404.html``, ``403.html`` and
``500.html`` from ``templates/`` itself, and ``kernel.middleware`` renders
``web/error.html`` for an ``ApplicationError`` that escapes a view.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

__all__ = ["home"]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Render the home page: what the portal offers, procedure search, quick links."""
    return render(request, "web/home.html")
