"""Forms built from the record rather than from one decision: the process control slip
(Form 06; 05 under Circular 01/2018) of a dossier and the desk's dossier register
(Form 07; 06 under 2018) over a period. Each is issued and stored by ``documents``
(one audit row there); nothing of the dossier changes.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from motcua.agencies.models import Agency
from motcua.documents import actions as documents_actions
from motcua.documents.forms import FormContext, FormKind, FormRegisterRow, rule_set_for
from motcua.documents.models import IssuedDocument
from motcua.dossiers import paperwork
from motcua.dossiers.enums import HandoverKind
from motcua.dossiers.errors import OutOfScope
from motcua.dossiers.models import Dossier, HandoverEntry
from motcua.dossiers.states import DESK_ROLES
from motcua.identity.roles import Role
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput
from motcua.workflow.errors import TransitionNotAllowed

__all__ = ["do_issue_control_slip", "do_issue_dossier_register"]

_STAFF_ROLES = (*DESK_ROLES, Role.HANDLER, Role.REVIEWER, Role.SIGNER, Role.REGISTRY)


def do_issue_control_slip(dossier: Dossier, *, actor: Actor) -> IssuedDocument:
    """Issue the process control slip of ``dossier`` from its hand-over rows.

    Staff of the receiving desk or of any agency on the dossier's route may issue it
    (``dossier.out_of_scope`` otherwise); the desk is the issuer. It can be printed at
    any stage after receipt; before, ``dossier.not_received``.
    """
    if not actor.has_role(*_STAFF_ROLES):
        raise TransitionNotAllowed(params={"transition": FormKind.PROCESS_CONTROL_SLIP.label})
    agencies = {dossier.receiving_desk_id, dossier.current_agency_id}
    agencies |= {leg["agency_id"] for leg in dossier.route}
    if not (actor.is_system or actor.is_superuser or actor.agency_id in agencies):
        raise OutOfScope(params={"agency": dossier.receiving_desk.name})
    if dossier.code is None:
        raise InvalidInput(code="dossier.not_received")
    with transaction.atomic():
        issued = paperwork.issue_form(
            FormKind.PROCESS_CONTROL_SLIP,
            dossier,
            issuer=dossier.receiving_desk,
            actor=actor,
            at=clock.now(),
            handovers=paperwork.handover_lines(dossier),
        )
    assert issued is not None  # both rule sets have a control slip
    return issued


def do_issue_dossier_register(
    desk: Agency, *, actor: Actor, period_from: dt.datetime, period_to: dt.datetime
) -> IssuedDocument:
    """Issue ``desk``'s dossier register for the dossiers received in [from, to).

    Desk staff of ``desk`` only. Raise ``invalid_input`` for an empty or reversed period.
    The rule set is the one in force at the end of the period.
    """
    if not actor.has_role(*DESK_ROLES):
        raise TransitionNotAllowed(params={"transition": FormKind.DOSSIER_REGISTER.label})
    if not (actor.is_system or actor.is_superuser or actor.agency_id == desk.pk):
        raise OutOfScope(params={"agency": desk.name})
    if period_to <= period_from:
        raise InvalidInput(field_errors={"period_to": [InvalidInput.default_message]})
    dossiers = (
        Dossier.objects.filter(
            receiving_desk=desk, received_at__gte=period_from, received_at__lt=period_to
        )
        .select_related("procedure_version", "competent_agency")
        .order_by("received_at", "pk")
    )
    transfers = dict(
        HandoverEntry.objects.filter(dossier__in=dossiers, kind=HandoverKind.TRANSFER).values_list(
            "dossier_id", "handed_at"
        )
    )
    results = dict(
        HandoverEntry.objects.filter(dossier__in=dossiers, kind=HandoverKind.RESULT).values_list(
            "dossier_id", "handed_at"
        )
    )
    rows = tuple(
        FormRegisterRow(
            dossier_code=d.code or d.reference,
            applicant_name=d.applicant_name,
            procedure_name=d.procedure_version.name,
            received_at=d.received_at or d.submitted_at,
            due_at=d.due_at,
            transferred_at=transfers.get(d.pk),
            returned_at=d.returned_at,
            applicant_contact=", ".join(p for p in (d.applicant_address, d.applicant_phone) if p),
            lead_agency_name=d.competent_agency.name,
            result_received_at=results.get(d.pk),
        )
        for d in dossiers
    )
    now = clock.now()
    parent = desk.parent
    context = FormContext(
        kind=FormKind.DOSSIER_REGISTER,
        rule_set=rule_set_for(period_to, on=now),
        issuing_agency_name=desk.name,
        issuing_agency_parent_name=parent.name if parent is not None else "",
        place_name=paperwork.place_name_of(desk),
        issued_at=now,
        register_rows=rows,
        officer_name=actor.display_name,
        period_from=period_from,
        period_to=period_to,
    )
    with transaction.atomic():
        return documents_actions.do_issue_form(
            context, actor=actor, subject_type="agencies.agency", subject_id=desk.pk
        )
