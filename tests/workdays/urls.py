"""URLs for the workdays tests: this app's pages and API plus what the layout links to,
so that other apps' routers cannot break these tests; mounted where the project mounts them."""

from django.contrib import admin
from django.urls import include, path
from ninja import NinjaAPI

from motcua.kernel.problems import install_problem_handlers
from motcua.workdays.api import router

api = NinjaAPI(urls_namespace="workdays-test-api", docs_url=None)
install_problem_handlers(api)
api.add_router("/calendar", router)

urlpatterns = [
    path("", include("motcua.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("lich-lam-viec/", include("motcua.workdays.urls")),
]
