"""Demo of the citizen portal: two citizens with online dossiers in several stages, a draft,
and items in their data store.

The citizens are found by personal ID (``DEMO_CITIZENS``) among the e-ID accounts the
identity demo recorded (as after a first login through the local provider); when one is
missing (another provider configured), the demo creates that citizen's account itself with
the same verified identity, so the dossiers and the data store exist either way. Everything goes
through the portal and dossier actions, with the demo officials of the Thanh Hóa service
centre and Sở Tư pháp (``identity.demo``).
Idempotent: nothing is done when a demo citizen already has a draft or a dossier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.errors import NoVersionInForce, UnknownProcedure
from motcua.catalog.selectors import get_version_in_force
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.actions import SupplementItem
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.identity.models import AssuranceLevel, Citizen, CitizenKind
from motcua.identity.selectors import get_actor
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.portal import actions, selectors
from motcua.portal.models import Draft

__all__ = ["DEMO_CITIZENS", "load_demo"]

CRIMINAL_RECORD = "2.000488"
LAND = "1.012756"
LAND_AGENCY = "000.00.14.H56"


@dataclass(frozen=True)
class DemoCitizen:
    personal_id: str
    full_name: str
    birth_date: dt.date
    phone: str


# Two level-2 accounts of the local e-ID provider (``identity.fake_eid.DEMO_IDENTITIES``):
# logging in as them through /tai-khoan/vneid/ shows these dossiers.
DEMO_CITIZENS = [
    DemoCitizen("038085001234", "Nguyễn Văn An", dt.date(1985, 3, 14), "0912345678"),
    DemoCitizen("001192004567", "Trần Thị Bình", dt.date(1992, 11, 2), "0987654321"),
]
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _PDF, content_type="application/pdf")


def _citizen(person: DemoCitizen) -> Actor:
    citizen = Citizen.objects.filter(personal_id=person.personal_id).first()
    if citizen is None:
        user = get_user_model()._default_manager.create_user(
            username=f"congdan.{person.personal_id}"
        )
        now = clock.now()
        citizen = Citizen.objects.create(
            user=user,
            kind=CitizenKind.PERSON,
            issuer="motcua-demo",
            subject=person.personal_id,
            full_name=person.full_name,
            birth_date=person.birth_date,
            personal_id=person.personal_id,
            assurance_level=AssuranceLevel.LEVEL_2,
            phone=person.phone,
            address="Phường Hạc Thành, tỉnh Thanh Hóa",
            created_at=now,
            verified_at=now,
        )
    return get_actor(citizen.user)


def _official(username: str) -> Actor | None:
    user = get_user_model()._default_manager.filter(username=username).first()
    actor = get_actor(user)
    return actor if actor.is_official else None


def _draft(code: str, citizen: Actor, request: str, *, agency: str = "") -> Draft:
    draft = actions.do_start_draft(code, actor=citizen)
    version = draft.procedure_version
    choices = selectors.agency_choices(version, draft.case)
    if choices:
        chosen = next((a for a in choices if a.code == agency), choices[0])
        assert draft.case is not None
        actions.do_choose_draft_case(
            draft, actor=citizen, case_code=draft.case.code, agency_id=chosen.pk
        )
    elif draft.case is None:
        first = selectors.list_cases(version)[0]
        actions.do_choose_draft_case(draft, actor=citizen, case_code=first.code)
    actions.do_save_draft_form(
        draft, actor=citizen, values={"request": request, "return_channel": "online"}
    )
    return draft


def _submit(code: str, citizen: Actor, request: str, *, attach: tuple[str, ...] = ()) -> Dossier:
    draft = _draft(code, citizen, request, agency=LAND_AGENCY)
    owner = selectors.owner_key(selectors.get_citizen(citizen))
    for requirement in selectors.list_requirements(draft, owner=owner):
        name = requirement.document.name
        wanted = requirement.is_missing or any(name.startswith(prefix) for prefix in attach)
        if requirement.mode == selectors.DocumentMode.ATTACH and wanted and not requirement.item:
            actions.do_attach_draft_file(
                draft,
                actor=citizen,
                procedure_document_id=requirement.document.pk,
                uploaded_file=_pdf(f"{name[:40]}.pdf"),
            )
    return actions.do_submit_draft(draft, actor=citizen)


def _fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def _to_processing(dossier: Dossier, people: dict[str, Actor]) -> None:
    dossier_actions.do_receive_dossier(_fresh(dossier), actor=people["desk"])
    dossier_actions.do_transfer_dossier(_fresh(dossier), actor=people["desk"])
    dossier_actions.do_assign_dossier(
        _fresh(dossier), actor=people["reviewer"], assignee_id=people["handler"].user_id or 0
    )


def _to_returned(dossier: Dossier, people: dict[str, Actor]) -> None:
    _to_processing(dossier, people)
    dossier_actions.do_submit_for_review(_fresh(dossier), actor=people["handler"])
    dossier_actions.do_approve_dossier(_fresh(dossier), actor=people["reviewer"])
    dossier_actions.do_sign_result(_fresh(dossier), actor=people["signer"])
    signed = _fresh(dossier)
    if signed.has_outstanding_fees:
        dossier_actions.do_record_payment(signed, actor=people["desk"], reference="BL-DEMO-TT")
    dossier_actions.do_return_result(_fresh(dossier), actor=people["desk"], note="Kết quả điện tử")


def _document(dossier: Dossier, prefix: str) -> DossierDocument:
    return next(
        d for d in DossierDocument.objects.filter(dossier=dossier) if d.name.startswith(prefix)
    )


def load_demo() -> list[str]:
    """Create the demo citizens' dossiers, draft and data store if missing."""
    try:
        get_version_in_force(CRIMINAL_RECORD)
    except (UnknownProcedure, NoVersionInForce):
        return ["Cổng dịch vụ công: bỏ qua — danh mục chưa có thủ tục 2.000488."]
    people_or_none = {
        "desk": _official("tiepnhan.tinh"),
        "handler": _official("thuly.tuphap"),
        "reviewer": _official("xemxet.tuphap"),
        "signer": _official("kyduyet.tuphap"),
    }
    if any(actor is None for actor in people_or_none.values()):
        return ["Cổng dịch vụ công: bỏ qua — thiếu tài khoản cán bộ mẫu."]
    people = {k: v for k, v in people_or_none.items() if v is not None}
    an, binh = (_citizen(person) for person in DEMO_CITIZENS)
    if Draft.objects.filter(owner_id__in=[an.user_id, binh.user_id]).exists():
        return ["Cổng dịch vụ công: dữ liệu mẫu của công dân đã có."]

    def returned(citizen: Actor, text: str) -> Dossier:
        dossier = _submit(CRIMINAL_RECORD, citizen, text)
        _to_returned(dossier, people)
        return dossier

    returned(an, "Cấp Phiếu lý lịch tư pháp số 1 để xin việc.")
    land = _submit(LAND, an, "Đăng ký đất đai lần đầu thửa số 12.", attach=("Giấy tờ về quyền",))
    dossier_actions.do_receive_dossier(_fresh(land), actor=people["desk"])
    waiting = _submit(CRIMINAL_RECORD, an, "Cấp Phiếu lý lịch tư pháp số 2.")
    _to_processing(waiting, people)
    dossier_actions.do_request_supplement(
        _fresh(waiting),
        actor=people["handler"],
        items=[
            SupplementItem(
                "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                "Ghi rõ nơi cư trú trước khi đủ 14 tuổi",
                _document(waiting, "Tờ khai").pk,
            )
        ],
    )
    _submit(CRIMINAL_RECORD, an, "Cấp Phiếu lý lịch tư pháp số 1 (bản thứ hai).")
    _draft(LAND, an, "Đăng ký biến động thửa số 12.", agency=LAND_AGENCY)

    rated = returned(binh, "Cấp Phiếu lý lịch tư pháp số 1.")
    dossier_actions.do_rate_dossier(
        _fresh(rated),
        actor=binh,
        criteria=[2, 2, 2, 1, 2, 2, 2, 1, 2],
        satisfaction="very_satisfied",
    )
    asked = _submit(CRIMINAL_RECORD, binh, "Cấp Phiếu lý lịch tư pháp số 2 cho con.")
    dossier_actions.do_request_reception_supplement(
        _fresh(asked),
        actor=people["desk"],
        items=[
            SupplementItem(
                "Văn bản ủy quyền có công chứng, chứng thực",
                "Người nộp thay cần văn bản ủy quyền",
                _document(asked, "Văn bản ủy quyền").pk,
            )
        ],
    )
    lines = ["Cổng dịch vụ công — công dân mẫu (đăng nhập bằng định danh điện tử):"]
    for person in DEMO_CITIZENS:
        lines.append(f"  {person.full_name}, số định danh {person.personal_id}")
    lines.append("  Hồ sơ của tôi: /ca-nhan/ho-so/ · Kho dữ liệu: /ca-nhan/kho-du-lieu/")
    return lines
