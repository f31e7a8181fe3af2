"""``/api/v1/citizen``: drafts, submit (once), my dossiers, supplement, withdraw, rating and
the data store over HTTP, with problem+json errors and 404 for other citizens' ids."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.actions import SupplementItem
from motcua.dossiers.models import Dossier, DossierDocument
from tests.dossiers.conftest import snapshot
from tests.dossiers.factories import World
from tests.portal import flows
from tests.portal.factories import Person

pytestmark = pytest.mark.django_db

BASE = "/api/v1/citizen"


def client_of(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(f"{BASE}{path}", body or {}, content_type="application/json")


def test_the_whole_application_over_http(online: World, lan: Person) -> None:
    item = flows.store_result(online)
    api = client_of(lan)

    created = send(api, "post", "/drafts", {"procedure_code": online.chain.code})
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["case_code"] == "TH1"
    record = next(d for d in draft["documents"] if d["name"] == "Phiếu lý lịch tư pháp")
    assert (record["store_item_id"], record["is_automatic"], record["offers"]) == (
        item.pk,
        True,
        [item.pk],
    )
    updated = send(
        api,
        "patch",
        f"/drafts/{draft['id']}",
        {"form": {"request": "Xây nhà", "return_channel": "desk"}},
    )
    assert updated.json()["form"]["return_channel"] == "desk"
    for name in ("application", "land"):
        attached = api.post(
            f"{BASE}/drafts/{draft['id']}/documents/{online.documents[name].pk}/file",
            {"file": flows.pdf(f"{name}.pdf")},
        )
        assert attached.status_code == 200, attached.content

    submitted = send(api, "post", f"/drafts/{draft['id']}/submit")
    assert submitted.status_code == 201, submitted.content
    body = submitted.json()
    assert (body["state"], body["national_status"], body["ask"]) == ("submitted", 1, "")
    reused = next(d for d in body["documents"] if d["name"] == "Phiếu lý lịch tư pháp")
    assert (reused["reuse"], reused["is_from_data_store"]) == (2, True)
    again = send(api, "post", f"/drafts/{draft['id']}/submit")
    assert again.status_code == 409
    assert again.json()["code"] == "portal.draft_already_submitted"
    listing = send(api, "get", "/dossiers").json()
    assert [row["id"] for row in listing["items"]] == [body["id"]]
    store = send(api, "get", "/data-store").json()
    assert [row["id"] for row in store] == [item.pk]


def test_supplement_withdraw_and_rating_over_http(online: World, lan: Person) -> None:
    api = client_of(lan)
    dossier = flows.submitted_single(online, lan)
    document = DossierDocument.objects.get(dossier=dossier)
    dossier_actions.do_request_reception_supplement(
        dossier,
        actor=online.actors["desk"],
        items=[SupplementItem("Tờ khai", "Thiếu chữ ký", document.pk)],
    )
    assert send(api, "get", f"/dossiers/{dossier.pk}").json()["ask"] == "supplement"

    answered = api.post(
        f"{BASE}/dossiers/{dossier.pk}/supplement",
        {"document_ids": [document.pk], "files": [flows.pdf("to-khai-ky.pdf")], "note": "Đã ký"},
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "submitted"

    withdrawn = send(api, "post", f"/dossiers/{dossier.pk}/withdraw", {"reason": "Nộp nhầm"})
    assert (withdrawn.json()["state"], withdrawn.json()["national_status"]) == ("withdrawn", 7)

    returned = flows.returned_online(online, lan)
    early = send(api, "post", f"/dossiers/{dossier.pk}/rating",
                 {"criteria": [2] * 9, "satisfaction": "satisfied"})  # fmt: skip
    assert early.json()["code"] == "dossier.rating_not_open"
    rated = send(
        api,
        "post",
        f"/dossiers/{returned.pk}/rating",
        {"criteria": [2, 2, 2, 2, 2, 2, 2, 2, 1], "satisfaction": "very_satisfied"},
    )
    assert rated.status_code == 201, rated.content
    assert rated.json()["rating"]["total"] == 17
    twice = send(
        api, "post", f"/dossiers/{returned.pk}/rating",
        {"criteria": [0] * 9, "satisfaction": "dissatisfied"},
    )  # fmt: skip
    assert (twice.status_code, twice.json()["code"]) == (409, "dossier.rating_already_given")


def test_other_citizens_ids_are_404_and_change_nothing(
    online: World, lan: Person, hung: Person
) -> None:
    dossier = flows.submitted_single(online, lan)
    draft = flows.filled_draft(online, lan, reuse=False)
    item = flows.store_result(online)
    other = client_of(hung)
    own = send(other, "post", "/drafts", {"procedure_code": online.chain.code}).json()
    before = snapshot()

    responses = [
        send(other, "get", f"/dossiers/{dossier.pk}"),
        send(other, "post", f"/dossiers/{dossier.pk}/withdraw", {"reason": "x"}),
        send(
            other,
            "post",
            f"/dossiers/{dossier.pk}/rating",
            {"criteria": [2] * 9, "satisfaction": "satisfied"},
        ),
        send(other, "get", f"/drafts/{draft.pk}"),
        send(other, "post", f"/drafts/{draft.pk}/submit"),
        send(other, "delete", f"/drafts/{draft.pk}"),
    ]
    foreign_item = send(
        other,
        "post",
        f"/drafts/{own['id']}/documents/{online.documents['criminal_record'].pk}/store-item",
        {"item_id": item.pk},
    )

    assert [r.status_code for r in responses] == [404] * 6
    assert {r.json()["code"] for r in responses} == {"dossier.not_found", "portal.draft_not_found"}
    assert (foreign_item.status_code, foreign_item.json()["code"]) == (
        404,
        "documents.store_item_not_found",
    )
    assert snapshot() == before
    assert Dossier.objects.get(pk=dossier.pk).state == "submitted"
    assert send(other, "get", "/dossiers").json()["items"] == []


def test_officials_and_anonymous_callers_are_refused(online: World) -> None:
    assert Client().get(f"{BASE}/dossiers").status_code == 401
    desk = Client()
    desk.force_login(get_user_model().objects.get(pk=online.actors["desk"].user_id))
    response = desk.get(f"{BASE}/dossiers")
    assert (response.status_code, response.json()["code"]) == (403, "portal.citizen_required")
