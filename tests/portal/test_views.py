"""The portal pages: the whole online application without JavaScript, "My dossiers", the
dossier page, and the 404s that keep other citizens' dossiers and drafts out of reach."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.portal.models import Draft
from tests.dossiers.conftest import Clock, local
from tests.dossiers.factories import World
from tests.portal import flows
from tests.portal.factories import Person

pytestmark = pytest.mark.django_db


def client_of(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_the_whole_application_through_the_pages(online: World, lan: Person) -> None:
    item = flows.store_result(online)
    client = client_of(lan)
    code = online.chain.code

    page = client.get(f"/thu-tuc/{code}/")
    assert f'href="/nop-truc-tuyen/{code}/"' in page.content.decode()
    start = client.get(f"/nop-truc-tuyen/{code}/")
    assert start.status_code == 200
    created = client.post(f"/nop-truc-tuyen/{code}/")
    draft = Draft.objects.get(owner=lan.user)
    assert created["Location"] == f"/ca-nhan/ho-so-nhap/{draft.pk}/to-khai/"

    form = client.get(created["Location"])
    assert "Nguyễn Thị Lan" in form.content.decode()
    saved = client.post(
        created["Location"],
        {
            "request": "Xây nhà",
            "phone": "0912345678",
            "email": "",
            "address": "Số 1",
            "return_channel": "online",
            "save": "1",
        },
    )
    assert saved["Location"] == "/ca-nhan/ho-so/"
    mine = client.get("/ca-nhan/ho-so/")
    assert f"/ca-nhan/ho-so-nhap/{draft.pk}/truong-hop/" in mine.content.decode()

    documents_url = f"/ca-nhan/ho-so-nhap/{draft.pk}/giay-to/"
    missing = client.post(documents_url, {"next": "1"})
    assert missing.status_code == 422
    assert "Còn thiếu giấy tờ bắt buộc" in missing.content.decode()
    for name in ("application", "land"):
        url = f"{documents_url}{online.documents[name].pk}/"
        upload = flows.pdf(f"{name}.pdf")
        response = client.post(url, {"source": "upload", "file": upload})
        assert response.status_code == 302, response.content.decode()[:2000]
    record = client.get(f"{documents_url}{online.documents['criminal_record'].pk}/")
    assert f'value="item:{item.pk}"' in record.content.decode()
    overview = client.get(documents_url)
    assert "tự động chọn" in overview.content.decode()
    assert client.post(documents_url, {"next": "1"})["Location"].endswith("/phi/")
    fees = client.get(f"/ca-nhan/ho-so-nhap/{draft.pk}/phi/")
    assert "75.000 đồng" in fees.content.decode()
    confirm_url = f"/ca-nhan/ho-so-nhap/{draft.pk}/xac-nhan/"
    refused = client.post(confirm_url, {"next": "1"})
    assert refused.status_code == 422
    submitted = client.post(confirm_url, {"declaration": "on", "next": "1"})
    dossier = Dossier.objects.get(applicant_user=lan.user)
    assert submitted["Location"] == f"/ca-nhan/ho-so/{dossier.pk}/"
    again = client.post(confirm_url, {"declaration": "on", "next": "1"})
    assert again["Location"] == f"/ca-nhan/ho-so/{dossier.pk}/"
    assert Dossier.objects.filter(applicant_user=lan.user).count() == 1
    detail = client.get(submitted["Location"]).content.decode()
    assert "Mới đăng ký" in detail
    assert dossier.reference in detail


def test_other_citizens_dossiers_and_drafts_are_404(
    online: World, lan: Person, hung: Person
) -> None:
    dossier = flows.submitted(online, lan)
    draft = flows.filled_draft(online, lan)
    other = client_of(hung)
    urls = [
        f"/ca-nhan/ho-so/{dossier.pk}/",
        f"/ca-nhan/ho-so/{dossier.pk}/bo-sung/",
        f"/ca-nhan/ho-so/{dossier.pk}/rut/",
        f"/ca-nhan/ho-so/{dossier.pk}/danh-gia/",
        f"/ca-nhan/ho-so-nhap/{draft.pk}/to-khai/",
        f"/ca-nhan/ho-so-nhap/{draft.pk}/xac-nhan/",
        f"/ca-nhan/ho-so-nhap/{draft.pk}/xoa/",
    ]
    for url in urls:
        assert other.get(url).status_code == 404, url
    for url in urls[1:]:
        assert other.post(url, {"reason": "x", "declaration": "on"}).status_code == 404, url
    assert Draft.objects.filter(pk=draft.pk).exists()
    assert Dossier.objects.get(pk=dossier.pk).state == "submitted"
    assert "Nguyễn Thị Lan" not in other.get("/ca-nhan/ho-so/").content.decode()


def test_anonymous_visitors_are_sent_to_login_and_officials_refused(
    online: World, lan: Person
) -> None:
    response = Client().get("/ca-nhan/ho-so/")
    assert response.status_code == 302
    assert re.match(r"^/tai-khoan/vneid/\?next=", response["Location"])
    official = Client()
    official.force_login(get_user_model().objects.get(username="desk_officer"))
    assert official.get("/ca-nhan/ho-so/").status_code == 403


def test_officials_see_where_online_documents_came_from_and_ratings_are_read_only(
    online: World, lan: Person
) -> None:
    dossier = flows.submitted(online, lan)
    desk = Client()
    desk.force_login(get_user_model().objects.get(username="desk_officer"))

    page = desk.get(f"/ho-so/{dossier.pk}/").content.decode()

    assert "Tái sử dụng từ kho dữ liệu" in page
    upload = dossier.documents.get(procedure_document=online.documents["land"]).stored_file
    assert desk.get(f"/ho-so/{dossier.pk}/tep/{upload.pk}/").status_code == 200
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", password="x"))
    assert admin.get("/admin/dossiers/rating/add/").status_code == 403


def test_my_dossiers_takes_the_same_queries_for_one_or_many_rows(
    online: World, lan: Person, django_assert_num_queries
) -> None:
    client = client_of(lan)
    flows.submitted_single(online, lan)
    flows.filled_draft(online, lan)
    client.get("/ca-nhan/ho-so/")  # warm the session and the calendar cache
    # the session, the user with its actor (official? and citizen, shared with the header),
    # the dossiers page (one query with the procedure names and whether each is rated), the
    # drafts
    with django_assert_num_queries(4):
        first = client.get("/ca-nhan/ho-so/")
    for _ in range(4):
        flows.submitted_single(online, lan)
    flows.returned_online(online, lan)
    with django_assert_num_queries(4):
        many = client.get("/ca-nhan/ho-so/")

    assert first.status_code == many.status_code == 200
    assert many.content.decode().count("/ca-nhan/ho-so/") >= 7
    assert "Mời đánh giá" in many.content.decode()


def test_my_dossiers_pages_by_keyset(online: World, lan: Person, frozen: Clock) -> None:
    for day in range(22):
        frozen.set(local(2025, 10, 6, 9, day))
        flows.submitted_single(online, lan)
    client = client_of(lan)

    first = client.get("/ca-nhan/ho-so/").content.decode()
    cursor = re.search(r'href="\?sau=([^"]+)"', first)
    assert cursor is not None
    second = client.get(f"/ca-nhan/ho-so/?sau={cursor.group(1)}").content.decode()

    ids = sorted(Dossier.objects.filter(applicant_user=lan.user).values_list("pk", flat=True))
    assert len(re.findall(r'href="/ca-nhan/ho-so/\d+/"', first)) == 20
    assert len(re.findall(r'href="/ca-nhan/ho-so/\d+/"', second)) == 2
    assert f'href="/ca-nhan/ho-so/{ids[0]}/"' in second
    assert f'href="/ca-nhan/ho-so/{ids[-1]}/"' in first
    assert client.get("/ca-nhan/ho-so/?sau=%%%").status_code == 404
