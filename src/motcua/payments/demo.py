"""Demo: one dossier waiting for its fees, to pay on the local fake payment platform.

A criminal-record dossier (2.000488) at the Thanh Hóa provincial centre is received,
transferred, assigned and asked to pay (status 6) through the dossier actions, and its
fee order opened. Idempotent: skipped when the demo applicant's dossier exists, or,
with a line saying why, when the dossier demo's catalogue or accounts are missing.
"""

from __future__ import annotations

from django.conf import settings

from motcua.agencies.models import Agency
from motcua.catalog.errors import NoVersionInForce, UnknownProcedure
from motcua.dossiers import actions
from motcua.dossiers.demo import (
    CRIMINAL_RECORD,
    DEMO_EMAIL_DOMAIN,
    PROVINCIAL_PASC,
    _actor,
    _exempt_paper,
    _submission,
)
from motcua.dossiers.models import Dossier
from motcua.payments.actions import PAYMENTS_ACTOR, do_open_payment_order

__all__ = ["DEMO_PAYER_PHONE", "load_demo"]

DEMO_PAYER_PHONE = "0912000008"
_EMAIL = f"nguoinop8@{DEMO_EMAIL_DOMAIN}"


def _urls() -> list[str]:
    base = str(settings.DOCUMENTS_PUBLIC_BASE_URL).rstrip("/")
    return [
        f"  nền tảng thanh toán giả lập: {settings.PAYMENT_PLATFORM_URL}/",
        "  hộp thư thử nghiệm: http://127.0.0.1:8105/ · cổng SMS thử nghiệm: http://127.0.0.1:8104/",
        f"  lựa chọn nhận thông báo (tài khoản công dân): {base}/tai-khoan/thong-bao/",
    ]


def load_demo() -> list[str]:
    """Create the demo dossier awaiting payment if it is missing; return the lines to print."""
    base = str(settings.DOCUMENTS_PUBLIC_BASE_URL).rstrip("/")
    existing = Dossier.objects.filter(applicant_email=_EMAIL).first()
    if existing is not None:
        return [
            f"Thanh toán mẫu: hồ sơ {existing.code} (đã có) — {base}/thanh-toan/?ma={existing.code}"
            f", số điện thoại {DEMO_PAYER_PHONE}",
            *_urls(),
        ]
    people = {
        "desk": _actor("tiepnhan.tinh"),
        "handler": _actor("thuly.tuphap"),
        "reviewer": _actor("xemxet.tuphap"),
    }
    desk = Agency.objects.filter(code=PROVINCIAL_PASC).first()
    if desk is None or any(actor is None for actor in people.values()):
        return ["Thanh toán mẫu: bỏ qua — thiếu cơ quan hoặc tài khoản mẫu."]
    found = {k: v for k, v in people.items() if v is not None}
    try:
        submission = _submission(
            CRIMINAL_RECORD, 8, "Bùi Thị Hoa", "038193002222", 1993, True, DEMO_PAYER_PHONE
        )
    except (UnknownProcedure, NoVersionInForce):
        return [f"Thanh toán mẫu: bỏ qua — danh mục chưa có thủ tục {CRIMINAL_RECORD}."]
    dossier = actions.do_receive_at_desk(desk, actor=found["desk"], submission=submission)
    if dossier.fee_total <= 0:
        return ["Thanh toán mẫu: bỏ qua — thủ tục mẫu không có phí, lệ phí."]
    _exempt_paper(dossier, found["desk"])
    actions.do_transfer_dossier(dossier, actor=found["desk"])
    actions.do_assign_dossier(
        dossier, actor=found["reviewer"], assignee_id=found["handler"].user_id or 0
    )
    actions.do_request_payment(dossier, actor=found["handler"])
    order = do_open_payment_order(dossier, actor=PAYMENTS_ACTOR)
    return [
        f"Thanh toán mẫu: hồ sơ {dossier.code} chờ nộp {order.amount:,} đồng".replace(",", ".")
        + f" — {base}/thanh-toan/?ma={dossier.code}, số điện thoại {DEMO_PAYER_PHONE}",
        *_urls(),
    ]
