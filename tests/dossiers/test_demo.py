"""The demo dossiers: created through the actions on the demo data, idempotent."""

from __future__ import annotations

import pytest

from motcua.dossiers import demo
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_demo_is_skipped_without_the_catalogue() -> None:
    assert demo.load_demo() == ["Hồ sơ mẫu: bỏ qua — danh mục chưa có thủ tục 2.000488."]
    assert Dossier.objects.count() == 0


@pytest.mark.slow
def test_demo_dossiers_in_every_stage_and_idempotent() -> None:
    from motcua.agencies.demo import load_demo as agencies
    from motcua.catalog.demo import load_demo as catalog
    from motcua.identity.demo import load_demo as identity
    from motcua.workdays.demo import load_demo as calendar

    for loader in (calendar, agencies, identity, catalog):
        loader()

    lines = demo.load_demo()

    states = sorted(Dossier.objects.values_list("state", flat=True))
    assert states == [
        "in_process",
        "received",
        "received",
        "result_ready",
        "returned",
        "submitted",
        "supplement_requested",
    ]
    assert lines[0] == "Hồ sơ mẫu: 7 hồ sơ —"
    assert demo.load_demo() == ["Hồ sơ mẫu: 7 hồ sơ (đã có)."]
    assert Dossier.objects.count() == 7
