from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoreboardConfig(AppConfig):
    name = "motcua.scoreboard"
    label = "scoreboard"
    verbose_name = _("Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766)")

    def ready(self) -> None:
        # Registers the outbox consumers that keep the facts and counters current.
        from motcua.scoreboard import consumers  # noqa: F401
