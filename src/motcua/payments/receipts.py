"""The electronic receipt (biên lai điện tử) of a paid fee order: HTML → PDF, signed.

Rendered in Vietnamese whatever the request's language (a receipt is a financial
document) from ``payments/receipt.html`` with the documents app's print styles, QR code
to the public tracking page, and signed PAdES by the receiving desk's certificate
(the unit that collects the fees, one-stop rules §9). Pure: writes nothing.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from motcua.documents import rendering
from motcua.documents.ca import get_local_ca
from motcua.dossiers.paperwork import format_vnd, place_name_of, tracking_url_of
from motcua.payments.models import PaymentOrder

__all__ = ["render_receipt_pdf"]


def render_receipt_pdf(order: PaymentOrder) -> bytes:
    """Return the signed PDF receipt of the paid ``order``."""
    from motcua.documents.signing import sign_pdf  # pyHanko is slow to import

    dossier = order.dossier
    desk = dossier.receiving_desk
    with translation.override("vi"):
        html = render_to_string(
            "payments/receipt.html",
            {
                "order": order,
                "dossier": dossier,
                "desk": desk,
                "place_name": place_name_of(desk),
                "items": [
                    {"name": item["name"], "amount": format_vnd(int(item["amount"]))}
                    for item in order.items
                ],
                "total": format_vnd(order.amount),
                "qr": rendering.qr_data_uri(tracking_url_of(dossier)),
            },
        )
    pdf = rendering.html_to_pdf(html)
    credentials = get_local_ca().credentials_for(desk.code, desk.name)
    return sign_pdf(
        pdf,
        credentials=credentials,
        reason=f"Biên lai thu phí, lệ phí {order.number}",
        location=place_name_of(desk),
        name=desk.name,
    )
