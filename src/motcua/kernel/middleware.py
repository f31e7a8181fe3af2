"""Turn an ``ApplicationError`` that escapes a web view into a message, not a 500.

Views normally catch errors themselves to re-render their form with the message; this
is the net under them: it shows the translated message on the previous page (or on
the error page when there is none) and, for API paths, returns problem+json.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from motcua.kernel.errors import ApplicationError
from motcua.kernel.problems import problem_response

__all__ = ["ApplicationErrorMiddleware"]


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        if request.path.startswith("/api/"):
            return problem_response(request, exception)
        messages.error(request, exception.message)
        referer = request.headers.get("referer", "")
        if request.method == "POST" and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}
        ):
            from django.shortcuts import redirect

            return redirect(referer)
        return render(
            request,
            "web/error.html",
            {"error": exception},
            status=exception.status,
        )
