"""RFC 9457 ``application/problem+json`` for every API error.

``problem_response`` renders an ``ApplicationError``; the django-ninja API registers
``install_problem_handlers`` so that validation errors, 404s and unexpected errors
come out in the same shape with a stable ``code``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from motcua.kernel.errors import ApplicationError

__all__ = ["PROBLEM_CONTENT_TYPE", "install_problem_handlers", "problem", "problem_response"]

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(
    request: HttpRequest | None,
    *,
    status: int,
    code: str,
    title: str,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://motcua.gov.vn/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.path
    if errors:
        body["errors"] = errors
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def problem_response(request: HttpRequest | None, exc: ApplicationError) -> HttpResponse:
    errors = [
        {"field": field, "message": str(message)}
        for field, messages in exc.field_errors.items()
        for message in messages
    ]
    return problem(
        request,
        status=exc.status,
        code=exc.code,
        title=exc.message,
        errors=errors or None,
    )


def install_problem_handlers(api: Any) -> None:
    """Register problem+json handlers on a ``NinjaAPI`` instance."""
    from ninja.errors import AuthenticationError, HttpError, ValidationError

    @api.exception_handler(ApplicationError)
    def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return problem_response(request, exc)

    @api.exception_handler(ValidationError)
    def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        for err in exc.errors:
            loc = [str(part) for part in err.get("loc", []) if part not in ("body", "payload")]
            errors.append({"field": ".".join(loc), "message": err.get("msg", "")})
        return problem(
            request,
            status=422,
            code="invalid_input",
            title=_("Dữ liệu nhập không hợp lệ."),
            errors=errors,
        )

    @api.exception_handler(AuthenticationError)
    def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            request,
            status=401,
            code="not_authenticated",
            title=_("Bạn cần đăng nhập để thực hiện thao tác này."),
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated"}.get(
            exc.status_code, "http_error"
        )
        return problem(request, status=exc.status_code, code=code, title=str(exc))

    from django.http import Http404

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(
            request, status=404, code="not_found", title=_("Không tìm thấy đối tượng được yêu cầu.")
        )
