"""Template tags and filters of the site shell.

``site_name`` serves layouts that Django renders without a request (500, CSRF
failure); ``nfc`` composes Vietnamese text that arrives decomposed (Django's own
``name_local`` for Vietnamese uses combining accents, which some fonts and screen
readers handle badly and which exact text matching misses).
"""

from __future__ import annotations

import unicodedata

from django import template
from django.conf import settings

__all__ = ["nfc", "site_name"]

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """Return the configured site name, translated; reads settings only, never the DB."""
    return str(settings.MOTCUA["SITE_NAME"])


@register.filter
def nfc(value: object) -> str:
    """Return ``value`` as text in Unicode normalisation form C (composed accents)."""
    return unicodedata.normalize("NFC", str(value))
