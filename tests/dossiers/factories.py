"""Reference data for dossier tests: a province, its desks and agencies, officials, and a
published inter-agency procedure with documents, fees and process steps.

Catalogue and agency rows are created directly (they are other apps' data, frozen here);
dossiers are only ever built through the dossier actions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model

from motcua.agencies.models import AdminUnit, Agency, AgencyKind, AgencyLevel
from motcua.catalog.models import (
    AnnouncementDecision,
    BoundaryFreeListing,
    FeeItem,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureVersion,
    ProcessStep,
)
from motcua.dossiers.actions import ApplicantData, ProvidedDocument, Submission
from motcua.identity.models import Official, RoleAssignment
from motcua.identity.selectors import get_actor
from motcua.kernel.actors import Actor
from motcua.kernel.clock import VN_TZ

VALID_FROM = dt.datetime(2025, 7, 1, tzinfo=VN_TZ)
# A 12-digit personal ID of a woman born in 2003, birth registered in Hà Nội (R14).
PERSONAL_ID = "001303012345"


@dataclass
class World:
    province: AdminUnit
    commune_a: AdminUnit
    commune_b: AdminUnit
    desk: Agency  # provincial PASC
    commune_desk: Agency  # PASC of commune A
    justice: Agency  # Sở Tư pháp
    construction: Agency  # Sở Xây dựng
    commune_pc_b: Agency
    other_province_agency: Agency
    chain: ProcedureVersion  # inter-agency: justice then construction, 5 working days
    chain_case: ProcedureCase
    single: ProcedureVersion  # one agency (justice), 3 working days, no fee
    single_case: ProcedureCase
    commune_proc: ProcedureVersion  # handled by commune PC B
    documents: dict[str, ProcedureDocument] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)

    def provided(self, *names: str) -> tuple[ProvidedDocument, ...]:
        return tuple(ProvidedDocument(self.documents[name].pk, originals=1) for name in names)


def _unit(code: str, level: str, name: str, parent: AdminUnit | None = None) -> AdminUnit:
    return AdminUnit.objects.create(
        scheme="2025",
        code=code,
        level=level,
        name=name,
        name_folded=name.lower(),
        parent=parent,
        valid_from=dt.date(2025, 7, 1),
    )


def _agency(code: str, name: str, kind: str, level: str, unit: AdminUnit) -> Agency:
    return Agency.objects.create(code=code, name=name, kind=kind, level=level, admin_unit=unit)


def _version(
    code: str, name: str, field_: Field, decision: AnnouncementDecision, **extra: object
) -> ProcedureVersion:
    procedure = Procedure.objects.create(code=code)
    return ProcedureVersion.objects.create(
        procedure=procedure,
        code=code,
        number=1,
        state="published",
        name=name,
        field=field_,
        announcement=decision,
        valid_from=VALID_FROM,
        published_at=VALID_FROM,
        result_name=f"Kết quả {name.lower()}",
        **extra,
    )


def official(username: str, agency: Agency, *roles: str, full_name: str | None = None) -> Actor:
    """Create an official with ``roles`` at ``agency`` and return their actor."""
    user = get_user_model().objects.create_user(username=username, password="x")
    person = Official.objects.create(
        user=user,
        agency=agency,
        full_name=full_name or username.replace("_", " ").title(),
        created_at=VALID_FROM,
    )
    for role in roles:
        RoleAssignment.objects.create(
            official=person, role=role, granted_at=VALID_FROM, granted_by="system:tests"
        )
    return get_actor(user)


def make_world() -> World:
    province = _unit("38", "province", "Tỉnh Thanh Hóa")
    commune_a = _unit("14755", "commune", "Phường Hạc Thành", province)
    commune_b = _unit("14758", "commune", "Xã Đông Tiến", province)
    other = _unit("01", "province", "Thành phố Hà Nội")
    desk = _agency(
        "000.00.01.H56", "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa",
        AgencyKind.PROVINCIAL_PASC, AgencyLevel.PROVINCE, province,
    )  # fmt: skip
    commune_desk = _agency(
        "000.41.01.H56", "Trung tâm Phục vụ hành chính công phường Hạc Thành",
        AgencyKind.COMMUNE_PASC, AgencyLevel.COMMUNE, commune_a,
    )  # fmt: skip
    justice = _agency(
        "000.00.12.H56", "Sở Tư pháp tỉnh Thanh Hóa", AgencyKind.DEPARTMENT,
        AgencyLevel.PROVINCE, province,
    )  # fmt: skip
    construction = _agency(
        "000.00.14.H56", "Sở Xây dựng tỉnh Thanh Hóa", AgencyKind.DEPARTMENT,
        AgencyLevel.PROVINCE, province,
    )  # fmt: skip
    commune_pc_b = _agency(
        "000.42.00.H56", "Ủy ban nhân dân xã Đông Tiến", AgencyKind.COMMUNE_PC,
        AgencyLevel.COMMUNE, commune_b,
    )  # fmt: skip
    hanoi = _agency(
        "000.00.12.H26", "Sở Tư pháp thành phố Hà Nội", AgencyKind.DEPARTMENT,
        AgencyLevel.PROVINCE, other,
    )  # fmt: skip
    field_ = Field.objects.create(code="G09-XD", name="Xây dựng")
    decision = AnnouncementDecision.objects.create(
        number="100/QĐ-UBND", decided_on=dt.date(2025, 6, 20), effective_on=dt.date(2025, 7, 1)
    )
    chain = _version(
        "1.000001", "Cấp giấy phép xây dựng nhà ở riêng lẻ", field_, decision, is_inter_agency=True
    )
    chain_case = ProcedureCase.objects.create(
        version=chain, code="TH1", name="Nhà ở riêng lẻ", time_limit=Decimal(5)
    )
    steps = [
        ("Tiếp nhận hồ sơ", desk, "desk_officer", "0.5"),
        ("Thẩm định hồ sơ pháp lý", justice, "handler", "2"),
        ("Thẩm định thiết kế, cấp phép", construction, "handler", "2"),
        ("Trả kết quả", desk, "desk_officer", "0.5"),
    ]
    for position, (name, agency, role, share) in enumerate(steps, start=1):
        ProcessStep.objects.create(
            version=chain, case=chain_case, position=position, name=name, agency=agency,
            role=role, duration=Decimal(share),
        )  # fmt: skip
    documents = {
        "application": ProcedureDocument.objects.create(
            version=chain, position=1, name="Đơn đề nghị cấp giấy phép xây dựng", originals=1
        ),
        "land": ProcedureDocument.objects.create(
            version=chain, position=2, name="Giấy chứng nhận quyền sử dụng đất", certified_copies=1
        ),
        "drawings": ProcedureDocument.objects.create(
            version=chain, position=3, name="Bản vẽ thiết kế", originals=2, requirement="optional"
        ),
        "identity_card": ProcedureDocument.objects.create(
            version=chain, position=4, name="Thẻ căn cước", originals=1, is_present_only=True
        ),
    }
    FeeItem.objects.create(version=chain, name="Lệ phí cấp giấy phép xây dựng", amount=75_000)
    single = _version("1.000002", "Cấp phiếu lý lịch tư pháp", field_, decision)
    single_case = ProcedureCase.objects.create(
        version=single, code="TH1", name="Công dân Việt Nam", time_limit=Decimal(3)
    )
    ProcessStep.objects.create(
        version=single, case=single_case, position=1, name="Xác minh, cấp phiếu", agency=justice,
        role="handler", duration=Decimal(3),
    )  # fmt: skip
    documents["criminal_form"] = ProcedureDocument.objects.create(
        version=single, position=1, name="Tờ khai yêu cầu cấp phiếu lý lịch tư pháp", originals=1
    )
    commune_proc = _version("2.000003", "Chứng thực bản sao từ bản chính", field_, decision)
    commune_case = ProcedureCase.objects.create(
        version=commune_proc, code="TH1", name="Chứng thực", time_limit=Decimal(2)
    )
    ProcessStep.objects.create(
        version=commune_proc, case=commune_case, position=1, name="Chứng thực", agency=commune_pc_b,
        role="handler", duration=Decimal(2),
    )  # fmt: skip
    world = World(
        province=province,
        commune_a=commune_a,
        commune_b=commune_b,
        desk=desk,
        commune_desk=commune_desk,
        justice=justice,
        construction=construction,
        commune_pc_b=commune_pc_b,
        other_province_agency=hanoi,
        chain=chain,
        chain_case=chain_case,
        single=single,
        single_case=single_case,
        commune_proc=commune_proc,
        documents=documents,
    )
    world.actors = {
        "desk": official("desk_officer", desk, "desk_officer", full_name="Lê Thị Tiếp Nhận"),
        "postal": official("postal_agent", desk, "postal_agent"),
        "commune_desk": official("commune_desk", commune_desk, "desk_officer"),
        "justice_handler": official(
            "justice_handler", justice, "handler", full_name="Trần Văn Thụ Lý"
        ),
        "justice_reviewer": official("justice_reviewer", justice, "reviewer"),
        "justice_signer": official("justice_signer", justice, "signer", full_name="Nguyễn Văn Ký"),
        "construction_handler": official("construction_handler", construction, "handler"),
        "construction_reviewer": official("construction_reviewer", construction, "reviewer"),
        "construction_signer": official("construction_signer", construction, "signer"),
        "hanoi_signer": official("hanoi_signer", hanoi, "signer"),
    }
    return world


def listing(world: World, procedure_code: str) -> BoundaryFreeListing:
    """Put ``procedure_code`` on the province's boundary-free list from 1 July 2025."""
    return BoundaryFreeListing.objects.create(
        province=world.province,
        procedure=Procedure.objects.get(code=procedure_code),
        valid_from=dt.date(2025, 7, 1),
    )


def chain_submission(world: World, *documents: str, **overrides: object) -> Submission:
    """Return a counter submission for the inter-agency procedure."""
    values: dict[str, object] = {
        "procedure_code": world.chain.code,
        "applicant": ApplicantData(
            name="Nguyễn Thị Lan",
            id_number=PERSONAL_ID,
            birth_year=2003,
            is_female=True,
            phone="0912345678",
            address="Số 1 Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
        ),
        "documents": world.provided(*(documents or ("application", "land", "identity_card"))),
    }
    values.update(overrides)
    return Submission(**values)  # type: ignore[arg-type]
