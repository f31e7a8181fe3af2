"""A URLconf with only what the identity pages and the base layout link to.

The project URLconf imports every app's API router; these tests must not depend on
apps that are still being written.
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("motcua.identity.urls")),
    path("", include("motcua.web.urls")),
]
