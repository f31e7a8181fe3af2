"""``/api/v1/dossiers``: the desk and agency operations over HTTP, with the same rules,
problem+json errors, 409 on concurrent changes, keyset pages and public tracking."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.dossiers import flows
from tests.dossiers.conftest import Clock, local, snapshot
from tests.dossiers.factories import PERSONAL_ID, World

from motcua.dossiers.models import Dossier, DossierDocument

pytestmark = pytest.mark.django_db

BASE = "/api/v1/dossiers"


def client_for(world: World, who: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=world.actors[who].user_id))
    return client


def submission_payload(world: World) -> dict[str, Any]:
    return {
        "procedure_code": world.chain.code,
        "applicant": {
            "name": "Nguyễn Thị Lan",
            "id_number": PERSONAL_ID,
            "birth_year": 2003,
            "is_female": True,
            "phone": "0912345678",
        },
        "documents": [
            {"procedure_document_id": world.documents[name].pk, "originals": 1}
            for name in ("application", "land", "identity_card")
        ],
    }


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def test_anonymous_callers_are_refused(world: World) -> None:
    response = Client().get(f"{BASE}/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_register_receive_and_transfer_over_http(world: World) -> None:
    desk = client_for(world, "desk")

    created = post(desk, "/", submission_payload(world))
    assert created.status_code == 201, created.content
    dossier_id = created.json()["id"]
    assert created.json()["state"] == "submitted"
    assert [a["name"] for a in created.json()["actions"]] == [
        "receive",
        "request_reception_supplement",
        "refuse",
        "withdraw",
        "digitise_document",
        "mark_document_exempt",
    ]

    received = post(desk, f"/{dossier_id}/receive", {"expected_state": "submitted"})
    assert received.status_code == 200, received.content
    body = received.json()
    assert body["code"] == "000.00.01.H56-251006-0001"
    assert body["national_status"] == 2
    assert body["due_at"] == "2025-10-13T10:00:00Z"
    assert body["applicant_id_masked"] == "001******345"
    assert PERSONAL_ID not in received.content.decode()

    blocked = post(desk, f"/{dossier_id}/transfer")
    assert blocked.status_code == 409
    assert blocked.headers["Content-Type"] == "application/problem+json"
    assert blocked.json()["code"] == "dossier.digitisation_required"

    for document in DossierDocument.objects.filter(dossier_id=dossier_id, is_provided=True):
        if document.needs_digitisation:
            response = desk.post(
                f"{BASE}/{dossier_id}/documents/{document.pk}/exempt",
                {"exemption": "agency_output"},
                content_type="application/json",
            )
            assert response.status_code == 200, response.content
    transferred = post(desk, f"/{dossier_id}/transfer")
    assert transferred.json()["state"] == "transferred"
    assert transferred.json()["current_agency_code"] == world.justice.code


def test_problem_details_for_bad_input(world: World) -> None:
    desk = client_for(world, "desk")
    payload = submission_payload(world)
    payload["applicant"]["id_number"] = "003303012345"
    before = snapshot()

    response = post(desk, "/", payload)

    assert response.status_code == 422
    assert response.json()["code"] == "dossier.invalid_personal_id"
    assert response.json()["errors"][0]["field"] == "applicant.id_number"
    assert snapshot() == before


def test_stale_expected_state_gets_409_and_changes_nothing(world: World) -> None:
    dossier = flows.transferred(world)
    reviewer = client_for(world, "justice_reviewer")
    handler_id = world.actors["justice_handler"].user_id
    assert (
        post(
            reviewer,
            f"/{dossier.pk}/assign",
            {"assignee_id": handler_id, "expected_state": "transferred"},
        ).status_code
        == 200
    )
    before = snapshot()

    late = post(
        client_for(world, "justice_handler"),
        f"/{dossier.pk}/assign",
        {"assignee_id": handler_id, "expected_state": "transferred"},
    )

    assert late.status_code == 409
    assert late.json()["code"] == "concurrent_transition"
    assert snapshot() == before


def test_other_agencies_do_not_see_the_dossier(world: World) -> None:
    dossier = flows.received(world)

    response = client_for(world, "hanoi_signer").get(f"{BASE}/{dossier.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "dossier.not_found"


def test_official_of_another_agency_acting_gets_403(world: World) -> None:
    dossier = flows.awaiting_signature(world)
    before = snapshot()

    response = post(client_for(world, "construction_signer"), f"/{dossier.pk}/forward")

    assert response.status_code == 403
    assert response.json()["code"] == "dossier.out_of_scope"
    assert snapshot() == before


def test_worklists_and_keyset_pages(world: World, frozen: Clock) -> None:
    for hour in (9, 10, 11):
        frozen.set(local(2025, 10, 6, hour, 0))
        flows.transferred(world, chain=False)
    reviewer = client_for(world, "justice_reviewer")

    first = reviewer.get(f"{BASE}/worklists/to_assign", {"limit": 2}).json()
    second = reviewer.get(
        f"{BASE}/worklists/to_assign", {"limit": 2, "cursor": first["next_cursor"]}
    ).json()

    codes = [item["code"] for item in first["items"] + second["items"]]
    assert codes == [
        "000.00.01.H56-251006-0001",
        "000.00.01.H56-251006-0002",
        "000.00.01.H56-251006-0003",
    ]
    assert second["next_cursor"] is None
    assert client_for(world, "desk").get(f"{BASE}/worklists/to_sign").json()["code"] == (
        "dossier.worklist_not_allowed"
    )
    counts = reviewer.get(f"{BASE}/counts").json()["counts"]
    assert counts == {"transferred": 3}
    listed = reviewer.get(f"{BASE}/", {"national_status": 4}).json()
    assert len(listed["items"]) == 3


def test_history_lists_every_event(world: World) -> None:
    dossier = flows.transferred(world, chain=False)

    history = client_for(world, "desk").get(f"{BASE}/{dossier.pk}/history").json()

    assert [entry["action"] for entry in history] == [
        "submit",
        "receive",
        "digitise_document",
        "transfer",
    ]
    assert history[1]["national_status"] == 2


def test_public_tracking_answers_alike_for_unknown_code_and_wrong_verifier(world: World) -> None:
    dossier = flows.transferred(world, chain=False)
    anonymous = Client()

    good = anonymous.get(f"{BASE}/tracking", {"code": dossier.code, "verifier": "0987 654 321"})
    by_id = anonymous.get(f"{BASE}/tracking", {"code": dossier.code, "verifier": "2345"})
    wrong = anonymous.get(f"{BASE}/tracking", {"code": dossier.code, "verifier": "0000"})
    unknown = anonymous.get(f"{BASE}/tracking", {"code": "X-1", "verifier": "2345"})

    assert good.status_code == by_id.status_code == 200
    body = good.json()
    assert body["national_status"] == 4
    assert body["due_at"] == "2025-10-09T10:00:00Z"
    assert [event["label"] for event in body["history"]] == [
        "Nộp hồ sơ",
        "Tiếp nhận hồ sơ",
        "Chuyển hồ sơ đến cơ quan giải quyết",
    ]
    assert "Hoàng Văn Minh" not in good.content.decode()
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == {**unknown.json(), "instance": wrong.json()["instance"]}


def test_full_processing_over_http(world: World) -> None:
    dossier = flows.in_process(world, chain=False)
    handler = client_for(world, "justice_handler")
    reviewer = client_for(world, "justice_reviewer")
    signer = client_for(world, "justice_signer")
    desk = client_for(world, "desk")

    assert post(handler, f"/{dossier.pk}/submit-for-review").status_code == 200
    assert post(reviewer, f"/{dossier.pk}/approve").status_code == 200
    signed = post(signer, f"/{dossier.pk}/sign")
    assert signed.status_code == 200, signed.content
    assert signed.json()["result_code"] == f"{dossier.code}-KQ1"
    assert signed.json()["national_status"] == 9
    withdrawal = post(desk, f"/{dossier.pk}/withdraw", {"reason": "Không cần nữa"})
    assert withdrawal.status_code == 409
    assert withdrawal.json()["code"] == "dossier.withdrawal_after_result"
    returned = post(desk, f"/{dossier.pk}/return", {"note": "Biên bản số 3"})
    assert returned.json()["state"] == "returned"
    assert Dossier.objects.get(pk=dossier.pk).national_status == 10
