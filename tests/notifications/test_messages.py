"""Every event renders in both languages on both channels, with the values it needs."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.kernel.clock import VN_TZ
from motcua.notifications.messages import MessageContext, render_message
from motcua.notifications.models import Channel, Event

CONTEXT = {
    "code": "000.00.01.H56-251006-0001",
    "procedure": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "tracking_url": "https://motcua.example.vn/tra-cuu-ho-so/?ma=000.00.01.H56-251006-0001",
    "payment_url": "https://motcua.example.vn/thanh-toan/?ma=000.00.01.H56-251006-0001",
    "received_at": dt.datetime(2025, 10, 6, 9, 0, tzinfo=VN_TZ),
    "due_at": dt.datetime(2025, 10, 13, 9, 0, tzinfo=VN_TZ),
    "amount": 1_250_000,
    "reason": "Chờ ý kiến Sở Xây dựng",
    "items": (("Bản sao giấy khai sinh", "Bản chụp không rõ năm sinh"),),
}


@pytest.mark.parametrize("event", Event.values)
@pytest.mark.parametrize("channel", Channel.values)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_message_renders_with_the_dossier_code(
    event: str, channel: str, language: str
) -> None:
    rendered = render_message(MessageContext(event=event, **CONTEXT), channel, language)  # type: ignore[arg-type]

    assert "000.00.01.H56-251006-0001" in rendered.subject
    assert "000.00.01.H56-251006-0001" in rendered.text
    assert "%(" not in rendered.text
    if channel == Channel.SMS:  # three Unicode (UCS-2) segments at most
        assert len(rendered.text) <= 3 * 67


def test_the_payment_message_states_the_amount_and_the_link() -> None:
    context = MessageContext(event=Event.PAYMENT_REQUESTED, **CONTEXT)  # type: ignore[arg-type]

    vi = render_message(context, Channel.EMAIL, "vi")
    en = render_message(context, Channel.SMS, "en")

    assert "đang chờ nộp phí, lệ phí: 1.250.000 đồng." in vi.text
    assert "Nộp trực tuyến tại: https://motcua.example.vn/thanh-toan/?ma=" in vi.text
    assert en.text.startswith("Dossier 000.00.01.H56-251006-0001 awaits payment of 1,250,000")


def test_the_supplement_and_apology_messages_list_what_matters() -> None:
    supplement = render_message(
        MessageContext(event=Event.SUPPLEMENT_REQUESTED, **CONTEXT),
        Channel.EMAIL,
        "vi",  # type: ignore[arg-type]
    )
    apology = render_message(
        MessageContext(event=Event.APOLOGY, **CONTEXT),
        Channel.EMAIL,
        "vi",  # type: ignore[arg-type]
    )

    assert "  - Bản sao giấy khai sinh: Bản chụp không rõ năm sinh" in supplement.text
    assert "Lý do: Chờ ý kiến Sở Xây dựng" in apology.text
    assert "Ngày hẹn trả kết quả mới: 09:00 13/10/2025." in apology.text
