"""The applicant's own online actions on a dossier: answer a supplement request at
reception and in processing, withdraw, rate (the contract of ``dossiers.dossier.rated``)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.dossiers.conftest import Clock, fails_with, local, snapshot
from tests.dossiers.factories import World
from tests.portal import flows
from tests.portal.factories import Person

from motcua.audit.models import AuditEvent
from motcua.documents.models import DataStoreItem
from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem, SuppliedDocument
from motcua.dossiers.models import Dossier, DossierDocument, Rating, SupplementRequest
from motcua.integration.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("online")]


def _document(dossier: Dossier, world: World, name: str) -> DossierDocument:
    return DossierDocument.objects.get(dossier=dossier, procedure_document=world.documents[name])


def test_a_reception_supplement_answered_online_goes_back_to_the_desk(
    world: World, lan: Person
) -> None:
    dossier = flows.submitted(world, lan)
    land = _document(dossier, world, "land")
    actions.do_request_reception_supplement(
        dossier,
        actor=world.actors["desk"],
        items=[SupplementItem("Giấy chứng nhận quyền sử dụng đất", "Bản chụp mờ", land.pk)],
    )

    request = actions.do_answer_supplement(
        Dossier.objects.get(pk=dossier.pk),
        actor=lan.actor,
        supplied=[SuppliedDocument(land.pk, uploaded_file=flows.pdf("gcn-ro.pdf"))],
        note="Đã chụp lại bản rõ",
    )

    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.state, fresh.national_status) == ("submitted", 1)
    assert (request.answered_online, request.answer_note) == (True, "Đã chụp lại bản rõ")
    assert request.fulfilled_at is not None
    land.refresh_from_db()
    assert land.stored_file.original_name == "gcn-ro.pdf"
    assert land.stored_file.subject_type == "dossiers.dossier"
    event = AuditEvent.objects.filter(aggregate_id=str(dossier.pk)).latest("seq")
    assert event.action == "dossiers.dossier.resubmit_online"
    assert event.data["documents"] == [land.pk]
    assert OutboxMessage.objects.filter(topic="dossiers.dossier.resubmit_online").count() == 1


def test_a_processing_supplement_answered_from_the_data_store_restarts_the_clock(
    world: World, lan: Person, frozen: Clock
) -> None:
    dossier = flows.in_process_online(world, lan)
    form = _document(dossier, world, "criminal_form")
    # The desk accepted the uploaded declaration at reception: it is in Lan's store now.
    kept = DataStoreItem.objects.get(stored_file=form.stored_file_id)
    actions.do_request_supplement(
        Dossier.objects.get(pk=dossier.pk),
        actor=world.actors["justice_handler"],
        items=[SupplementItem("Tờ khai", "Thiếu chữ ký", form.pk)],
    )
    due_before = Dossier.objects.get(pk=dossier.pk).due_at
    frozen.set(local(2025, 10, 7, 9, 0))  # one working day later

    actions.do_answer_supplement(
        Dossier.objects.get(pk=dossier.pk),
        actor=lan.actor,
        supplied=[SuppliedDocument(form.pk, data_store_item_id=kept.pk)],
    )

    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.state, fresh.national_status) == ("in_process", 4)
    assert fresh.due_at - due_before == dt.timedelta(days=1)
    form.refresh_from_db()
    assert (form.source, form.reuse, form.is_from_data_store) == ("data_store", 1, True)
    assert form.data_store_item_id == kept.pk
    request = SupplementRequest.objects.get(dossier=dossier, stage="processing")
    assert request.paused_working_time == dt.timedelta(hours=7, minutes=30)  # one office day
    assert OutboxMessage.objects.filter(topic="dossiers.dossier.supplement_online").count() == 1


def test_a_supplement_answer_must_give_every_requested_document(world: World, lan: Person) -> None:
    dossier = flows.in_process_online(world, lan)
    form = _document(dossier, world, "criminal_form")
    actions.do_request_supplement(
        Dossier.objects.get(pk=dossier.pk),
        actor=world.actors["justice_handler"],
        items=[SupplementItem("Tờ khai", "Thiếu chữ ký", form.pk)],
    )
    before = snapshot()

    with fails_with("dossier.empty_supplement_answer"):
        actions.do_answer_supplement(
            Dossier.objects.get(pk=dossier.pk), actor=lan.actor, supplied=[]
        )
    with fails_with("dossier.supplement_answer_incomplete"):
        actions.do_answer_supplement(
            Dossier.objects.get(pk=dossier.pk),
            actor=lan.actor,
            supplied=[SuppliedDocument(None, uploaded_file=flows.pdf("khac.pdf"))],
        )
    with fails_with("documents.files_rejected"):
        actions.do_answer_supplement(
            Dossier.objects.get(pk=dossier.pk),
            actor=lan.actor,
            supplied=[SuppliedDocument(form.pk, uploaded_file=flows.pdf("x.pdf", b"MZ" * 300))],
        )

    assert snapshot() == before


def test_only_the_applicant_may_answer_withdraw_or_rate(
    world: World, lan: Person, hung: Person
) -> None:
    dossier = flows.submitted_single(world, lan)
    before = snapshot()

    with fails_with("dossier.not_found"):
        actions.do_withdraw_by_applicant(dossier, actor=hung.actor, reason="Không cần nữa")
    with fails_with("dossier.not_found"):
        actions.do_withdraw_by_applicant(
            dossier, actor=world.actors["desk"], reason="Không cần nữa"
        )
    with fails_with("dossier.not_found"):
        actions.do_rate_dossier(
            dossier, actor=hung.actor, criteria=[2] * 9, satisfaction="satisfied"
        )

    assert snapshot() == before


def test_the_applicant_withdraws_online_but_not_after_the_result(world: World, lan: Person) -> None:
    dossier = flows.submitted_single(world, lan)

    actions.do_withdraw_by_applicant(dossier, actor=lan.actor, reason="Đã nộp nhầm thủ tục")

    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.state, fresh.national_status) == ("withdrawn", 7)
    message = OutboxMessage.objects.get(topic="dossiers.dossier.withdraw_online")
    assert (message.payload["national_status"], message.payload["reason"]) == (
        7,
        "Đã nộp nhầm thủ tục",
    )

    returned = flows.returned_online(world, lan)
    before = snapshot()
    with fails_with("dossier.withdrawal_after_result"):
        actions.do_withdraw_by_applicant(returned, actor=lan.actor, reason="Rút")
    assert snapshot() == before


def test_a_rating_after_return_emits_the_scoreboard_contract(world: World, lan: Person) -> None:
    dossier = flows.returned_online(world, lan)

    rating = actions.do_rate_dossier(
        dossier,
        actor=lan.actor,
        criteria=[2, 2, 1, 1, 2, 2, 2, 1, 0],
        satisfaction="very_satisfied",
        comment="Nhanh",
    )

    assert (rating.total, rating.satisfaction, rating.criteria) == (
        13,
        "very_satisfied",
        [2, 2, 1, 1, 2, 2, 2, 1, 0],
    )
    message = OutboxMessage.objects.get(topic="dossiers.dossier.rated")
    assert message.payload == {
        "code": dossier.code,
        "reference": dossier.reference,
        "criteria": [2, 2, 1, 1, 2, 2, 2, 1, 0],
        "total": 13,
        "satisfaction": "very_satisfied",
        "rated_at": "2025-10-06T02:00:00+00:00",
        "actor": lan.actor.ref,
    }
    audit = AuditEvent.objects.filter(action="dossiers.dossier.rated").get()
    assert audit.data["total"] == 13


def test_rating_twice_before_return_or_with_bad_scores_changes_nothing(
    world: World, lan: Person
) -> None:
    early = flows.submitted_single(world, lan)
    with fails_with("dossier.rating_not_open"):
        actions.do_rate_dossier(early, actor=lan.actor, criteria=[2] * 9, satisfaction="satisfied")
    dossier = flows.returned_online(world, lan)
    with fails_with("dossier.invalid_rating"):
        actions.do_rate_dossier(
            dossier, actor=lan.actor, criteria=[3] * 9, satisfaction="satisfied"
        )
    with fails_with("dossier.invalid_rating"):
        actions.do_rate_dossier(
            dossier, actor=lan.actor, criteria=[2] * 8, satisfaction="satisfied"
        )
    with fails_with("dossier.invalid_rating"):
        actions.do_rate_dossier(dossier, actor=lan.actor, criteria=[2] * 9, satisfaction="meh")
    actions.do_rate_dossier(dossier, actor=lan.actor, criteria=[1] * 9, satisfaction="satisfied")
    before = snapshot()
    ratings = list(Rating.objects.values_list("total", flat=True))

    with fails_with("dossier.rating_already_given"):
        actions.do_rate_dossier(
            dossier, actor=lan.actor, criteria=[2] * 9, satisfaction="very_satisfied"
        )

    assert snapshot() == before
    assert list(Rating.objects.values_list("total", flat=True)) == ratings == [9]


def test_results_and_accepted_uploads_reach_the_applicants_store(
    world: World, lan: Person, settings
) -> None:
    settings.DOCUMENTS_RESULT_VALIDITY_DAYS = {world.single.code: 180}
    dossier = flows.submitted_single(world, lan)
    form = _document(dossier, world, "criminal_form")
    assert not DataStoreItem.objects.filter(stored_file=form.stored_file_id).exists()

    returned = flows.returned_online(world, lan)

    kept = DataStoreItem.objects.filter(owner_id_number=returned.applicant_id_number)
    result_item = kept.get(kind="result")
    assert result_item.result_id == Dossier.objects.get(pk=returned.pk).result_id
    assert result_item.valid_until == result_item.issued_at + dt.timedelta(days=180)
    assert result_item.procedure_code == world.single.code
    upload_item = kept.get(kind="document")
    assert upload_item.issuer_name == world.desk.name
    assert upload_item.source_code == Dossier.objects.get(pk=returned.pk).code


def test_a_file_uploaded_for_a_processing_supplement_reaches_the_store_at_signing(
    world: World, lan: Person
) -> None:
    a = world.actors
    dossier = flows.in_process_online(world, lan)
    form = _document(dossier, world, "criminal_form")
    actions.do_request_supplement(
        Dossier.objects.get(pk=dossier.pk),
        actor=a["justice_handler"],
        items=[SupplementItem("Tờ khai", "Thiếu chữ ký", form.pk)],
    )
    actions.do_answer_supplement(
        Dossier.objects.get(pk=dossier.pk),
        actor=lan.actor,
        supplied=[SuppliedDocument(form.pk, uploaded_file=flows.pdf("to-khai-ky.pdf"))],
    )
    form.refresh_from_db()
    assert not DataStoreItem.objects.filter(stored_file=form.stored_file_id).exists()

    dossier = Dossier.objects.get(pk=dossier.pk)
    actions.do_submit_for_review(dossier, actor=a["justice_handler"])
    actions.do_approve_dossier(dossier, actor=a["justice_reviewer"])
    actions.do_sign_result(dossier, actor=a["justice_signer"])

    item = DataStoreItem.objects.get(stored_file=form.stored_file_id)
    assert (item.kind, item.owner_id_number) == ("document", dossier.applicant_id_number)
