"""Demo dossiers: a handful in various states at the Thanh Hóa provincial service centre.

Built through the actions with the demo officials (``identity.demo``) on the demo
catalogue's criminal-record procedure (2.000488, Sở Tư pháp) and a commune certification
(2.000815, phường Hạc Thành), so the worklists of every demo account have something in
them. Idempotent: when the demo dossiers exist (applicants' e-mail under
``DEMO_EMAIL_DOMAIN``), nothing is done. Skipped, with a line saying why, when the
catalogue or the demo accounts are missing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model

from motcua.agencies.models import Agency
from motcua.catalog.errors import NoVersionInForce, UnknownProcedure
from motcua.catalog.models import ProcedureDocument
from motcua.catalog.selectors import get_version_in_force
from motcua.dossiers import actions
from motcua.dossiers.actions import ApplicantData, ProvidedDocument, Submission, SupplementItem
from motcua.dossiers.enums import DigitisationExemption
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.identity.selectors import get_actor
from motcua.kernel.actors import Actor

__all__ = ["DEMO_EMAIL_DOMAIN", "load_demo"]

DEMO_EMAIL_DOMAIN = "vidu.motcua.vn"
CRIMINAL_RECORD = "2.000488"
CERTIFICATION = "2.000815"
PROVINCIAL_PASC = "000.01.01.H56"
COMMUNE_PASC = "000.01.41.H56"

# (name, personal ID consistent with sex and year, year, is_female, phone, target stage)
_APPLICANTS = [
    ("Nguyễn Văn An", "038085001234", 1985, False, "0912000001", "submitted"),
    ("Trần Thị Bình", "038190004321", 1990, True, "0912000002", "received"),
    ("Lê Văn Cường", "038078005678", 1978, False, "0912000003", "in_process"),
    ("Phạm Thị Dung", "038195008765", 1995, True, "0912000004", "supplement_requested"),
    ("Hoàng Văn Em", "038201002468", 2001, False, "0912000005", "result_ready"),
    ("Vũ Thị Giang", "038188001357", 1988, True, "0912000006", "returned"),
]


def _actor(username: str) -> Actor | None:
    user = get_user_model()._default_manager.filter(username=username).first()
    actor = get_actor(user)
    return actor if actor.is_official else None


def _submission(
    code: str, index: int, name: str, number: str, year: int, female: bool, phone: str
) -> Submission:
    version = get_version_in_force(code)
    case = version.cases.order_by("position", "id").first()
    documents = ProcedureDocument.objects.filter(version=version, requirement="required")
    return Submission(
        procedure_code=code,
        case_code=case.code if case is not None else "",
        applicant=ApplicantData(
            name=name,
            id_number=number,
            birth_year=year,
            is_female=female,
            phone=phone,
            email=f"nguoinop{index}@{DEMO_EMAIL_DOMAIN}",
            address="Phường Hạc Thành, tỉnh Thanh Hóa",
        ),
        documents=tuple(
            ProvidedDocument(d.pk, originals=1)
            for d in documents
            if d.case_id is None or case is None or d.case_id == case.pk
        ),
    )


def _exempt_paper(dossier: Dossier, desk: Actor) -> None:
    # The demo has no scanner: paper documents are marked as the participating agency's
    # own records so that transfer is possible; the desk UI digitises real ones.
    for document in DossierDocument.objects.filter(dossier=dossier):
        if document.needs_digitisation:
            actions.do_mark_document_exempt(
                document, actor=desk, exemption=DigitisationExemption.AGENCY_OUTPUT
            )


def _advance(dossier: Dossier, stage: str, people: dict[str, Actor]) -> None:
    steps: list[tuple[str, Callable[[], object]]] = [
        ("received", lambda: actions.do_receive_dossier(dossier, actor=people["desk"])),
        ("in_process", lambda: _process(dossier, people)),
        (
            "supplement_requested",
            lambda: actions.do_request_supplement(
                dossier,
                actor=people["handler"],
                items=[SupplementItem("Bản sao giấy khai sinh", "Bản chụp không rõ năm sinh")],
            ),
        ),
    ]
    if stage in ("result_ready", "returned"):
        steps = [*steps[:2], ("result_ready", lambda: _sign(dossier, people))]
        if stage == "returned":
            steps.append(
                (
                    "returned",
                    lambda: actions.do_return_result(
                        dossier, actor=people["desk"], note="Biên bản giao nhận kết quả"
                    ),
                )
            )
    for name, step in steps:
        step()
        if name == stage:
            return


def _process(dossier: Dossier, people: dict[str, Actor]) -> None:
    _exempt_paper(dossier, people["desk"])
    actions.do_transfer_dossier(dossier, actor=people["desk"])
    actions.do_assign_dossier(
        dossier, actor=people["reviewer"], assignee_id=people["handler"].user_id or 0
    )


def _sign(dossier: Dossier, people: dict[str, Actor]) -> None:
    actions.do_submit_for_review(dossier, actor=people["handler"])
    actions.do_approve_dossier(dossier, actor=people["reviewer"])
    actions.do_sign_result(dossier, actor=people["signer"])
    if dossier.state == "result_awaiting_payment":
        actions.do_record_payment(dossier, actor=people["desk"], reference="BL-DEMO")


def load_demo() -> list[str]:
    """Create the demo dossiers if they are missing; return the lines to print."""
    existing = Dossier.objects.filter(applicant_email__endswith=f"@{DEMO_EMAIL_DOMAIN}").count()
    if existing:
        return [f"Hồ sơ mẫu: {existing} hồ sơ (đã có)."]
    try:
        get_version_in_force(CRIMINAL_RECORD)
    except (UnknownProcedure, NoVersionInForce):
        return ["Hồ sơ mẫu: bỏ qua — danh mục chưa có thủ tục 2.000488."]
    people = {
        "desk": _actor("tiepnhan.tinh"),
        "handler": _actor("thuly.tuphap"),
        "reviewer": _actor("xemxet.tuphap"),
        "signer": _actor("kyduyet.tuphap"),
        "commune_desk": _actor("tiepnhan.hacthanh"),
    }
    desk = Agency.objects.filter(code=PROVINCIAL_PASC).first()
    if desk is None or any(actor is None for actor in people.values()):
        return ["Hồ sơ mẫu: bỏ qua — thiếu cơ quan hoặc tài khoản mẫu."]
    found: dict[str, Actor] = {k: v for k, v in people.items() if v is not None}
    created: list[Dossier] = []
    for index, (name, number, year, female, phone, stage) in enumerate(_APPLICANTS, start=1):
        submission = _submission(CRIMINAL_RECORD, index, name, number, year, female, phone)
        dossier = actions.do_register_submission(desk, actor=found["desk"], submission=submission)
        if stage != "submitted":
            _advance(dossier, stage, found)
        created.append(dossier)
    commune_desk = Agency.objects.filter(code=COMMUNE_PASC).first()
    try:
        if commune_desk is not None:
            submission = _submission(
                CERTIFICATION, 7, "Đỗ Văn Hải", "038092003579", 1992, False, "0912000007"
            )
            created.append(
                actions.do_receive_at_desk(
                    commune_desk, actor=found["commune_desk"], submission=submission
                )
            )
    except (UnknownProcedure, NoVersionInForce):
        pass
    lines = [f"Hồ sơ mẫu: {len(created)} hồ sơ —"]
    lines += [f"  {d.code or d.reference}: {d.get_state_display()}" for d in created]
    return lines
