"""Issue the electronic receipt of a paid order and attach it to the dossier.

The signed PDF is stored through ``documents`` as a file of the dossier (purpose
``payment_receipt``), so the officials see it with the dossier's files and the
applicant downloads it from the order page. Idempotent: an order with a receipt keeps it.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from motcua.audit import actions as audit
from motcua.documents.actions import do_store_upload
from motcua.dossiers.paperwork import SUBJECT_TYPE
from motcua.kernel.actors import Actor
from motcua.payments.errors import OrderNotPayable
from motcua.payments.models import PaymentOrder
from motcua.payments.receipts import render_receipt_pdf
from motcua.payments.states import ORDER_MACHINE, OrderState

__all__ = ["RECEIPT_PURPOSE", "do_issue_receipt"]

RECEIPT_PURPOSE = "payment_receipt"


def do_issue_receipt(order: PaymentOrder, *, actor: Actor) -> PaymentOrder:
    """Render, sign and attach the receipt of the paid ``order``; return it refreshed.

    Raise ``payments.order_not_payable`` for an order that is not paid. Rendering and
    signing happen before the transaction; the file, its row, the order's link and an
    audit row are written together.
    """
    order = PaymentOrder.objects.select_related(
        "dossier", "dossier__receiving_desk", "dossier__receiving_desk__admin_unit"
    ).get(pk=order.pk)
    if order.receipt_id is not None:
        return order
    if order.state != OrderState.PAID:
        raise OrderNotPayable(params={"state": ORDER_MACHINE.label_of(order.state)})
    pdf = render_receipt_pdf(order)
    with transaction.atomic():
        locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        if locked.receipt_id is not None:
            return locked
        stored = do_store_upload(
            ContentFile(pdf, name=f"bien-lai-{order.number}.pdf"),
            actor=actor,
            subject_type=SUBJECT_TYPE,
            subject_id=order.dossier_id,
            purpose=RECEIPT_PURPOSE,
        )
        PaymentOrder.objects.filter(pk=order.pk, receipt__isnull=True).update(receipt=stored)
        audit.record(
            actor=actor,
            action="payments.order.receipt_issued",
            aggregate_type="payments.order",
            aggregate_id=order.pk,
            data={"number": order.number, "file": stored.pk, "sha256": stored.sha256},
        )
    order.refresh_from_db()
    return order
