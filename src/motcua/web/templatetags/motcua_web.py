"""Template tags for layouts that Django renders without a request (500, CSRF failure)."""

from __future__ import annotations

from django import template
from django.conf import settings

__all__ = ["site_name"]

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """Return the configured site name, translated; reads settings only, never the DB."""
    return str(settings.MOTCUA["SITE_NAME"])
