"""Demo data of the integration layer: a webhook subscription to the demo receiver.

The local fakes run beside the demo (``motcua demo``): the national portal on 8101
(every dossier step appears there within seconds, pushed by the worker) and a webhook
receiver on 8106 that verifies signatures. Idempotent.
"""

from __future__ import annotations

from django.conf import settings

from motcua.integration.actions import do_create_webhook_subscription
from motcua.integration.models import WebhookSubscription
from motcua.kernel.actors import Actor

__all__ = ["DEMO_RECEIVER_NAME", "load_demo"]

DEMO_RECEIVER_NAME = "Hệ thống nhận webhook thử nghiệm"


def _port(name: str, default: int) -> int:
    return int(getattr(settings, "FAKE_SERVERS", {}).get(name, {}).get("port", default))


def load_demo() -> list[str]:
    receiver = f"http://127.0.0.1:{_port('webhook-receiver', 8106)}/"
    if not WebhookSubscription.objects.filter(name=DEMO_RECEIVER_NAME).exists():
        do_create_webhook_subscription(
            actor=Actor.system("demo"),
            name=DEMO_RECEIVER_NAME,
            url=receiver + "motcua",
            topics="dossiers.dossier.*\nintegration.portal.acknowledged",
            secret=settings.WEBHOOK_DEMO_SECRET,
        )
    portal = f"http://127.0.0.1:{_port('portal', 8101)}/"
    return [
        f"Cổng Dịch vụ công quốc gia (giả lập): {portal} — trang vận hành đồng bộ: /dong-bo-dvcqg/",
        f"Webhook: hệ thống nhận thử nghiệm {receiver} (đăng ký trong /admin/)",
    ]
