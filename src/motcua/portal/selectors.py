"""Reads of the citizen portal: the citizen behind an actor, their drafts, what a draft still
needs, where it will be received, and the fees it will owe.

A draft is found only through its owner (``get_draft_for``): another account's draft
answers ``portal.draft_not_found``, as an unknown id does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from motcua.agencies.models import DESK_KINDS, AdminUnitLevel, Agency
from motcua.catalog.models import ProcedureCase, ProcedureDocument, ProcedureVersion
from motcua.catalog.selectors import get_version_parts
from motcua.documents import selectors as documents_selectors
from motcua.documents import types
from motcua.documents.models import DataStoreItem, StoredFile
from motcua.identity.models import Citizen, CitizenKind
from motcua.kernel import clock
from motcua.kernel.actors import Actor, ActorKind
from motcua.portal.errors import CitizenRequired, DraftNotFound
from motcua.portal.models import SUBJECT_TYPE, Draft

__all__ = [
    "DocumentMode",
    "FeeLine",
    "Requirement",
    "agency_choices",
    "applicable_documents",
    "competent_agency_of",
    "get_citizen",
    "get_draft_for",
    "list_cases",
    "list_drafts",
    "list_fee_lines",
    "list_requirements",
    "mode_of",
    "owner_key",
    "receiving_desk_for",
]


def get_citizen(actor: Actor) -> Citizen:
    """Return the verified identity of a citizen actor; ``portal.citizen_required`` else."""
    if actor.kind is not ActorKind.CITIZEN or actor.user_id is None:
        raise CitizenRequired()
    citizen = Citizen.objects.filter(pk=actor.user_id).first()
    if citizen is None:
        raise CitizenRequired()
    return citizen


def owner_key(citizen: Citizen) -> str:
    """Return the identifier that keys the citizen's data store and their dossiers'
    applicant: the personal ID of a person, the enterprise code of a business."""
    if citizen.kind == CitizenKind.BUSINESS and citizen.organisation_code:
        return citizen.organisation_code
    return citizen.personal_id


def list_drafts(actor: Actor) -> QuerySet[Draft]:
    """Return the actor's drafts not yet submitted, last saved first."""
    if actor.user_id is None:
        return Draft.objects.none()
    return (
        Draft.objects.filter(owner_id=actor.user_id, dossier__isnull=True)
        .select_related("procedure_version")
        .only(
            "id",
            "procedure_code",
            "updated_at",
            "created_at",
            "owner_id",
            "procedure_version__name",
        )
        .order_by("-updated_at", "-id")
    )


def get_draft_for(actor: Actor, pk: int) -> Draft:
    """Return draft ``pk`` of the actor; ``portal.draft_not_found`` for anyone else's."""
    draft = (
        Draft.objects.select_related("procedure_version", "case", "competent_agency")
        .filter(pk=pk, owner_id=actor.user_id)
        .first()
        if actor.user_id is not None
        else None
    )
    if draft is None:
        raise DraftNotFound()
    return draft


def list_cases(version: ProcedureVersion) -> list[ProcedureCase]:
    return list(ProcedureCase.objects.filter(version=version).order_by("position", "id"))


def agency_choices(version: ProcedureVersion, case: ProcedureCase | None) -> list[Agency]:
    """Return the agencies the applicant chooses between, or ``[]`` when there is no choice.

    The case's process steps name the competent agency when they have one; otherwise a
    version implemented by several agencies (one per commune, say) lets the applicant
    choose the one that handles their dossier.
    """
    if case is not None and any(
        step.agency is not None and not step.agency.is_one_stop_desk
        for step in case.steps.select_related("agency")
    ):
        return []
    agencies = [
        agency
        for agency in version.implementing_agencies.order_by("name")
        if not agency.is_one_stop_desk and agency.is_active
    ]
    return agencies if len(agencies) > 1 else []


def _province_of(agency: Agency) -> Any:
    unit = agency.admin_unit
    while unit is not None and unit.level != AdminUnitLevel.PROVINCE:
        unit = unit.parent
    return unit


def competent_agency_of(draft: Draft) -> Agency | None:
    """Return the agency that will handle the draft once submitted, when it is known."""
    if draft.competent_agency_id is not None:
        return draft.competent_agency
    case = draft.case
    if case is not None:
        for step in case.steps.select_related("agency__admin_unit").order_by("position", "id"):
            if step.agency is not None and not step.agency.is_one_stop_desk:
                return step.agency
    implementing = [
        a
        for a in draft.procedure_version.implementing_agencies.select_related("admin_unit")
        if not a.is_one_stop_desk
    ]
    return implementing[0] if len(implementing) == 1 else None


def receiving_desk_for(competent: Agency) -> Agency | None:
    """Return the one-stop desk that receives online dossiers for ``competent``.

    The desk of the agency's own administrative unit (a commune PASC for a commune
    People's Committee), else the provincial public administration service centre.
    """
    desks = Agency.objects.filter(kind__in=DESK_KINDS, is_active=True).order_by("code")
    if competent.admin_unit_id is not None:
        local = desks.filter(admin_unit_id=competent.admin_unit_id).first()
        if local is not None:
            return local
    province = _province_of(competent)
    return desks.filter(admin_unit=province).first() if province is not None else None


def applicable_documents(draft: Draft) -> list[ProcedureDocument]:
    """Return the version's required documents that apply to the draft's case, in order."""
    documents = ProcedureDocument.objects.filter(version=draft.procedure_version)
    return [
        d
        for d in documents.order_by("position", "id")
        if d.case_id is None or d.case_id == draft.case_id
    ]


class DocumentMode:
    """How a required document is satisfied online."""

    E_FORM = "e_form"  # the e-form is the declaration (the document has an e-form code)
    DATABASE = "database"  # replaced by data the agency takes from a database (R24)
    PRESENT = "present"  # shown for comparison when the result is collected (not uploaded)
    ATTACH = "attach"  # an upload, or an item of the data store


@dataclass
class Requirement:
    """A required document as the draft stands: how it is satisfied and by what."""

    document: ProcedureDocument
    mode: str
    document_type: str
    file: StoredFile | None = None
    item: DataStoreItem | None = None
    offers: list[DataStoreItem] = field(default_factory=list)
    is_automatic: bool = False  # the newest valid store item, used unless replaced

    @property
    def is_satisfied(self) -> bool:
        return self.mode != DocumentMode.ATTACH or self.file is not None or self.item is not None

    @property
    def is_missing(self) -> bool:
        return self.document.is_mandatory and not self.is_satisfied


def mode_of(document: ProcedureDocument) -> str:
    if document.e_form_code:
        return DocumentMode.E_FORM
    if document.replaceable_by_data:
        return DocumentMode.DATABASE
    if document.is_present_only:
        return DocumentMode.PRESENT
    return DocumentMode.ATTACH


def list_requirements(
    draft: Draft, *, owner: str, at: dt.datetime | None = None
) -> list[Requirement]:
    """Return every applicable document with what satisfies it now.

    A document with no choice yet but a valid item of its type in the data store is
    satisfied by the newest such item (``is_automatic``): nothing the system issued is
    asked for again. A picked item that is no longer valid, or a file that is gone, does
    not count.
    """
    moment = at or clock.now()
    chosen: dict[str, dict[str, Any]] = dict(draft.documents or {})
    file_ids = [c["file"] for c in chosen.values() if "file" in c]
    files = {
        f.pk: f
        for f in StoredFile.objects.filter(
            pk__in=file_ids, subject_type=SUBJECT_TYPE, subject_id=str(draft.pk)
        )
    }
    requirements = []
    for document in applicable_documents(draft):
        mode = mode_of(document)
        requirement = Requirement(document, mode, types.required_type(document.code, document.name))
        if mode == DocumentMode.ATTACH:
            requirement.offers = documents_selectors.list_usable_store_items(
                owner, requirement.document_type, at=moment
            )
            choice = chosen.get(str(document.pk), {})
            if "file" in choice:
                requirement.file = files.get(int(choice["file"]))
            elif "item" in choice:
                requirement.item = next(
                    (i for i in requirement.offers if i.pk == int(choice["item"])), None
                )
            elif requirement.offers:
                requirement.item, requirement.is_automatic = requirement.offers[0], True
        requirements.append(requirement)
    return requirements


@dataclass(frozen=True)
class FeeLine:
    name: str
    kind: str
    amount: int


def list_fee_lines(version: ProcedureVersion, case: ProcedureCase | None) -> list[FeeLine]:
    """Return the fees and charges of the version for the case (whole đồng)."""
    return [
        FeeLine(item.name, str(item.get_kind_display()), int(item.amount))
        for item in get_version_parts(version).fees_of(case)
    ]
