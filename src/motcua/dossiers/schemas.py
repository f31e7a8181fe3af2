"""Input and output schemas of the dossier API (pydantic v2 through django-ninja).

Identification numbers are masked in every output (DESIGN §4.9). Action inputs accept an
optional ``expected_state``: the state the client saw; when the dossier has moved since,
the API answers ``409 concurrent_transition`` instead of acting on a dossier the official
has not seen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from motcua.dossiers.actions.inputs import (
    ApplicantData,
    ProvidedDocument,
    Submission,
    SubmitterData,
    SupplementItem,
)
from motcua.dossiers.enums import ApplicantKind, DeliveryChannel, SubmissionChannel, SubmitterKind
from motcua.dossiers.models import Dossier, HandoverEntry
from motcua.dossiers.selectors import AvailableAction, HistoryEntry, TrackingView
from motcua.dossiers.states import DossierState
from motcua.kernel import clock
from motcua.kernel.text import mask_id

__all__ = [
    "ActionOut",
    "ApologyIn",
    "AssignIn",
    "CountsOut",
    "DossierDetailOut",
    "DossierPage",
    "DossierSummaryOut",
    "ExemptIn",
    "HistoryOut",
    "OnlineSubmissionIn",
    "PaymentIn",
    "ProvidedDocumentsIn",
    "ReasonIn",
    "ReturnIn",
    "StateIn",
    "StopIn",
    "SubmissionIn",
    "SupplementIn",
    "TrackingOut",
    "state_labels",
    "summary_from_row",
    "summary_values",
]


class ApplicantIn(Schema):
    kind: ApplicantKind = ApplicantKind.PERSON
    name: str = Field(max_length=255)
    id_number: str = Field(max_length=20)
    birth_year: int | None = None
    is_female: bool | None = None
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)


class SubmitterIn(Schema):
    kind: SubmitterKind = SubmitterKind.SELF
    name: str = Field("", max_length=255)
    id_number: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)
    authorisation_note: str = Field("", max_length=500)


class DocumentIn(Schema):
    procedure_document_id: int
    originals: int = Field(0, ge=0, le=100)
    certified_copies: int = Field(0, ge=0, le=100)
    photocopies: int = Field(0, ge=0, le=100)

    def to_value(self) -> ProvidedDocument:
        return ProvidedDocument(**self.model_dump())


class SubmissionIn(Schema):
    procedure_code: str = Field(max_length=20)
    case_code: str = Field("", max_length=40)
    competent_agency_id: int | None = None
    channel: SubmissionChannel = SubmissionChannel.DIRECT
    return_channel: DeliveryChannel = DeliveryChannel.DESK
    applicant: ApplicantIn
    submitter: SubmitterIn = Field(default_factory=lambda: SubmitterIn.model_validate({}))
    documents: list[DocumentIn] = Field(default_factory=list, max_length=200)

    def to_value(self) -> Submission:
        return Submission(
            procedure_code=self.procedure_code.strip(),
            case_code=self.case_code.strip(),
            competent_agency_id=self.competent_agency_id,
            channel=self.channel,
            return_channel=self.return_channel,
            applicant=ApplicantData(**self.applicant.model_dump()),
            submitter=SubmitterData(**self.submitter.model_dump()),
            documents=tuple(d.to_value() for d in self.documents),
        )


class OnlineSubmissionIn(SubmissionIn):
    channel: SubmissionChannel = SubmissionChannel.ONLINE_DVCQG
    receiving_desk_code: str = Field(max_length=20)


class StateIn(Schema):
    expected_state: str | None = Field(
        None, description="Trạng thái hồ sơ mà người dùng đang xem; khác → 409."
    )


class ReasonIn(StateIn):
    reason: str = Field(max_length=4000)


class StopIn(ReasonIn):
    legal_basis: str = Field("", max_length=500)


class AssignIn(StateIn):
    assignee_id: int


class SupplementItemIn(Schema):
    text: str = Field(max_length=2000)
    reason: str = Field(max_length=2000)
    document_id: int | None = None

    def to_value(self) -> SupplementItem:
        return SupplementItem(**self.model_dump())


class SupplementIn(StateIn):
    items: list[SupplementItemIn] = Field(max_length=200)


class ProvidedDocumentsIn(StateIn):
    documents: list[DocumentIn] = Field(max_length=200)


class ApologyIn(StateIn):
    reason: str = Field(max_length=4000)
    new_due_at: dt.datetime


class PaymentIn(StateIn):
    reference: str = Field("", max_length=80)


class ReturnIn(StateIn):
    note: str = Field("", max_length=500)
    payment_reference: str | None = Field(None, max_length=80)


class ExemptIn(Schema):
    exemption: str
    note: str = Field("", max_length=500)


# Lists are plain pydantic models, not ninja ``Schema``s: a ``Schema`` validates each of
# the 50 rows' 14 fields through a ``DjangoGetter`` proxy (a third of a list request's
# CPU), while the rows here are already plain dicts.
class DossierSummaryOut(BaseModel):
    id: int
    code: str | None
    reference: str
    state: str
    state_label: str
    national_status: int
    procedure_code: str
    procedure_name: str
    applicant_name: str
    receiving_desk_code: str
    current_agency_code: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    is_overdue: bool

    @classmethod
    def build(cls, dossier: Dossier, now: dt.datetime | None = None) -> DossierSummaryOut:
        return cls(**summary_values(dossier, now or clock.now(), state_labels()))


def summary_from_row(
    row: dict[str, Any], now: dt.datetime, labels: dict[str, str]
) -> dict[str, Any]:
    """Return the fields of ``DossierSummaryOut`` for a dict of ``selectors.ROW_FIELDS``."""
    due_at = row["due_at"]
    return {
        "id": row["id"],
        "code": row["code"],
        "reference": row["reference"],
        "state": row["state"],
        "state_label": labels[row["state"]],
        "national_status": row["national_status"],
        "procedure_code": row["procedure_code"],
        "procedure_name": row["procedure_version__name"],
        "applicant_name": row["applicant_name"],
        "receiving_desk_code": row["receiving_desk__code"],
        "current_agency_code": row["current_agency__code"],
        "received_at": row["received_at"],
        "due_at": due_at,
        "is_overdue": due_at is not None and row["finished_at"] is None and due_at < now,
    }


def state_labels() -> dict[str, str]:
    """Return each state's label in the active language (once per request, not per row)."""
    return {value: str(label) for value, label in DossierState.choices}


def summary_values(dossier: Dossier, now: dt.datetime, labels: dict[str, str]) -> dict[str, Any]:
    """Return the fields of ``DossierSummaryOut`` for a row of ``selectors.LIST_FIELDS``."""
    due_at = dossier.due_at
    return {
        "id": dossier.pk,
        "code": dossier.code,
        "reference": dossier.reference,
        "state": dossier.state,
        "state_label": labels[dossier.state],
        "national_status": dossier.national_status,
        "procedure_code": dossier.procedure_code,
        "procedure_name": dossier.procedure_version.name,
        "applicant_name": dossier.applicant_name,
        "receiving_desk_code": dossier.receiving_desk.code,
        "current_agency_code": dossier.current_agency.code,
        "received_at": dossier.received_at,
        "due_at": due_at,
        "is_overdue": due_at is not None and dossier.finished_at is None and due_at < now,
    }


class DossierPage(BaseModel):
    items: list[DossierSummaryOut]
    next_cursor: str | None


class ActionOut(Schema):
    name: str
    label: str
    style: str
    action: str

    @classmethod
    def build(cls, action: AvailableAction) -> ActionOut:
        return cls(name=action.name, label=action.label, style=action.style, action=action.action)


class DocumentOut(Schema):
    id: int
    procedure_document_id: int
    name: str
    is_mandatory: bool
    is_provided: bool
    originals: int
    certified_copies: int
    photocopies: int
    is_digitised: bool
    exemption: str


class HandoverOut(Schema):
    position: int
    kind: str
    from_agency: str | None
    to_agency: str
    handed_at: dt.datetime
    due_at: dt.datetime | None
    done_at: dt.datetime | None
    timeliness: str

    @classmethod
    def build(cls, row: HandoverEntry) -> HandoverOut:
        return cls(
            position=row.position,
            kind=row.kind,
            from_agency=row.from_agency.code if row.from_agency else None,
            to_agency=row.to_agency.code,
            handed_at=row.handed_at,
            due_at=row.due_at,
            done_at=row.done_at,
            timeliness=row.timeliness,
        )


class DossierDetailOut(DossierSummaryOut):
    case_code: str
    channel: str
    return_channel: str
    competent_agency_code: str
    applicant_kind: str
    applicant_id_type: str
    applicant_id_masked: str
    submitter_kind: str
    submitter_name: str
    submitted_at: dt.datetime
    original_due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    paused_seconds: int
    supplement_count: int
    is_extended: bool
    is_inter_agency: bool
    route: list[dict[str, Any]]
    route_position: int
    fees: list[dict[str, Any]]
    fee_total: int
    paid_at: dt.datetime | None
    result_code: str | None
    documents: list[DocumentOut]
    handovers: list[HandoverOut]
    actions: list[ActionOut]

    @classmethod
    def build_detail(cls, dossier: Dossier, actions: list[AvailableAction]) -> DossierDetailOut:
        summary = DossierSummaryOut.build(dossier).model_dump()
        return cls(
            **summary,
            case_code=dossier.case.code,
            channel=dossier.channel,
            return_channel=dossier.return_channel,
            competent_agency_code=dossier.competent_agency.code,
            applicant_kind=dossier.applicant_kind,
            applicant_id_type=dossier.applicant_id_type,
            applicant_id_masked=mask_id(dossier.applicant_id_number),
            submitter_kind=dossier.submitter_kind,
            submitter_name=dossier.submitter_name,
            submitted_at=dossier.submitted_at,
            original_due_at=dossier.original_due_at,
            finished_at=dossier.finished_at,
            returned_at=dossier.returned_at,
            paused_seconds=int(dossier.paused_working_time.total_seconds()),
            supplement_count=dossier.supplement_count,
            is_extended=dossier.is_extended,
            is_inter_agency=dossier.is_inter_agency,
            route=[
                {
                    "agency_id": leg["agency_id"],
                    "agency_name": leg["agency_name"],
                    "steps": leg["steps"],
                }
                for leg in dossier.route
            ],
            route_position=dossier.route_position,
            fees=dossier.fees,
            fee_total=dossier.fee_total,
            paid_at=dossier.paid_at,
            result_code=dossier.result.code if dossier.result is not None else None,
            documents=[
                DocumentOut(
                    id=d.pk,
                    procedure_document_id=d.procedure_document_id,
                    name=d.name,
                    is_mandatory=d.is_mandatory,
                    is_provided=d.is_provided,
                    originals=d.originals,
                    certified_copies=d.certified_copies,
                    photocopies=d.photocopies,
                    is_digitised=d.stored_file_id is not None,
                    exemption=d.exemption,
                )
                for d in dossier.documents.all()
            ],
            handovers=[
                HandoverOut.build(row)
                for row in dossier.handovers.select_related("from_agency", "to_agency")
            ],
            actions=[ActionOut.build(action) for action in actions],
        )


class HistoryOut(Schema):
    at: dt.datetime
    action: str
    label: str
    state: str
    national_status: int | None
    actor_name: str

    @classmethod
    def build(cls, entry: HistoryEntry) -> HistoryOut:
        return cls(
            at=entry.at,
            action=entry.action,
            label=entry.label,
            state=entry.state,
            national_status=entry.national_status,
            actor_name=entry.actor_name,
        )


class CountsOut(Schema):
    counts: dict[str, int]


class TrackingEventOut(Schema):
    at: dt.datetime
    label: str


class TrackingOut(Schema):
    code: str
    procedure_name: str
    state_label: str
    national_status: int
    national_status_label: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    returned_at: dt.datetime | None
    history: list[TrackingEventOut]

    @classmethod
    def build(cls, view: TrackingView) -> TrackingOut:
        return cls(
            code=view.code,
            procedure_name=view.procedure_name,
            state_label=view.state_label,
            national_status=view.national_status,
            national_status_label=view.national_status_label,
            received_at=view.received_at,
            due_at=view.due_at,
            returned_at=view.returned_at,
            history=[TrackingEventOut(at=at, label=label) for at, label in view.history],
        )
