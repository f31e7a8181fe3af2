"""URLs for the web tests: the site's pages plus views that raise or flash on purpose."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from motcua.kernel.errors import NotFound


def raise_not_found(request: HttpRequest) -> HttpResponse:
    raise NotFound(code="catalog.procedure_not_found", message="Không tìm thấy thủ tục 1.001234.")


def flash_success(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Đã lưu hồ sơ.")
    return render(request, "web/home.html")


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("test/raise-not-found/", raise_not_found),
    path("test/flash-success/", flash_success),
    path("", include("motcua.web.urls")),
]
