"""Formula profiles: validation, versions, and periods keeping the profile they began with."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from motcua.audit.models import AuditEvent
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError
from motcua.scoreboard import actions, selectors
from motcua.scoreboard.models import IndexProfile
from motcua.scoreboard.periods import Period
from motcua.scoreboard.profiles import DEFAULT_DEFINITION
from tests.dossiers.conftest import Clock
from tests.scoreboard.conftest import ACTOR

pytestmark = pytest.mark.django_db


def definition(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEFAULT_DEFINITION)
    data.update(changes)
    return data


def create(
    data: dict[str, Any], *, day: dt.date = dt.date(2025, 11, 1), actor: Actor = ACTOR
) -> IndexProfile:
    return actions.do_create_profile(
        actor=actor, code="qd766", name="Thử nghiệm", effective_from=day, definition=data
    )


def _fails(code: str, data: dict[str, Any], **kwargs: Any) -> ApplicationError:
    before = (IndexProfile.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ApplicationError) as err:
        create(data, **kwargs)
    assert err.value.code == code, err.value
    assert (IndexProfile.objects.count(), AuditEvent.objects.count()) == before
    return err.value


def test_the_default_profile_is_loaded_and_adds_up_to_100() -> None:
    profile = IndexProfile.objects.get(code="qd766", version=1)
    assert sum(group["max"] for group in profile.definition["groups"]) == 100


def test_maxima_that_do_not_add_up_to_100_are_refused(frozen: Clock) -> None:
    data = definition()
    data["groups"][1]["max"] = 25  # progress 25 instead of 20: 105 in all
    error = _fails("scoreboard.profile_maxima", data)
    assert (
        error.message
        == "Tổng điểm tối đa của các nhóm chỉ số phải bằng 100 (bộ công thức đang có 105)."
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"bands": [{"code": "excellent", "min": 90}] * 5}, "bands"),
        ({"tie_tolerance": -1}, "tie_tolerance"),
    ],
)
def test_other_faults_are_named(frozen: Clock, change: dict[str, Any], field: str) -> None:
    error = _fails("scoreboard.invalid_profile", definition(**change))
    assert any(key.startswith(field) for key in error.field_errors)


def test_an_unknown_indicator_or_a_group_that_cannot_reach_its_maximum(frozen: Clock) -> None:
    data = definition()
    data["groups"][1]["indicators"] = ["NO_SUCH_THING"]
    assert "groups.1.indicators" in _fails("scoreboard.invalid_profile", data).field_errors
    data = definition()
    data["indicators"]["DOSSIER_ON_TIME"] = {"max": 10}
    assert "groups.1.max" in _fails("scoreboard.invalid_profile", data).field_errors


def test_a_profile_cannot_start_in_the_past(frozen: Clock) -> None:
    # The clock says 06/10/2025.
    _fails("scoreboard.retroactive_profile", definition(), day=dt.date(2025, 10, 1))


def test_only_an_administrator_creates_a_profile(frozen: Clock, clerk: Actor) -> None:
    _fails("permission_denied", definition(), actor=clerk)


def test_a_new_version_applies_from_its_date_and_old_periods_keep_theirs(frozen: Clock) -> None:
    data = definition()
    data["indicators"]["DOSSIER_SYNC"] = {"max": 6, "threshold": 80}
    profile = create(data)
    assert (profile.code, profile.version, profile.created_by) == ("qd766", 2, "system:tests")
    audit = AuditEvent.objects.get(action="scoreboard.profile.create")
    assert audit.data == {"code": "qd766", "version": 2, "effective_from": "2025-11-01"}
    assert selectors.get_profile_for(Period.parse("2025-10"))[0].version == 1
    assert selectors.get_profile_for(Period.parse("2025-Q4"))[0].version == 1  # began 1/10
    assert selectors.get_profile_for(Period.parse("2025-11"))[0].version == 2
    assert selectors.get_profile_for(Period.parse("2026"))[0].version == 2
