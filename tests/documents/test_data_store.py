"""The citizen data store: results and accepted uploads kept once per owner, matched by type,
usable only by their owner while valid (revocation and expiry end it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import AuditEvent
from motcua.documents import types
from motcua.documents.actions import (
    do_keep_result_in_store,
    do_keep_upload_in_store,
    do_revoke_result,
    do_store_upload,
)
from motcua.documents.errors import StoreItemExpired, StoreItemNotFound, StoreItemWrongType
from motcua.documents.models import DataStoreItem
from motcua.documents.selectors import (
    check_store_item_usable,
    get_store_item_for,
    list_store_items,
    list_usable_store_items,
)
from motcua.integration.models import OutboxMessage
from motcua.kernel import clock
from tests.documents.factories import make_result

pytestmark = pytest.mark.django_db

OWNER = "038190000123"
OTHER = "038090000456"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("code", "name", "key"),
    [
        ("", "Giấy khai sinh (bản chính)", "ten:giay khai sinh"),
        ("", "  Phiếu Lý lịch tư pháp ", "ten:phieu ly lich tu phap"),
        (
            "",
            "Giấy chứng nhận đăng ký doanh nghiệp; bản sao",
            "ten:giay chung nhan dang ky doanh nghiep ban sao",
        ),
        ("GKS-01", "Giấy khai sinh", "GKS-01"),
        ("KQ:2.000488", "Phiếu lý lịch tư pháp", "KQ:2.000488"),
    ],
)
def test_the_type_of_a_required_document(code: str, name: str, key: str) -> None:
    assert types.required_type(code, name) == key


def test_a_result_is_kept_once_in_its_holders_store(system_actor, media_root) -> None:
    result = make_result()

    item = do_keep_result_in_store(
        result, actor=system_actor, owner_id_number=OWNER, procedure_code="1.001193"
    )
    again = do_keep_result_in_store(result, actor=system_actor, owner_id_number=OWNER)

    assert again.pk == item.pk
    assert (item.kind, item.document_type, item.source_code, item.issuer_name) == (
        "result",
        "ten:giay khai sinh",
        result.code,
        "Sở Tư pháp tỉnh Thanh Hóa",
    )
    assert list(list_store_items(OWNER)) == [item]
    assert list(list_store_items(OTHER)) == []
    assert list(list_store_items("")) == []
    assert AuditEvent.objects.filter(action="documents.store_item_added").count() == 1
    message = OutboxMessage.objects.get(topic="documents.store_item_added")
    assert message.payload["result_code"] == result.code
    assert OWNER not in str(message.payload)


def test_items_match_by_type_or_by_the_procedure_of_a_result(system_actor, media_root) -> None:
    result = make_result()
    item = do_keep_result_in_store(
        result, actor=system_actor, owner_id_number=OWNER, procedure_code="1.001193"
    )
    now = clock.now()

    assert list_usable_store_items(OWNER, "ten:giay khai sinh", at=now) == [item]
    assert list_usable_store_items(OWNER, "KQ:1.001193", at=now) == [item]
    assert list_usable_store_items(OWNER, "KQ:2.000488", at=now) == []
    assert list_usable_store_items(OWNER, "ten:to khai dang ky khai sinh", at=now) == []
    with pytest.raises(StoreItemWrongType):
        check_store_item_usable(item, "ten:giay chung tu", at=now)


def test_revoked_and_expired_items_cannot_stand_in(system_actor, media_root) -> None:
    result = make_result()
    now = clock.now()
    expiring = do_keep_result_in_store(
        make_result(code="G09.20-250701-0002-KQ1"),
        actor=system_actor,
        owner_id_number=OWNER,
        valid_until=now + dt.timedelta(days=30),
    )
    revoked = do_keep_result_in_store(result, actor=system_actor, owner_id_number=OWNER)
    do_revoke_result(result, actor=system_actor, reason="Cấp sai thông tin")
    revoked.refresh_from_db()

    assert list_usable_store_items(OWNER, "ten:giay khai sinh", at=now) == [expiring]
    later = now + dt.timedelta(days=31)
    assert list_usable_store_items(OWNER, "ten:giay khai sinh", at=later) == []
    with pytest.raises(StoreItemExpired):
        check_store_item_usable(expiring, "ten:giay khai sinh", at=later)
    with pytest.raises(StoreItemExpired):
        check_store_item_usable(revoked, "ten:giay khai sinh", at=now)


def test_an_item_of_another_owner_is_not_found(system_actor, media_root) -> None:
    item = do_keep_result_in_store(make_result(), actor=system_actor, owner_id_number=OWNER)

    assert get_store_item_for(OWNER, item.pk) == item
    for owner, pk in ((OTHER, item.pk), (OWNER, item.pk + 1000), (OWNER, "abc"), ("", item.pk)):
        with pytest.raises(StoreItemNotFound):
            get_store_item_for(owner, pk)


def test_an_accepted_upload_is_kept_with_the_type_it_was_asked_as(
    citizen, system_actor, media_root
) -> None:
    stored = do_store_upload(
        SimpleUploadedFile("gcn.pdf", PDF),
        actor=citizen,
        subject_type="portal.draft",
        subject_id=7,
        purpose="document:3",
    )

    item = do_keep_upload_in_store(
        stored,
        actor=system_actor,
        owner_id_number=OWNER,
        document_type=types.required_type("", "Giấy chứng nhận quyền sử dụng đất"),
        title="Giấy chứng nhận quyền sử dụng đất",
        issuer_name="Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa",
        source_code="000.00.01.H56-251006-0001",
    )
    again = do_keep_upload_in_store(
        stored,
        actor=system_actor,
        owner_id_number=OWNER,
        document_type="x",
        title="x",
        issuer_name="x",
    )

    assert again.pk == item.pk
    assert DataStoreItem.objects.count() == 1
    assert (item.kind, item.document_type, item.stored_file_id) == (
        "document",
        "ten:giay chung nhan quyen su dung dat",
        stored.pk,
    )
