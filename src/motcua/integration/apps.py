from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "motcua.integration"
    label = "integration"
    verbose_name = _("Tích hợp")

    def ready(self) -> None:
        from motcua.integration.webhooks import consumers  # noqa: F401  (registers the fan-out)
