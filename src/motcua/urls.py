from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from motcua.api import api
from motcua.web import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("metrics", health.metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("motcua.web.urls")),
    path("tai-khoan/", include("motcua.identity.urls")),
    path("thu-tuc/", include("motcua.catalog.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.documents.urls")),
    path("", include("motcua.portal.urls")),
    path("lich-lam-viec/", include("motcua.workdays.urls")),
    # Online payment and notification preferences (issue 6).
    path("thanh-toan/", include("motcua.payments.urls")),
    path("", include("motcua.notifications.urls")),
    path("chi-so-phuc-vu/", include("motcua.scoreboard.urls")),
    path("", include("motcua.portalsync.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
