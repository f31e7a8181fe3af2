"""``do_revoke_result``: once, with a reason, by the issuing agency's signer or the system."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from motcua.audit.models import AuditEvent
from motcua.documents.actions import do_revoke_result
from motcua.documents.errors import (
    DocumentPermissionDenied,
    ResultAlreadyRevoked,
    RevocationReasonRequired,
)
from motcua.documents.models import Result
from motcua.integration.models import OutboxMessage
from motcua.kernel.actors import Actor, ActorKind
from tests.documents.conftest import DOSSIER_CODE, official
from tests.documents.factories import make_result

pytestmark = pytest.mark.django_db

CODE = DOSSIER_CODE + "-KQ1"
NOW = dt.datetime(2026, 4, 1, 3, 0, tzinfo=dt.UTC)


def _nothing_written() -> None:
    result = Result.objects.get()
    assert (result.is_revoked, result.revoked_at, result.revocation_reason) == (False, None, "")
    assert AuditEvent.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_the_signer_of_the_issuing_agency_revokes_with_a_reason(justice) -> None:
    # Given a valid result of the Department of Justice and its leader
    result = make_result()
    leader = official(justice, "signer", id="77")

    # When the leader revokes it
    with mock.patch("motcua.kernel.clock.now", return_value=NOW):
        revoked = do_revoke_result(result, actor=leader, reason="  Cấp nhầm người  ")

    # Then the flag, time, reason and author are stored
    stored = Result.objects.get()
    assert revoked == stored
    assert (stored.is_revoked, stored.revoked_at) == (True, NOW)
    assert (stored.revocation_reason, stored.revoked_by) == ("Cấp nhầm người", "official:77")
    # and one audit row and one outbox message tell the other stores
    event = AuditEvent.objects.get()
    assert (event.aggregate_type, event.aggregate_id) == ("documents.result", CODE)
    assert (event.action, event.actor_ref, event.data) == (
        "documents.result_revoked",
        "official:77",
        {"reason": "Cấp nhầm người"},
    )
    message = OutboxMessage.objects.get()
    assert message.topic == "documents.result_revoked"
    assert message.payload == {
        "code": CODE,
        "subject_type": "dossiers.dossier",
        "subject_id": "42",
        "agency_code": "000.00.12.H56",
        "revoked_at": "2026-04-01T03:00:00Z",
        "reason": "Cấp nhầm người",
    }


def test_a_second_revocation_is_refused_and_writes_nothing_more(system_actor) -> None:
    result = make_result()
    stale = Result.objects.get()
    do_revoke_result(result, actor=system_actor, reason="Cấp nhầm người")

    with pytest.raises(ResultAlreadyRevoked) as caught:
        do_revoke_result(result, actor=system_actor, reason="Lần nữa")
    # also through a stale copy read before the first revocation (the flag is compare-and-set)
    with pytest.raises(ResultAlreadyRevoked):
        do_revoke_result(stale, actor=system_actor, reason="Lần nữa")

    assert caught.value.code == "documents.already_revoked"
    assert caught.value.status == 409
    assert caught.value.message == f"Kết quả {CODE} đã bị hủy hiệu lực trước đó."
    assert Result.objects.get().revocation_reason == "Cấp nhầm người"
    assert AuditEvent.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_a_blank_reason_is_refused(system_actor) -> None:
    result = make_result()
    with pytest.raises(RevocationReasonRequired) as caught:
        do_revoke_result(result, actor=system_actor, reason="   ")
    assert caught.value.code == "documents.revocation_reason_required"
    assert caught.value.message == "Vui lòng nêu lý do hủy hiệu lực kết quả."
    _nothing_written()


@pytest.mark.parametrize(
    "who",
    ["handler-of-the-agency", "signer-of-another-agency", "citizen", "anonymous", "no-agency"],
)
def test_others_may_not_revoke_and_nothing_is_written(justice, health, who: str) -> None:
    actor = {
        "handler-of-the-agency": official(justice, "handler"),
        "signer-of-another-agency": official(health, "signer"),
        "citizen": Actor(kind=ActorKind.CITIZEN, id="c-1", display_name="Công dân"),
        "anonymous": Actor.anonymous(),
        "no-agency": Actor(kind=ActorKind.OFFICIAL, id="5", roles=frozenset({"signer"})),
    }[who]
    result = make_result()
    with pytest.raises(DocumentPermissionDenied) as caught:
        do_revoke_result(result, actor=actor, reason="Cấp nhầm người")
    assert caught.value.status == 403
    _nothing_written()


def test_a_system_admin_of_the_agency_may_revoke(justice) -> None:
    result = make_result()
    do_revoke_result(
        result, actor=official(justice, "system_admin"), reason="Thu hồi theo quyết định"
    )
    assert Result.objects.get().is_revoked is True


def test_a_result_of_an_agency_unknown_here_is_revocable_only_by_the_system(
    justice, system_actor
) -> None:
    result = make_result(agency_code="000.00.99.H56")
    with pytest.raises(DocumentPermissionDenied):
        do_revoke_result(result, actor=official(justice, "signer"), reason="Cấp nhầm")
    do_revoke_result(result, actor=system_actor, reason="Cấp nhầm")
    assert Result.objects.get().is_revoked is True
