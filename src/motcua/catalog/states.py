"""The publication lifecycle of a procedure version, as data.

draft → published (publish); published → amended (supersede, taken when the next
version is published); published → abolished (abolish). A version that was ever
published keeps its validity window, so ``get_version_in_force`` answers for any date.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.catalog.enums import PublicationState
from motcua.identity.roles import Role
from motcua.workflow.machine import StateMachine, Transition
from motcua.workflow.registry import register

__all__ = ["CATALOG_ADMIN_ROLES", "PROCEDURE_VERSION_MACHINE"]

CATALOG_ADMIN_ROLES = frozenset({Role.CATALOG_ADMIN.value, Role.SYSTEM_ADMIN.value})

PROCEDURE_VERSION_MACHINE = register(
    StateMachine(
        name="catalog.procedure_version",
        model_label="catalog.ProcedureVersion",
        field="state",
        states=list(PublicationState.choices),
        initial=PublicationState.DRAFT,
        terminal=frozenset({PublicationState.AMENDED, PublicationState.ABOLISHED}),
        transitions=[
            Transition(
                "publish",
                frozenset({PublicationState.DRAFT}),
                PublicationState.PUBLISHED,
                _("Công bố, công khai"),
                roles=CATALOG_ADMIN_ROLES,
                is_system=True,  # needs an announcement decision: a form, not a button
            ),
            Transition(
                "supersede",
                frozenset({PublicationState.PUBLISHED}),
                PublicationState.AMENDED,
                _("Sửa đổi, bổ sung bằng phiên bản mới"),
                roles=CATALOG_ADMIN_ROLES,
                is_system=True,  # taken by publishing the next version
            ),
            Transition(
                "abolish",
                frozenset({PublicationState.PUBLISHED}),
                PublicationState.ABOLISHED,
                _("Bãi bỏ"),
                roles=CATALOG_ADMIN_ROLES,
                style="danger",
                is_system=True,  # needs the abolishing decision
            ),
        ],
    )
)
