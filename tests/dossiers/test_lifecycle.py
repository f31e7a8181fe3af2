"""The whole life of an inter-agency dossier: counter → Sở Tư pháp → Sở Xây dựng → signed
result → payment → return, with a supplement pause and one apology, at exact dates."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.dossiers.conftest import Clock, digitise_all, local, reload
from tests.dossiers.factories import World, chain_submission

from motcua.audit.models import AuditEvent
from motcua.documents.models import IssuedDocument, Result
from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem
from motcua.dossiers.models import Extension, HandoverEntry, SupplementRequest
from motcua.integration.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _transitions(dossier_id: int) -> list[str]:
    return [
        e.action.rsplit(".", 1)[-1]
        for e in AuditEvent.objects.filter(
            aggregate_type="dossiers.dossier", aggregate_id=str(dossier_id)
        ).order_by("seq")
    ]


def test_inter_agency_dossier_from_counter_to_returned_result(world: World, frozen: Clock) -> None:
    a = world.actors
    # Monday 6/10 09:00: received at the provincial centre, due Monday 13/10 17:00.
    dossier = actions.do_receive_at_desk(
        world.desk, actor=a["desk"], submission=chain_submission(world)
    )
    digitise_all(dossier, a["desk"])

    frozen.set(local(2025, 10, 6, 10, 0))
    actions.do_transfer_dossier(dossier, actor=a["desk"])
    assert (dossier.state, dossier.national_status, dossier.current_agency) == (
        "transferred",
        4,
        world.justice,
    )

    # Sở Tư pháp: assign, process, review, sign its part, forward.
    frozen.set(local(2025, 10, 6, 14, 0))
    actions.do_assign_dossier(
        dossier, actor=a["justice_reviewer"], assignee_id=a["justice_handler"].user_id
    )
    actions.do_submit_for_review(dossier, actor=a["justice_handler"])
    actions.do_approve_dossier(dossier, actor=a["justice_reviewer"])
    frozen.set(local(2025, 10, 7, 9, 0))
    actions.do_forward_to_next_agency(dossier, actor=a["justice_signer"])
    assert dossier.current_agency == world.construction
    assert dossier.route_position == 1
    assert dossier.state == "transferred"

    # Sở Xây dựng asks for a supplement on Wednesday 8/10 10:00 (clock paused) …
    frozen.set(local(2025, 10, 7, 10, 0))
    actions.do_assign_dossier(
        dossier, actor=a["construction_handler"], assignee_id=a["construction_handler"].user_id
    )
    frozen.set(local(2025, 10, 8, 10, 0))
    request = actions.do_request_supplement(
        dossier,
        actor=a["construction_handler"],
        items=[SupplementItem("Bản vẽ mặt bằng móng", "Thiếu chữ ký của đơn vị thiết kế")],
    )
    assert (dossier.state, dossier.national_status, dossier.supplement_count) == (
        "supplement_requested",
        5,
        1,
    )
    assert request.form is not None
    assert request.form.kind == "02"

    # … the applicant brings it to the desk on Friday 10/10 10:00: two working days paused.
    frozen.set(local(2025, 10, 10, 10, 0))
    actions.do_receive_supplement(dossier, actor=a["desk"])
    dossier = reload(dossier)
    assert dossier.state == "in_process"
    assert dossier.paused_working_time == dt.timedelta(hours=15)
    assert dossier.due_at == local(2025, 10, 15, 17, 0)
    assert dossier.original_due_at == local(2025, 10, 13, 17, 0)
    assert SupplementRequest.objects.get(stage="processing").paused_working_time == dt.timedelta(
        hours=15
    )

    # Running late: the agency apologises once, before the date, with a new date.
    frozen.set(local(2025, 10, 14, 9, 0))
    extension = actions.do_issue_apology(
        dossier,
        actor=a["construction_reviewer"],
        reason="Cần thêm thời gian kiểm tra hiện trạng công trình.",
        new_due_at=local(2025, 10, 17, 17, 0),
    )
    dossier = reload(dossier)
    assert dossier.due_at == local(2025, 10, 17, 17, 0)
    assert dossier.original_due_at == local(2025, 10, 13, 17, 0)
    assert extension.previous_due_at == local(2025, 10, 15, 17, 0)
    assert extension.form is not None
    assert extension.form.kind == "04"

    actions.do_submit_for_review(dossier, actor=a["construction_handler"])
    actions.do_approve_dossier(dossier, actor=a["construction_reviewer"])

    # Signature: fees are due (75,000 đồng) → status 6 until paid, then 9.
    frozen.set(local(2025, 10, 16, 15, 0))
    actions.do_sign_result(dossier, actor=a["construction_signer"])
    assert (dossier.state, dossier.national_status) == ("result_awaiting_payment", 6)
    result = Result.objects.get()
    assert result.code == f"{dossier.code}-KQ1"
    assert result.agency_code == world.construction.code
    assert dossier.finished_at == local(2025, 10, 16, 15, 0)
    assert dossier.current_agency == world.desk

    frozen.set(local(2025, 10, 17, 8, 0))
    actions.do_record_payment(dossier, actor=a["desk"], reference="BL-0001")
    assert (dossier.state, dossier.national_status) == ("result_ready", 9)
    actions.do_return_result(dossier, actor=a["desk"], note="Biên bản giao nhận số 12")
    dossier = reload(dossier)
    assert (dossier.state, dossier.national_status) == ("returned", 10)
    assert dossier.returned_at == local(2025, 10, 17, 8, 0)
    assert dossier.paid_at == local(2025, 10, 17, 8, 0)

    assert _transitions(dossier.pk) == [
        "submit",
        "receive",
        "digitise_document",
        "digitise_document",
        "transfer",
        "assign",
        "submit_for_review",
        "approve",
        "forward_to_next_agency",
        "assign",
        "request_supplement",
        "receive_supplement",
        "issue_apology",
        "submit_for_review",
        "approve",
        "sign_result_pending_payment",
        "record_payment_release",
        "return_result",
    ]
    topics = list(
        OutboxMessage.objects.filter(aggregate_type="dossiers.dossier").values_list(
            "topic", flat=True
        )
    )
    assert len(topics) == 18
    assert [m.payload["national_status"] for m in OutboxMessage.objects.filter(
        aggregate_type="dossiers.dossier", topic__in=[
            "dossiers.dossier.receive", "dossiers.dossier.transfer",
            "dossiers.dossier.request_supplement", "dossiers.dossier.receive_supplement",
            "dossiers.dossier.sign_result_pending_payment",
            "dossiers.dossier.record_payment_release", "dossiers.dossier.return_result",
        ]
    ).order_by("pk")] == [2, 4, 5, 4, 6, 9, 10]  # fmt: skip
    assert sorted(IssuedDocument.objects.values_list("kind", flat=True)) == ["01", "02", "04"]
    assert Extension.objects.count() == 1

    # The process control slip: desk → justice → construction → desk.
    rows = list(HandoverEntry.objects.filter(dossier=dossier).order_by("position"))
    assert [r.position for r in rows] == [1, 2, 3, 4]
    assert [(r.kind, r.to_agency.code, r.timeliness) for r in rows] == [
        ("reception", world.desk.code, "early"),
        ("transfer", world.justice.code, "early"),
        ("forward", world.construction.code, "late"),
        ("result", world.desk.code, "on_time"),
    ]
    justice_row = rows[1]
    # 2 working days (15 h) from Monday 10:00 → Wednesday 10:00; used Mon 10:00 → Tue 09:00.
    assert justice_row.due_at == local(2025, 10, 8, 10, 0)
    assert justice_row.used == dt.timedelta(hours=6, minutes=30)
    construction_row = rows[2]
    # Tue 09:00 → Thu 16/10 15:00 is 56 h 30 of office time, minus the 15 h pause.
    assert construction_row.used == dt.timedelta(hours=41, minutes=30)
    assert rows[3].done_at == local(2025, 10, 17, 8, 0)
