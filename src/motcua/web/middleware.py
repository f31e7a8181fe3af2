"""Choose the language from the visitor's explicit choice only: Vietnamese unless they switched.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; many people in
Vietnam use English-language browsers but expect the Government's portal in Vietnamese.
So the language is the one chosen with the switcher (the language cookie set by
``set_language``), and Vietnamese otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

__all__ = ["ChosenLanguageMiddleware"]

_SUPPORTED = {code for code, _name in settings.LANGUAGES}


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in _SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
