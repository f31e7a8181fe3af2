"""Drive online applications through the portal actions (never by writing rows)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import DataStoreItem
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.models import Dossier
from motcua.portal import actions
from motcua.portal.models import Draft
from tests.dossiers import flows as dossier_flows
from tests.dossiers.conftest import MINIMAL_PDF
from tests.dossiers.factories import World
from tests.portal.factories import Person


def pdf(name: str = "scan.pdf", data: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def store_result(world: World) -> DataStoreItem:
    """Issue a criminal-record certificate to the world's personal ID (the counter flow):
    the signed result lands in the holder's data store."""
    dossier = dossier_flows.result_ready(world)
    return DataStoreItem.objects.get(result_id=dossier.result_id)


def filled_draft(world: World, person: Person, *, reuse: bool = True) -> Draft:
    """A draft of the inter-agency procedure with the e-form filled and every required
    document attached (the criminal record from the data store when ``reuse``)."""
    draft = actions.do_start_draft(world.chain.code, actor=person.actor)
    actions.do_save_draft_form(
        draft,
        actor=person.actor,
        values={
            "request": "Xây nhà ở riêng lẻ 3 tầng tại thửa đất số 12",
            "phone": "0912345678",
            "email": "lan@example.test",
            "address": "Số 1 Lê Lợi",
            "return_channel": "online",
        },
    )
    for name in ("application", "land"):
        actions.do_attach_draft_file(
            draft,
            actor=person.actor,
            procedure_document_id=world.documents[name].pk,
            uploaded_file=pdf(f"{name}.pdf"),
        )
    if not reuse:
        actions.do_attach_draft_file(
            draft,
            actor=person.actor,
            procedure_document_id=world.documents["criminal_record"].pk,
            uploaded_file=pdf("lltp.pdf"),
        )
    return Draft.objects.get(pk=draft.pk)


def submitted(world: World, person: Person) -> Dossier:
    store_result(world)
    draft = filled_draft(world, person)
    return actions.do_submit_draft(draft, actor=person.actor)


def submitted_single(world: World, person: Person) -> Dossier:
    """An online dossier of the one-agency, fee-free procedure (status 1)."""
    draft = actions.do_start_draft(world.single.code, actor=person.actor)
    actions.do_save_draft_form(
        draft,
        actor=person.actor,
        values={"request": "Cấp phiếu số 1", "return_channel": "online"},
    )
    actions.do_attach_draft_file(
        draft,
        actor=person.actor,
        procedure_document_id=world.documents["criminal_form"].pk,
        uploaded_file=pdf("to-khai.pdf"),
    )
    return actions.do_submit_draft(draft, actor=person.actor)


def in_process_online(world: World, person: Person) -> Dossier:
    """The online single-agency dossier received, transferred and assigned at Sở Tư pháp."""
    a = world.actors
    dossier = submitted_single(world, person)
    dossier_actions.do_receive_dossier(dossier, actor=a["desk"])
    dossier_actions.do_transfer_dossier(dossier, actor=a["desk"])
    dossier_actions.do_assign_dossier(
        dossier, actor=a["justice_reviewer"], assignee_id=a["justice_handler"].user_id
    )
    return dossier


def returned_online(world: World, person: Person) -> Dossier:
    """The online single-agency dossier signed and returned (status 10)."""
    a = world.actors
    dossier = in_process_online(world, person)
    dossier_actions.do_submit_for_review(dossier, actor=a["justice_handler"])
    dossier_actions.do_approve_dossier(dossier, actor=a["justice_reviewer"])
    dossier_actions.do_sign_result(dossier, actor=a["justice_signer"])
    dossier_actions.do_return_result(dossier, actor=a["desk"], note="Trả kết quả điện tử")
    return dossier
