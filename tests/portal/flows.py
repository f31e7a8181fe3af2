"""Drive online applications through the portal actions (never by writing rows)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import DataStoreItem
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
