"""A published version's parts read once per process (``catalog.selectors.parts``)."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.catalog.actions import do_create_procedure, do_publish_procedure_version
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import clear_parts_cache, get_version_parts
from motcua.catalog.selectors import parts as parts_module
from tests.catalog.factories import COMMUNE_PC, procedure_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(agencies: Any, catalog_admin: Any) -> ProcedureVersion:
    draft = do_create_procedure(procedure_data(), actor=catalog_admin)
    return do_publish_procedure_version(draft, actor=catalog_admin)


def test_the_parts_come_in_their_published_order_with_the_step_agencies(
    published: ProcedureVersion, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(4):
        parts = get_version_parts(published)
    (case,) = parts.cases
    assert case.code == "TH1"
    assert [d.name for d in parts.documents_of(case)] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert [f.name for f in parts.fees_of(case)] == ["Lệ phí đăng ký khai sinh"]
    steps = parts.steps_of(case)
    assert [s.name for s in steps] == ["Tiếp nhận hồ sơ", "Thẩm định, ký"]
    with django_assert_num_queries(0):
        assert steps[0].agency is None
        assert steps[1].agency.code == COMMUNE_PC
        assert steps[1].agency.admin_unit.name == "Tỉnh Thanh Hóa"


def test_a_published_version_is_read_once_until_its_entry_expires(
    published: ProcedureVersion,
    django_assert_num_queries: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.CATALOG_PARTS_CACHE_SECONDS = 60
    now = [1000.0]
    monkeypatch.setattr(parts_module.time, "monotonic", lambda: now[0])
    first = get_version_parts(published)
    with django_assert_num_queries(0):
        assert get_version_parts(published) is first
    now[0] += 59
    with django_assert_num_queries(0):
        get_version_parts(published)
    now[0] += 2  # 61 s after it was read
    with django_assert_num_queries(4):
        assert get_version_parts(published) is not first
    clear_parts_cache()
    with django_assert_num_queries(4):
        get_version_parts(published)


def test_a_draft_is_never_kept(
    agencies: Any, catalog_admin: Any, django_assert_num_queries: Any
) -> None:
    draft = do_create_procedure(procedure_data(), actor=catalog_admin)
    get_version_parts(draft)
    draft.cases.update(name="Trường hợp đã sửa")
    with django_assert_num_queries(4):
        assert get_version_parts(draft).cases[0].name == "Trường hợp đã sửa"


def test_nothing_is_kept_with_the_setting_at_zero(
    published: ProcedureVersion, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.CATALOG_PARTS_CACHE_SECONDS = 0
    get_version_parts(published)
    with django_assert_num_queries(4):
        get_version_parts(published)
