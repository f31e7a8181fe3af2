"""Pull the online dossiers created on the national portal into the desks' queues.

``pull_from_portal()`` asks the portal for the online dossiers not yet picked up, turns
each into a ``Submission`` (procedure, case, applicant, documents by code or name) and
records it with ``do_submit_online_dossier`` in status 1 at the desk the portal names —
once per portal code (``PortalImport``). The portal is then told it was picked up. The
desk's decision (received: status 2, refused: 3) goes back with the status sync.

A row that cannot be read — a missing field, an unknown procedure, desk or document, an
identification number that fails the checks — is rejected: one ``portal.pull.rejected``
warning (portal code and error code, no personal data) and one ``PortalImport`` row with
the reason, shown on the operations page. It is left on the portal, so a corrected row
is imported on a later pull; the same row again is neither logged nor recorded twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureDocument
from motcua.catalog.selectors import get_version_in_force
from motcua.dossiers.actions import ApplicantData, ProvidedDocument, Submission
from motcua.dossiers.enums import ApplicantKind, DeliveryChannel, SubmissionChannel
from motcua.integration.adapters.dvcqg import PortalError, get_client
from motcua.kernel.actors import Actor
from motcua.kernel.errors import ApplicationError
from motcua.kernel.logging import get_logger
from motcua.kernel.text import fold
from motcua.portalsync import actions
from motcua.portalsync.payloads import DEFAULT_DELIVERY_CODES, DEFAULT_SUBJECT_CODES

__all__ = ["PullStats", "RowRejected", "pull_from_portal", "submission_of"]

log = get_logger(__name__)
ACTOR = Actor.system("dvcqg-pull")


class RowRejected(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(code)
        self.code, self.reason = code, reason


@dataclass
class PullStats:
    fetched: int = 0
    imported: int = 0
    already: int = 0
    rejected: int = 0
    unavailable: bool = False


def _text(row: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = row.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowRejected("THIEU_TRUONG", f"missing field {name}")
        return ""
    if not isinstance(value, str | int):
        raise RowRejected("GIA_TRI_KHONG_HOP_LE", f"field {name} is not text")
    return str(value).strip()


def _documents(
    version_documents: list[ProcedureDocument], rows: Any
) -> tuple[ProvidedDocument, ...]:
    if not isinstance(rows, list):
        raise RowRejected("GIA_TRI_KHONG_HOP_LE", "TaiLieuNop is not a list")
    by_code = {d.code: d for d in version_documents if d.code}
    by_name = {fold(d.name): d for d in version_documents}
    provided: dict[int, ProvidedDocument] = {}
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise RowRejected("GIA_TRI_KHONG_HOP_LE", f"TaiLieuNop[{index}] is not an object")
        code = str(row.get("MaThanhPhanHoSo") or "").strip()
        name = str(row.get("TenThanhPhanHoSo") or "").strip()
        document = by_code.get(code) if code else None
        document = document or (by_name.get(fold(name)) if name else None)
        if document is None:
            raise RowRejected(
                "TAI_LIEU_KHONG_CO", f"TaiLieuNop[{index}] is not a document of the procedure"
            )
        provided[document.pk] = ProvidedDocument(document.pk, originals=1)
    return tuple(provided.values())


def submission_of(row: dict[str, Any]) -> tuple[Submission, Agency, bool]:
    """Return the submission, the receiving desk and the e-ID flag of a portal row.

    Raise ``RowRejected`` (or an ``ApplicationError`` of the catalogue) when it cannot be read.
    """
    if row.get("KenhThucHien") != 2:
        raise RowRejected("GIA_TRI_KHONG_HOP_LE", "KenhThucHien must be 2 (online)")
    procedure_code = _text(row, "MaTTHC")
    desk = Agency.objects.filter(code=_text(row, "MaDonViTiepNhan")).first()
    if desk is None or not desk.is_one_stop_desk:
        raise RowRejected("DON_VI_KHONG_CO", "MaDonViTiepNhan is not a one-stop desk")
    owner = row.get("ChuHoSo")
    if not isinstance(owner, dict):
        raise RowRejected("THIEU_TRUONG", "missing field ChuHoSo")
    birth_year = owner.get("NamSinh")
    if birth_year is not None and not isinstance(birth_year, int):
        raise RowRejected("GIA_TRI_KHONG_HOP_LE", "NamSinh is not a year")
    sex = owner.get("GioiTinh")
    subject_codes = getattr(settings, "DVCQG_SUBJECT_CODES", DEFAULT_SUBJECT_CODES)
    kind = (
        ApplicantKind.ORGANISATION
        if row.get("LoaiDoiTuong") == subject_codes.get("organisation")
        else ApplicantKind.PERSON
    )
    delivery = {
        v: k for k, v in getattr(settings, "DVCQG_DELIVERY_CODES", DEFAULT_DELIVERY_CODES).items()
    }
    version = get_version_in_force(procedure_code)
    submission = Submission(
        procedure_code=procedure_code,
        case_code=_text(row, "MaTruongHop", required=False),
        channel=SubmissionChannel.ONLINE_DVCQG,
        return_channel=DeliveryChannel(
            delivery.get(row.get("HinhThucTra"), DeliveryChannel.ONLINE)
        ),
        applicant=ApplicantData(
            name=_text(owner, "HoVaTen"),
            id_number=_text(owner, "SoDinhDanh"),
            kind=kind,
            birth_year=birth_year,
            is_female=None if sex not in (0, 1) else sex == 0,
            phone=_text(owner, "SoDienThoai", required=False),
            email=_text(owner, "Email", required=False),
            address=_text(owner, "DiaChi", required=False),
        ),
        documents=_documents(
            list(ProcedureDocument.objects.filter(version=version)), row.get("TaiLieuNop") or []
        ),
    )
    return submission, desk, row.get("TaiKhoanDuocXacThucVoiVNeID") == 1


def _reject(code: str, error_code: str, reason: str, digest: str, stats: PullStats) -> None:
    stats.rejected += 1
    if actions.do_record_rejected_import(
        code, actor=ACTOR, code=error_code, error=reason, digest=digest
    ):
        log.warning("portal.pull.rejected", portal_code=code, error_code=error_code, reason=reason)


def import_row(row: Any, stats: PullStats) -> str | None:
    """Import one portal row; return its portal code when the portal should be told."""
    if (
        not isinstance(row, dict)
        or not isinstance(row.get("MaHoSo"), str)
        or not row["MaHoSo"].strip()
    ):
        stats.rejected += 1
        log.warning(
            "portal.pull.rejected",
            portal_code=None,
            error_code="THIEU_TRUONG",
            reason="missing MaHoSo",
        )
        return None
    code = row["MaHoSo"].strip()[:60]
    digest = actions.payload_hash(row)
    try:
        submission, desk, is_eid = submission_of(row)
        _dossier, created = actions.do_import_online_dossier(
            code,
            actor=ACTOR,
            submission=submission,
            desk=desk,
            is_eid_authenticated=is_eid,
            digest=digest,
        )
    except RowRejected as exc:
        _reject(code, exc.code, exc.reason, digest, stats)
        return None
    except ApplicationError as exc:
        _reject(code, exc.code, exc.message, digest, stats)
        return None
    if created:
        stats.imported += 1
        log.info("portal.pull.imported", portal_code=code)
    else:
        stats.already += 1
    return code


def pull_from_portal() -> PullStats:
    """Pull once: import what the portal offers, confirm what was imported."""
    stats = PullStats()
    if not settings.DVCQG_SYNC_ENABLED:
        return stats
    client = get_client()
    try:
        rows = client.fetch_online_dossiers(list(settings.DVCQG_PULL_DESKS) or None)
    except PortalError as exc:
        stats.unavailable = True
        log.warning("portal.pull.unavailable", code=exc.code, status=exc.status)
        return stats
    stats.fetched = len(rows)
    for row in rows:
        code = import_row(row, stats)
        if code is None:
            continue
        try:
            client.confirm_pickup(code)
        except PortalError as exc:
            log.warning("portal.pull.confirm_failed", portal_code=code, status=exc.status)
            continue
        actions.do_mark_import_confirmed(code, actor=ACTOR)
    return stats
