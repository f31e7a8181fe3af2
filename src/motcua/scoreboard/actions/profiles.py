"""``do_create_profile``: a new version of the scoring methodology."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max

from motcua.audit import actions as audit
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput, PermissionDenied
from motcua.scoreboard.errors import RetroactiveProfile
from motcua.scoreboard.indicators import INDICATORS
from motcua.scoreboard.models import IndexProfile, UnitScorecard
from motcua.scoreboard.profiles import check_definition

__all__ = ["do_create_profile"]

PROFILE_ADMIN_ROLES = ("system_admin",)


def do_create_profile(
    *,
    actor: Actor,
    code: str,
    name: str,
    effective_from: dt.date,
    definition: dict[str, Any],
) -> IndexProfile:
    """Create the next version of profile ``code``, in force from ``effective_from``.

    Only a system administrator (or the system). Raise ``scoreboard.profile_maxima`` when
    the group maxima do not add up to 100, ``scoreboard.invalid_profile`` for any other
    fault of the definition, ``scoreboard.retroactive_profile`` for a start date in the
    past (a period already computed keeps its profile). Nothing is written then.
    """
    if not (actor.is_system or actor.is_superuser or actor.has_role(*PROFILE_ADMIN_ROLES)):
        raise PermissionDenied()
    code = (code or "").strip()
    if not code or not (name or "").strip():
        raise InvalidInput(code="scoreboard.invalid_profile")
    checked = check_definition(definition, frozenset(INDICATORS))
    today = clock.local(clock.now()).date()
    if effective_from < today:
        raise RetroactiveProfile(params={"today": f"{today:%d/%m/%Y}"})
    with transaction.atomic():
        latest = IndexProfile.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0
        profile = IndexProfile.objects.create(
            code=code,
            version=latest + 1,
            name=name.strip(),
            effective_from=effective_from,
            definition=checked.model_dump(mode="json"),
            created_by=actor.ref,
        )
        # A profile in force from today changes the scoring of the periods starting today.
        UnitScorecard.objects.all().delete()
        audit.record(
            actor=actor,
            action="scoreboard.profile.create",
            aggregate_type="scoreboard.profile",
            aggregate_id=profile.pk,
            data={"code": code, "version": profile.version, "effective_from": effective_from},
        )
    return profile
