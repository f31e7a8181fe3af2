"""The Django admin of citizen accounts: read-only, personal IDs masked in the list."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.identity.factories import make_citizen

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.identity.urls")]

LIST = "/admin/identity/citizen/"


def test_the_list_masks_ids_and_finds_a_whole_id(admin_client: Client) -> None:
    citizen = make_citizen()
    html = admin_client.get(LIST).content.decode()
    assert citizen.full_name in html
    assert citizen.personal_id not in html  # masked in the list

    found = admin_client.get(LIST, {"q": citizen.personal_id}).content.decode()
    assert citizen.full_name in found
    assert citizen.full_name not in admin_client.get(LIST, {"q": "000000000000"}).content.decode()


def test_accounts_cannot_be_added_changed_or_deleted(admin_client: Client) -> None:
    citizen = make_citizen()
    detail = f"{LIST}{citizen.pk}/change/"

    assert admin_client.get(detail).status_code == 200  # shown read-only
    assert admin_client.get(f"{LIST}add/").status_code == 403
    assert admin_client.post(detail, {"full_name": "Khác"}).status_code == 403
    assert admin_client.get(f"{LIST}{citizen.pk}/delete/").status_code == 403
    citizen.refresh_from_db()
    assert citizen.full_name != "Khác"
