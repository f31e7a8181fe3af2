"""Input and output schemas of the citizen API (``/api/v1/citizen``).

Outputs carry what the citizen sees on the portal pages; never another person's data,
and no identification number (the citizen knows their own).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field

from motcua.documents.models import DataStoreItem
from motcua.dossiers import applicant_selectors as mine
from motcua.dossiers.models import Dossier
from motcua.kernel import clock
from motcua.portal.models import Draft
from motcua.portal.selectors import Requirement

__all__ = [
    "CitizenDossierDetailOut",
    "CitizenDossierOut",
    "CitizenDossierPage",
    "DraftCreateIn",
    "DraftOut",
    "DraftUpdateIn",
    "RatingIn",
    "StoreItemIn",
    "StoreItemOut",
    "WithdrawIn",
]


class CitizenDossierOut(BaseModel):  # a list row: see dossiers.schemas.DossierSummaryOut
    id: int
    code: str | None
    reference: str
    procedure_code: str
    procedure_name: str
    state: str
    state_label: str
    national_status: int
    national_status_label: str
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    ask: str = Field(description="What the dossier asks of the applicant now: "
                     "supplement, payment, collect, rate or empty.")  # fmt: skip

    @classmethod
    def build(cls, dossier: Dossier, *, has_rating: bool) -> CitizenDossierOut:
        return cls(
            id=dossier.pk,
            code=dossier.code,
            reference=dossier.reference,
            procedure_code=dossier.procedure_code,
            procedure_name=dossier.procedure_version.name,
            state=dossier.state,
            state_label=str(dossier.get_state_display()),
            national_status=dossier.national_status,
            national_status_label=str(dossier.get_national_status_display()),
            submitted_at=dossier.submitted_at,
            due_at=dossier.due_at,
            ask=mine.asks_of(dossier, has_rating=has_rating),
        )


class CitizenDossierPage(BaseModel):
    items: list[CitizenDossierOut]
    next_cursor: str | None


class DocumentOut(Schema):
    id: int
    name: str
    is_provided: bool
    source: str
    reuse: int = Field(description="National DuocTaiSuDung: 0, 1 or 2.")
    is_from_data_store: bool
    replacement_result_code: str
    file_id: int | None


class SupplementOut(Schema):
    stage: str
    requested_at: dt.datetime
    items: list[dict[str, Any]]


class FileOut(Schema):
    id: int
    title: str
    issued_at: dt.datetime
    download_url: str


class HistoryItemOut(Schema):
    at: dt.datetime
    label: str


class RatingOut(Schema):
    criteria: list[int]
    total: int
    satisfaction: str
    rated_at: dt.datetime


class CitizenDossierDetailOut(CitizenDossierOut):
    documents: list[DocumentOut]
    supplement: SupplementOut | None
    fees: list[dict[str, Any]]
    fee_total: int
    paid_at: dt.datetime | None
    results: list[FileOut]
    forms: list[FileOut]
    history: list[HistoryItemOut]
    rating: RatingOut | None
    can_withdraw: bool


class WithdrawIn(Schema):
    reason: str = Field(max_length=2000)


class RatingIn(Schema):
    criteria: list[int] = Field(min_length=9, max_length=9, description="Nine scores, 0–2 each.")
    satisfaction: Literal["very_satisfied", "satisfied", "dissatisfied"]
    comment: str = Field("", max_length=2000)


class DraftCreateIn(Schema):
    procedure_code: str = Field(max_length=20)


class DraftFormIn(Schema):
    request: str = Field("", max_length=4000)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)
    return_channel: Literal["online", "desk", "post"] = "online"


class DraftUpdateIn(Schema):
    case_code: str | None = Field(None, max_length=40)
    agency_id: int | None = None
    form: DraftFormIn | None = None


class StoreItemIn(Schema):
    item_id: int


class RequirementOut(Schema):
    procedure_document_id: int
    name: str
    is_mandatory: bool
    mode: str = Field(description="e_form, database, present or attach.")
    file_id: int | None
    store_item_id: int | None
    is_automatic: bool
    offers: list[int] = Field(description="Valid items of the data store of this type.")
    is_missing: bool

    @classmethod
    def build(cls, requirement: Requirement) -> RequirementOut:
        document = requirement.document
        return cls(
            procedure_document_id=document.pk,
            name=document.name,
            is_mandatory=document.is_mandatory,
            mode=requirement.mode,
            file_id=requirement.file.pk if requirement.file else None,
            store_item_id=requirement.item.pk if requirement.item else None,
            is_automatic=requirement.is_automatic,
            offers=[item.pk for item in requirement.offers],
            is_missing=requirement.is_missing,
        )


class DraftOut(Schema):
    id: int
    procedure_code: str
    procedure_name: str
    case_code: str | None
    agency_id: int | None
    form: dict[str, Any]
    documents: list[RequirementOut]
    updated_at: dt.datetime
    dossier_id: int | None

    @classmethod
    def build(cls, draft: Draft, requirements: list[Requirement]) -> DraftOut:
        return cls(
            id=draft.pk,
            procedure_code=draft.procedure_code,
            procedure_name=draft.procedure_version.name,
            case_code=draft.case.code if draft.case is not None else None,
            agency_id=draft.competent_agency_id,
            form=dict(draft.form or {}),
            documents=[RequirementOut.build(r) for r in requirements],
            updated_at=draft.updated_at,
            dossier_id=draft.dossier_id,
        )


class StoreItemOut(Schema):
    id: int
    kind: str
    document_type: str
    title: str
    issuer_name: str
    issued_at: dt.datetime
    valid_until: dt.datetime | None
    is_valid: bool
    source_code: str

    @classmethod
    def build(cls, item: DataStoreItem) -> StoreItemOut:
        return cls(
            id=item.pk,
            kind=item.kind,
            document_type=item.document_type,
            title=item.title,
            issuer_name=item.issuer_name,
            issued_at=item.issued_at,
            valid_until=item.valid_until,
            is_valid=item.is_valid_at(clock.now()),
            source_code=item.source_code,
        )
