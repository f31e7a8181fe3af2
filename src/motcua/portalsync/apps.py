from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalSyncConfig(AppConfig):
    name = "motcua.portalsync"
    label = "portalsync"
    verbose_name = _("Đồng bộ Cổng Dịch vụ công quốc gia")

    def ready(self) -> None:
        from motcua.portalsync import consumers  # noqa: F401  (registers the push consumer)
