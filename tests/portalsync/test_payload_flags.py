"""The portal's flags of data reuse and online payment come from the portal and payments apps."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.enums import ReuseKind
from motcua.dossiers.models import DossierDocument
from motcua.payments.actions import do_handle_notification
from motcua.payments.selectors import paid_online_dossier_ids
from motcua.portalsync.payloads import record_of
from motcua.portalsync.selectors import load_for_sync
from tests.dossiers.factories import World
from tests.payments.conftest import notification, payment_settings, started  # noqa: F401
from tests.portal import flows as portal_flows

pytestmark = pytest.mark.django_db


def test_a_document_taken_from_the_data_store_is_sent_with_its_reuse_flags(
    online: World, lan: Any
) -> None:
    dossier = portal_flows.submitted(online, lan)
    dossier_actions.do_receive_dossier(dossier, actor=online.actors["desk"])
    reused = DossierDocument.objects.get(dossier=dossier, is_from_data_store=True)

    dossiers, contexts = load_for_sync({dossier.pk})
    record = record_of(dossiers[dossier.pk], dossier.code, contexts[dossier.pk])

    sent = {row["TenTepDinhKem"]: row for row in record["TaiLieuNop"]}
    assert reused.reuse == ReuseKind.REUSED_WITH_RESULT_CODE
    assert reused.replacement_result_code != ""
    assert (
        sent[reused.name]["DuocTaiSuDung"],
        sent[reused.name]["DuocLayTuKhoDMQG"],
        sent[reused.name]["MaKetQuaThayThe"],
    ) == (2, 1, reused.replacement_result_code)
    uploaded = [row for name, row in sent.items() if name != reused.name]
    assert {(row["DuocTaiSuDung"], row["DuocLayTuKhoDMQG"]) for row in uploaded} == {(0, 0)}
    assert record["DuocThanhToanTrucTuyen"] == 0


def test_a_dossier_paid_on_the_payment_platform_is_sent_as_paid_online(world: World) -> None:
    dossier, _order, attempt = started(world)
    assert paid_online_dossier_ids([dossier.pk]) == set()

    do_handle_notification(notification(attempt))

    assert paid_online_dossier_ids([dossier.pk]) == {dossier.pk}
    dossiers, contexts = load_for_sync({dossier.pk})
    record = record_of(dossiers[dossier.pk], dossier.code, contexts[dossier.pk])
    assert record["DuocThanhToanTrucTuyen"] == 1
