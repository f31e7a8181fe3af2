"""The procedure exchange format: one schema for JSON import, export and the API.

A file is ``{"format": "motcua.catalog.procedures/1", "procedures": [ProcedureData,
…]}``; the JSON Schema is committed in ``docs/catalog/procedure-import.schema.json``
and described in ``docs/catalog/import-format.md``. The XLSX and CSV forms flatten the
same models into one sheet per list (``catalog/tabular.py``).

These models check types and formats only (code pattern, whole non-negative VND,
known enum values). Rules across fields — time shares adding up, dates in order,
references between lists — are in ``catalog/validation.py``, so that every message is
Vietnamese and names the row and field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, PlainSerializer, field_validator, model_validator
from pydantic import Field as F

from motcua.catalog.enums import (
    PROCEDURE_CODE_PATTERN,
    DocumentRequirement,
    FeeKind,
    ImplementationLevel,
    OnlineLevel,
    PublicationState,
    SubjectType,
    SubmissionMethod,
    TimeUnit,
)
from motcua.identity.roles import Role

__all__ = [
    "FORMAT_ID",
    "AnnouncementData",
    "BoundaryFreeData",
    "CaseData",
    "DocumentData",
    "FeeData",
    "FormData",
    "LegalBasisData",
    "ProcedureData",
    "ProcedureFile",
    "ProcedureVersionOut",
    "StepData",
    "import_json_schema",
]

FORMAT_ID: Final = "motcua.catalog.procedures/1"


def _number(value: Decimal) -> int | float:
    # 5.00 → 5 and 0.50 → 0.5, so that JSON shows plain numbers and hashes are stable.
    return int(value) if value == value.to_integral_value() else float(value)


Duration = Annotated[
    Decimal,
    F(gt=0, max_digits=8, decimal_places=2),
    PlainSerializer(_number, return_type=int | float),
]
Text = Annotated[str, F(max_length=20000)]


class _Part(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
        use_enum_values=True,
    )


class AnnouncementData(_Part):
    """The announcement decision (quyết định công bố) of a version."""

    number: str = F(min_length=1, max_length=60, description="Decision number, e.g. 1234/QĐ-UBND")
    issuer: str = F("", max_length=255)
    decided_on: dt.date = F(description="Decision date")
    effective_on: dt.date = F(description="Effective date; not before decided_on")


class CaseData(_Part):
    """A case (trường hợp, ``MaTruongHop``) with its own time limit."""

    code: str = F(min_length=1, max_length=40)
    name: str = F(min_length=1, max_length=1000)
    time_limit: Duration
    time_unit: TimeUnit = TimeUnit.WORKING_DAYS
    description: Text = ""


class DocumentData(_Part):
    """A required document (thành phần hồ sơ); ``case_code`` empty means every case."""

    case_code: str = F("", max_length=40)
    code: str = F("", max_length=60)
    name: str = F(min_length=1, max_length=2000)
    originals: int = F(0, ge=0, le=99)
    certified_copies: int = F(0, ge=0, le=99)
    photocopies: int = F(0, ge=0, le=99)
    requirement: DocumentRequirement = DocumentRequirement.REQUIRED
    condition: Text = ""
    e_form_code: str = F("", max_length=60)
    replaceable_by_data: bool = False
    data_source_code: str = F("", max_length=60)
    is_present_only: bool = False
    form_code: str = F("", max_length=60, description="code of an entry of forms[]")


class FeeData(_Part):
    """A fee (lệ phí) or charge (phí), in whole đồng."""

    case_code: str = F("", max_length=40)
    kind: FeeKind = FeeKind.FEE
    name: str = F(min_length=1, max_length=1000)
    amount: int = F(ge=0, le=10**15, description="Whole Vietnamese đồng")
    collection_moment: str = F("", max_length=255)
    exemption_basis: Text = ""
    note: Text = ""


class StepData(_Part):
    """A process step with the responsible agency and/or role and its share of the time."""

    case_code: str = F("", max_length=40, description="may be empty when there is one case")
    name: str = F(min_length=1, max_length=1000)
    agency_code: str = F("", max_length=20, description="QCVN 102 code of an agency here")
    agency_name: str = F("", max_length=500, description="agency outside this installation")
    role: Role | Literal[""] = ""
    duration: Duration
    duration_unit: TimeUnit = TimeUnit.WORKING_DAYS

    @field_validator("agency_code")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class LegalBasisData(_Part):
    number: str = F(min_length=1, max_length=100)
    title: str = F(min_length=1, max_length=2000)
    issuer: str = F("", max_length=255)
    issued_on: dt.date | None = None
    effective_on: dt.date | None = None


class FormData(_Part):
    """A form or declaration template: a URL, or a file already in the storage."""

    code: str = F("", max_length=60)
    name: str = F(min_length=1, max_length=1000)
    url: str = F("", max_length=1000, pattern=r"^(https?://\S+)?$")
    file: str = F("", max_length=255, description="name of a file in the default storage")


class BoundaryFreeData(_Part):
    """The procedure is on a province's boundary-free list over [valid_from, valid_to)."""

    province_code: str = F(min_length=1, max_length=10)
    valid_from: dt.date
    valid_to: dt.date | None = None


class ProcedureData(_Part):
    """One version of one procedure, with every part Decree 63/2010 Art 8(2) requires."""

    code: str = F(pattern=PROCEDURE_CODE_PATTERN, description="1.xxxxxx or 2.xxxxxx")
    name: str = F(min_length=1, max_length=1000)
    field_code: str = F(min_length=1, max_length=40)
    field_name: str = F(min_length=1, max_length=255)
    levels: list[ImplementationLevel] = F(min_length=1)
    subjects: list[SubjectType] = F(min_length=1)
    submission_methods: list[SubmissionMethod] = F(min_length=1)
    method_note: Text = ""
    sequence: Text = ""
    requirements: Text = ""
    implementing_agency_codes: list[str] = []
    implementing_agency_names: list[str] = []
    applying_agency_codes: list[str] = []
    applying_agency_names: list[str] = []
    result_is_document: bool = True
    result_name: str = F("", max_length=1000)
    online_level: OnlineLevel = OnlineLevel.NONE
    is_full_online_eligible: bool = False
    is_online_only: bool = False
    is_inter_agency: bool = False
    is_free: bool = False
    fee_code: str = F("", max_length=60)
    note: Text = ""
    announcement: AnnouncementData | None = None
    cases: list[CaseData] = F(min_length=1)
    documents: list[DocumentData] = []
    fees: list[FeeData] = []
    steps: list[StepData] = []
    legal_bases: list[LegalBasisData] = []
    forms: list[FormData] = []
    boundary_free: list[BoundaryFreeData] = []

    @field_validator("levels", "subjects", "submission_methods")
    @classmethod
    def _as_sorted_set(cls, value: list[str]) -> list[str]:
        # These are sets: a canonical order keeps the content hash stable across formats.
        return sorted(set(value))

    @field_validator("implementing_agency_codes", "applying_agency_codes")
    @classmethod
    def _agency_code_set(cls, value: list[str]) -> list[str]:
        return sorted({item.strip().upper() for item in value if item.strip()})

    @field_validator("implementing_agency_names", "applying_agency_names")
    @classmethod
    def _drop_blank(cls, value: list[str]) -> list[str]:
        return [item.strip() for item in value if item.strip()]

    @model_validator(mode="after")
    def _steps_of_the_only_case(self) -> ProcedureData:
        # With one case, a step without case_code is that case's step: store it explicitly.
        if len(self.cases) == 1:
            for step in self.steps:
                if not step.case_code:
                    step.case_code = self.cases[0].code
        return self


class ProcedureFile(_Part):
    """A whole import/export file."""

    format: Literal["motcua.catalog.procedures/1"] = FORMAT_ID
    exported_at: dt.datetime | None = None
    procedures: list[ProcedureData]


class ProcedureVersionOut(ProcedureData):
    """A stored version as the API returns it: the exchange format plus its publication data."""

    model_config = ConfigDict(extra="ignore")

    version: int
    state: PublicationState
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    published_at: dt.datetime | None


def import_json_schema() -> dict[str, object]:
    """Return the JSON Schema of an import/export file (``docs/catalog/procedure-import.schema.json``)."""
    schema = ProcedureFile.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://motcua.gov.vn/schemas/catalog/procedures-1.json",
        **schema,
        "title": "motcua procedure catalogue file (motcua.catalog.procedures/1)",
    }
