"""The portal's write path: drafts saved step by step, then submitted once as a dossier."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.audit.models import AuditEvent
from motcua.documents.models import DataStoreItem, StoredFile
from motcua.dossiers.enums import DocumentSource, ReuseKind
from motcua.dossiers.models import DossierDocument
from motcua.integration.models import OutboxMessage
from motcua.portal import actions, selectors
from motcua.portal.models import Draft
from tests.dossiers.conftest import Clock, fails_with, snapshot
from tests.dossiers.factories import PERSONAL_ID, World
from tests.portal import flows
from tests.portal.factories import Person

pytestmark = pytest.mark.django_db


def test_a_submitted_draft_is_one_dossier_in_status_1_with_its_reuse_flags(
    online: World, lan: Person
) -> None:
    item = flows.store_result(online)
    draft = flows.filled_draft(online, lan)

    dossier = actions.do_submit_draft(draft, actor=lan.actor)

    assert (dossier.state, dossier.national_status, dossier.channel) == (
        "submitted",
        1,
        "online_dvcqg",
    )
    assert dossier.applicant_user_id == lan.user.pk
    assert dossier.is_eid_authenticated is True
    assert (dossier.applicant_name, dossier.applicant_id_number) == ("Nguyễn Thị Lan", PERSONAL_ID)
    assert dossier.application_form["request"] == "Xây nhà ở riêng lẻ 3 tầng tại thửa đất số 12"
    rows = {
        row.procedure_document_id: row for row in DossierDocument.objects.filter(dossier=dossier)
    }
    reused = rows[online.documents["criminal_record"].pk]
    assert (reused.source, reused.reuse, reused.is_from_data_store) == (
        DocumentSource.DATA_STORE,
        ReuseKind.REUSED_WITH_RESULT_CODE,
        True,
    )
    assert reused.replacement_result_code == item.result.code
    assert reused.data_store_item_id == item.pk
    uploaded = rows[online.documents["application"].pk]
    assert (uploaded.source, uploaded.reuse, uploaded.is_provided) == ("upload", 0, True)
    assert uploaded.stored_file.subject_type == "portal.draft"
    assert Draft.objects.get(pk=draft.pk).dossier_id == dossier.pk
    event = OutboxMessage.objects.filter(topic="dossiers.dossier.submit").latest("pk")
    assert event.payload["channel"] == "online_dvcqg"


def test_a_draft_submitted_twice_creates_one_dossier(online: World, lan: Person) -> None:
    flows.store_result(online)
    draft = flows.filled_draft(online, lan)
    actions.do_submit_draft(draft, actor=lan.actor)
    before = snapshot()
    audit = AuditEvent.objects.count()

    with fails_with("portal.draft_already_submitted"):
        actions.do_submit_draft(draft, actor=lan.actor)

    assert snapshot() == before
    assert AuditEvent.objects.count() == audit


def test_an_expired_or_foreign_store_item_is_refused_and_not_offered(
    online: World, lan: Person, hung: Person, frozen: Clock
) -> None:
    item = flows.store_result(online)
    DataStoreItem.objects.filter(pk=item.pk).update(
        valid_until=frozen.moment + dt.timedelta(days=1)
    )
    draft = flows.filled_draft(online, lan, reuse=False)
    record = online.documents["criminal_record"].pk
    frozen.set(frozen.moment + dt.timedelta(days=2))
    before = snapshot()
    updated_at = Draft.objects.get(pk=draft.pk).updated_at

    with fails_with("documents.store_item_expired"):
        actions.do_pick_draft_store_item(
            draft, actor=lan.actor, procedure_document_id=record, item_id=item.pk
        )
    other = actions.do_start_draft(online.chain.code, actor=hung.actor)
    with fails_with("documents.store_item_not_found"):
        actions.do_pick_draft_store_item(
            other, actor=hung.actor, procedure_document_id=record, item_id=item.pk
        )

    requirements = selectors.list_requirements(draft, owner=PERSONAL_ID)
    assert next(r for r in requirements if r.document.pk == record).offers == []
    assert Draft.objects.get(pk=draft.pk).updated_at == updated_at
    assert snapshot()["files"] == before["files"]


def test_a_draft_with_a_missing_document_is_not_submitted(online: World, lan: Person) -> None:
    draft = actions.do_start_draft(online.chain.code, actor=lan.actor)
    before = snapshot()

    with fails_with("portal.draft_incomplete"):
        actions.do_submit_draft(draft, actor=lan.actor)

    assert snapshot() == before
    assert Draft.objects.get(pk=draft.pk).dossier_id is None


def test_a_disguised_or_oversized_file_is_refused_with_its_name(
    online: World, lan: Person, settings
) -> None:
    draft = actions.do_start_draft(online.chain.code, actor=lan.actor)
    document = online.documents["application"].pk
    settings.DOCUMENTS_MAX_FILE_MB = 0.001  # about 1 KB

    with fails_with("documents.type_not_allowed"):
        actions.do_attach_draft_file(
            draft,
            actor=lan.actor,
            procedure_document_id=document,
            uploaded_file=flows.pdf("don.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        )
    with fails_with("documents.file_too_large"):
        actions.do_attach_draft_file(
            draft,
            actor=lan.actor,
            procedure_document_id=document,
            uploaded_file=flows.pdf("to.pdf", b"%PDF-1.4\n" + b"%" * 3000 + b"\n%%EOF\n"),
        )

    assert StoredFile.objects.filter(subject_type="portal.draft").count() == 0
    assert Draft.objects.get(pk=draft.pk).documents == {}


def test_deleting_a_draft_removes_its_files(online: World, lan: Person) -> None:
    draft = flows.filled_draft(online, lan, reuse=False)
    assert StoredFile.objects.filter(subject_id=str(draft.pk)).count() == 3

    actions.do_delete_draft(draft, actor=lan.actor)

    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert StoredFile.objects.filter(subject_id=str(draft.pk)).count() == 0
    assert AuditEvent.objects.filter(action="portal.draft.delete").count() == 1
