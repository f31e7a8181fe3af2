"""Reception at the desk: receive (Form 01), supplement request (Form 02), refusal (Form 03),
online submission, boundary-free receipt, digitisation."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.dossiers.conftest import Clock, fails_with, local, pdf_upload, reload, snapshot
from tests.dossiers.factories import World, chain_submission, listing

from motcua.audit.models import AuditEvent
from motcua.documents.models import IssuedDocument
from motcua.dossiers import actions
from motcua.dossiers.actions import ApplicantData, SubmitterData, SupplementItem
from motcua.dossiers.enums import DigitisationExemption, IdType, SubmissionChannel, SubmitterKind
from motcua.dossiers.errors import (
    InvalidApplicant,
    InvalidPersonalId,
    MissingDocuments,
    NotCompetent,
)
from motcua.dossiers.models import DossierDocument, HandoverEntry, Refusal, SupplementRequest
from motcua.integration.models import OutboxMessage
from motcua.kernel.actors import Actor

pytestmark = pytest.mark.django_db


def test_counter_receipt_gives_code_due_date_route_fees_and_form_01(world: World) -> None:
    desk = world.actors["desk"]

    dossier = actions.do_receive_at_desk(world.desk, actor=desk, submission=chain_submission(world))

    dossier = reload(dossier)
    assert dossier.state == "received"
    assert dossier.national_status == 2
    assert dossier.code == "000.00.01.H56-251006-0001"
    assert dossier.received_at == local(2025, 10, 6, 9, 0)
    # 5 working days from Monday 6/10 (not counted): Tue … Mon 13/10, end of office hours.
    assert dossier.due_at == local(2025, 10, 13, 17, 0)
    assert dossier.original_due_at == dossier.due_at
    assert dossier.rule_set == "tt03_2025"
    assert dossier.is_inter_agency is True
    assert [(leg["agency_name"], leg["share_us"]) for leg in dossier.route] == [
        ("Sở Tư pháp tỉnh Thanh Hóa", 2 * 27_000_000_000),
        ("Sở Xây dựng tỉnh Thanh Hóa", 2 * 27_000_000_000),
    ]
    assert dossier.competent_agency == world.justice
    assert dossier.current_agency == world.desk
    assert dossier.fees == [
        {"name": "Lệ phí cấp giấy phép xây dựng", "kind": "fee", "amount": 75000}
    ]
    assert dossier.fee_total == 75_000
    assert dossier.applicant_id_type == IdType.PERSONAL_ID12
    form = IssuedDocument.objects.get(subject_id=str(dossier.pk))
    assert (form.kind, form.form_version, form.dossier_code) == ("01", "tt03_2025/01", dossier.code)
    row = HandoverEntry.objects.get(dossier=dossier)
    assert (row.kind, row.to_agency, row.handed_at, row.due_at) == (
        "reception",
        world.desk,
        local(2025, 10, 6, 9, 0),
        local(2025, 10, 6, 17, 0),
    )
    assert [e.action for e in AuditEvent.objects.filter(aggregate_type="dossiers.dossier")] == [
        "dossiers.dossier.submit",
        "dossiers.dossier.receive",
    ]
    message = OutboxMessage.objects.get(topic="dossiers.dossier.receive")
    assert message.payload["national_status"] == 2
    assert message.payload["previous_national_status"] == 1
    assert message.payload["code"] == dossier.code


def test_second_receipt_the_same_day_takes_the_next_number(world: World, frozen: Clock) -> None:
    desk = world.actors["desk"]
    actions.do_receive_at_desk(world.desk, actor=desk, submission=chain_submission(world))
    frozen.set(local(2025, 10, 6, 10, 0))

    second = actions.do_receive_at_desk(world.desk, actor=desk, submission=chain_submission(world))

    assert second.code == "000.00.01.H56-251006-0002"


def test_receipt_after_the_cutoff_counts_from_the_next_working_day(
    world: World, frozen: Clock
) -> None:
    frozen.set(local(2025, 10, 10, 16, 0))  # Friday after 15:00

    dossier = actions.do_receive_at_desk(
        world.desk, actor=world.actors["desk"], submission=chain_submission(world)
    )

    # Deemed receipt Monday 13/10; 5 working days → Monday 20/10.
    assert dossier.code == "000.00.01.H56-251010-0001"
    assert dossier.due_at == local(2025, 10, 20, 17, 0)
    # Transfer by the end of the next working morning.
    assert HandoverEntry.objects.get(dossier=dossier).due_at == local(2025, 10, 13, 11, 30)


def test_receiving_with_missing_required_documents_is_refused_and_writes_nothing(
    world: World,
) -> None:
    desk = world.actors["desk"]
    dossier = actions.do_register_submission(
        world.desk, actor=desk, submission=chain_submission(world, "application")
    )
    before = snapshot()

    with pytest.raises(MissingDocuments) as err:
        actions.do_receive_dossier(dossier, actor=desk)

    assert err.value.code == "dossier.missing_documents"
    assert "Giấy chứng nhận quyền sử dụng đất" in err.value.message
    assert err.value.status == 422
    assert snapshot() == before


def test_incomplete_dossier_gets_one_supplement_request_then_is_received(
    world: World, frozen: Clock
) -> None:
    desk = world.actors["desk"]
    dossier = actions.do_register_submission(
        world.desk, actor=desk, submission=chain_submission(world, "application")
    )
    land = DossierDocument.objects.get(dossier=dossier, name__startswith="Giấy chứng nhận")
    card = DossierDocument.objects.get(dossier=dossier, name="Thẻ căn cước")

    request = actions.do_request_reception_supplement(
        dossier,
        actor=desk,
        items=[
            SupplementItem("Giấy chứng nhận quyền sử dụng đất", "Chưa nộp", land.pk),
            SupplementItem("Thẻ căn cước", "Chưa xuất trình", card.pk),
        ],
    )

    assert reload(dossier).state == "reception_supplement"
    assert reload(dossier).national_status == 1
    assert reload(dossier).code is None
    assert request.items == [
        {"text": "Giấy chứng nhận quyền sử dụng đất", "reason": "Chưa nộp", "document_id": land.pk},
        {"text": "Thẻ căn cước", "reason": "Chưa xuất trình", "document_id": card.pk},
    ]
    assert request.form is not None
    assert request.form.kind == "02"

    frozen.set(local(2025, 10, 8, 8, 0))
    actions.do_record_reception_supplement(
        dossier, actor=desk, documents=world.provided("land", "identity_card")
    )
    dossier = reload(dossier)
    assert dossier.state == "submitted"
    assert SupplementRequest.objects.get().fulfilled_at == local(2025, 10, 8, 8, 0)

    actions.do_receive_dossier(dossier, actor=desk)
    assert dossier.code == "000.00.01.H56-251008-0001"
    assert dossier.due_at == local(2025, 10, 15, 17, 0)


def test_supplement_request_must_list_every_missing_document(world: World) -> None:
    desk = world.actors["desk"]
    dossier = actions.do_register_submission(
        world.desk, actor=desk, submission=chain_submission(world, "identity_card")
    )
    application = DossierDocument.objects.get(dossier=dossier, name__startswith="Đơn")
    before = snapshot()

    with fails_with("dossier.supplement_incomplete"):
        actions.do_request_reception_supplement(
            dossier,
            actor=desk,
            items=[SupplementItem("Đơn đề nghị", "Chưa có chữ ký", application.pk)],
        )
    assert snapshot() == before


def test_refusal_issues_form_03_without_code_or_due_date(world: World) -> None:
    desk = world.actors["desk"]
    dossier = actions.do_register_submission(
        world.desk, actor=desk, submission=chain_submission(world)
    )

    refusal = actions.do_refuse_dossier(
        dossier, actor=desk, reason="Công trình thuộc diện miễn giấy phép xây dựng."
    )

    dossier = reload(dossier)
    assert (dossier.state, dossier.national_status, dossier.code, dossier.due_at) == (
        "refused",
        3,
        None,
        None,
    )
    assert dossier.reference  # the submission reference is kept (R25)
    assert refusal.form is not None
    assert refusal.form.kind == "03"
    assert Refusal.objects.get().reason == "Công trình thuộc diện miễn giấy phép xây dựng."


def test_refusal_without_reason_is_rejected(world: World) -> None:
    desk = world.actors["desk"]
    dossier = actions.do_register_submission(
        world.desk, actor=desk, submission=chain_submission(world)
    )
    before = snapshot()

    with fails_with("dossier.missing_reason"):
        actions.do_refuse_dossier(dossier, actor=desk, reason="   ")
    assert snapshot() == before


def test_postal_agent_receives_but_may_not_refuse(world: World) -> None:
    postal = world.actors["postal"]
    dossier = actions.do_register_submission(
        world.desk, actor=postal, submission=chain_submission(world)
    )

    with fails_with("transition_not_allowed"):
        actions.do_refuse_dossier(dossier, actor=postal, reason="Không đủ điều kiện")
    actions.do_receive_dossier(dossier, actor=postal)
    assert reload(dossier).state == "received"


def test_online_dossier_arrives_in_status_1_and_needs_no_digitisation(world: World) -> None:
    portal = Actor.system("dvcqg")
    submission = chain_submission(world, channel=SubmissionChannel.ONLINE_DVCQG)

    dossier = actions.do_submit_online_dossier(submission, actor=portal, receiving_desk=world.desk)

    assert (dossier.state, dossier.national_status) == ("submitted", 1)
    exemptions = set(
        DossierDocument.objects.filter(dossier=dossier, is_provided=True).values_list(
            "exemption", flat=True
        )
    )
    assert exemptions == {
        DigitisationExemption.SUBMITTED_ONLINE,
        DigitisationExemption.PRESENT_ONLY,
    }
    actions.do_receive_dossier(dossier, actor=world.actors["desk"])
    actions.do_transfer_dossier(dossier, actor=world.actors["desk"])
    assert reload(dossier).state == "transferred"


def test_commune_desk_receives_for_another_commune_only_when_listed(world: World) -> None:
    commune_desk = world.actors["commune_desk"]
    submission = chain_submission(world, procedure_code=world.commune_proc.code, documents=())
    before = snapshot()

    with pytest.raises(NotCompetent) as err:
        actions.do_register_submission(
            world.commune_desk, actor=commune_desk, submission=submission
        )

    assert err.value.code == "dossier.not_competent"
    assert "Ủy ban nhân dân xã Đông Tiến" in err.value.message
    assert snapshot() == before

    listing(world, world.commune_proc.code)
    dossier = actions.do_receive_at_desk(
        world.commune_desk, actor=commune_desk, submission=submission
    )
    assert dossier.receiving_desk == world.commune_desk
    assert dossier.competent_agency == world.commune_pc_b
    assert dossier.code.startswith("000.41.01.H56-251006-")


def test_desk_may_not_receive_for_another_province(world: World) -> None:
    submission = chain_submission(world, competent_agency_id=world.other_province_agency.pk)

    with pytest.raises(NotCompetent):
        actions.do_register_submission(
            world.desk, actor=world.actors["desk"], submission=submission
        )


@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        (ApplicantData(name="", id_number="001303012345"), "applicant.name"),
        (ApplicantData(name="A", id_number="001303012345", birth_year=1993), "applicant.id_number"),
        (ApplicantData(name="A", id_number="12345"), "applicant.id_number"),
        (ApplicantData(name="A", id_number="999303012345"), "applicant.id_number"),
    ],
)
def test_bad_applicant_identification_is_rejected(
    world: World, applicant: ApplicantData, field: str
) -> None:
    before = snapshot()

    with pytest.raises((InvalidApplicant, InvalidPersonalId)) as err:
        actions.do_register_submission(
            world.desk,
            actor=world.actors["desk"],
            submission=chain_submission(world, applicant=applicant),
        )

    assert field in err.value.field_errors
    assert snapshot() == before


def test_old_nine_digit_id_card_is_accepted_as_such(world: World) -> None:
    applicant = ApplicantData(name="Phạm Văn Cũ", id_number="172345678")

    dossier = actions.do_register_submission(
        world.desk,
        actor=world.actors["desk"],
        submission=chain_submission(world, applicant=applicant),
    )

    assert dossier.applicant_id_type == IdType.LEGACY_ID9


def test_authorised_submitter_needs_authorisation_document(world: World) -> None:
    submitter = SubmitterData(
        kind=SubmitterKind.AUTHORISED, name="Lê Văn Nhận", id_number="038090001234"
    )

    with pytest.raises(InvalidApplicant) as err:
        actions.do_register_submission(
            world.desk,
            actor=world.actors["desk"],
            submission=chain_submission(world, submitter=submitter),
        )

    assert list(err.value.field_errors) == ["submitter.authorisation_note"]


def test_official_of_another_desk_may_not_register_here(world: World) -> None:
    with fails_with("dossier.out_of_scope"):
        actions.do_register_submission(
            world.desk, actor=world.actors["commune_desk"], submission=chain_submission(world)
        )


def test_digitisation_and_exemption_are_recorded(world: World) -> None:
    desk = world.actors["desk"]
    dossier = actions.do_receive_at_desk(world.desk, actor=desk, submission=chain_submission(world))
    application = DossierDocument.objects.get(dossier=dossier, name__startswith="Đơn")
    land = DossierDocument.objects.get(dossier=dossier, name__startswith="Giấy chứng nhận")
    actions.do_digitise_document(application, actor=desk, uploaded_file=pdf_upload())
    actions.do_mark_document_exempt(
        land, actor=desk, exemption=DigitisationExemption.CONFIDENTIAL, note="Tài liệu mật"
    )

    application.refresh_from_db()
    land.refresh_from_db()
    assert application.stored_file is not None
    assert application.digitised_at == local(2025, 10, 6, 9, 0)
    assert land.exemption == "confidential"
    assert [
        e.action
        for e in AuditEvent.objects.filter(aggregate_type="dossiers.dossier").order_by("seq")
    ][-2:] == ["dossiers.dossier.digitise_document", "dossiers.dossier.mark_document_exempt"]


def test_digitisation_and_exemption_return_the_rows_as_stored(world: World) -> None:
    desk = world.actors["desk"]
    dossier = actions.do_receive_at_desk(world.desk, actor=desk, submission=chain_submission(world))
    application = DossierDocument.objects.get(dossier=dossier, name__startswith="Đơn")
    land = DossierDocument.objects.get(dossier=dossier, name__startswith="Giấy chứng nhận")

    digitised = actions.do_digitise_document(application, actor=desk, uploaded_file=pdf_upload())
    exempt = actions.do_mark_document_exempt(
        land, actor=desk, exemption=DigitisationExemption.CONFIDENTIAL, note=" Tài liệu mật "
    )

    fields = ["stored_file_id", "digitised_at", "digitised_by", "exemption", "exemption_note"]
    for returned in (digitised, exempt):
        stored = DossierDocument.objects.get(pk=returned.pk)
        assert [getattr(returned, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert (exempt.exemption, exempt.exemption_note) == ("confidential", "Tài liệu mật")
    assert digitised.digitised_by == desk.ref
    assert not digitised.needs_digitisation
    assert not exempt.needs_digitisation


def test_rule_set_follows_the_receipt_date(world: World, frozen: Clock) -> None:
    frozen.set(local(2025, 9, 12, 9, 0))  # before Circular 03/2025 forms apply (15/9/2025)

    dossier = actions.do_receive_at_desk(
        world.desk, actor=world.actors["desk"], submission=chain_submission(world)
    )

    assert dossier.rule_set == "tt01_2018"
    assert IssuedDocument.objects.get().form_version == "tt01_2018/01"
    assert dossier.received_at is not None
    assert dossier.received_at - local(2025, 9, 12, 9, 0) == dt.timedelta(0)
