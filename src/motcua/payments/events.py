"""Outbox payloads of the payments app.

``payments.order.paid`` is a contract with the scoreboard: its payload is exactly
``{"dossier_id": int, "order_id": int, "amount": int, "paid_at": ISO-8601 UTC,
"channel": "online"}``, enqueued in the transaction that records the payment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = ["OrderPaid"]


@dataclass(frozen=True)
class OrderPaid:
    topic: ClassVar[str] = "payments.order.paid"
    dossier_id: int
    order_id: int
    amount: int
    paid_at: dt.datetime
    channel: str = "online"

    def payload(self) -> dict[str, Any]:
        moment = self.paid_at.astimezone(dt.UTC)
        return {
            "dossier_id": self.dossier_id,
            "order_id": self.order_id,
            "amount": self.amount,
            "paid_at": moment.isoformat().replace("+00:00", "Z"),
            "channel": self.channel,
        }
