"""The write path of online payment (see ``paying`` and ``receipts``)."""

from motcua.payments.actions.paying import (
    PAYMENTS_ACTOR,
    CheckOutcome,
    ReconcileStats,
    StartedPayment,
    do_cancel_unowed_orders,
    do_check_attempt,
    do_handle_notification,
    do_open_payment_order,
    do_reconcile_payments,
    do_start_payment,
)
from motcua.payments.actions.receipts import RECEIPT_PURPOSE, do_issue_receipt

__all__ = [
    "PAYMENTS_ACTOR",
    "RECEIPT_PURPOSE",
    "CheckOutcome",
    "ReconcileStats",
    "StartedPayment",
    "do_cancel_unowed_orders",
    "do_check_attempt",
    "do_handle_notification",
    "do_issue_receipt",
    "do_open_payment_order",
    "do_reconcile_payments",
    "do_start_payment",
]
