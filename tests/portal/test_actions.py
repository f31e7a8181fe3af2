"""The portal's write path: drafts saved step by step, then submitted once as a dossier."""

from __future__ import annotations

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers.enums import DocumentSource, ReuseKind
from motcua.dossiers.models import DossierDocument
from motcua.integration.models import OutboxMessage
from motcua.portal import actions
from motcua.portal.models import Draft
from tests.dossiers.conftest import fails_with, snapshot
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
