"""The rows around a dossier: its documents, hand-overs, requests, notices, code sequence.

Each is written by the actions in the same transaction as the dossier's transition.
One-row invariants are database constraints as well (one supplement request per agency
in processing, one extension, one refusal, one stop notice per dossier; one sequence
row per unit and day).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureDocument
from motcua.dossiers.enums import (
    DigitisationExemption,
    DocumentSource,
    HandoverKind,
    ReuseKind,
    Satisfaction,
    Timeliness,
)
from motcua.dossiers.models.dossier import Dossier

__all__ = [
    "DossierCodeSequence",
    "DossierDocument",
    "Extension",
    "HandoverEntry",
    "Rating",
    "Refusal",
    "StopNotice",
    "SupplementRequest",
    "SupplementStage",
]


class DossierDocument(models.Model):
    """One required document of the procedure version, as submitted with this dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    procedure_document = models.ForeignKey(
        ProcedureDocument, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=2000)
    is_mandatory = models.BooleanField(_("bắt buộc"), default=True)
    is_provided = models.BooleanField(_("đã nộp"), default=False)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("số bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("số bản chụp"), default=0)
    is_electronic = models.BooleanField(_("bản điện tử"), default=False)
    stored_file = models.ForeignKey(
        "documents.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bản số hóa"),
    )
    digitised_at = models.DateTimeField(_("thời điểm số hóa"), null=True, blank=True)
    digitised_by = models.CharField(_("người số hóa"), max_length=80, blank=True)
    exemption = models.CharField(
        _("không phải số hóa vì"), max_length=20, choices=DigitisationExemption.choices, blank=True
    )
    exemption_note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # Online dossiers: where the document came from, and the national sync flags of its
    # file (R44): DuocTaiSuDung, DuocLayTuKhoDMQG, MaKetQuaThayThe; MaCSDL for data.
    source = models.CharField(
        _("nguồn"), max_length=12, choices=DocumentSource.choices, blank=True, default=""
    )
    reuse = models.PositiveSmallIntegerField(
        _("tái sử dụng"), choices=ReuseKind.choices, default=ReuseKind.NONE
    )
    is_from_data_store = models.BooleanField(_("lấy từ kho dữ liệu"), default=False)
    replacement_result_code = models.CharField(_("mã kết quả thay thế"), max_length=80, blank=True)
    data_store_item = models.ForeignKey(
        "documents.DataStoreItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("giấy tờ trong kho dữ liệu"),
    )
    data_source_code = models.CharField(_("mã cơ sở dữ liệu"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ đã nộp")
        verbose_name_plural = _("thành phần hồ sơ đã nộp")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "procedure_document"], name="dossier_document_once"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_digitisation(self) -> bool:
        """Return whether transfer must wait for this document's file (R41)."""
        return self.is_provided and self.stored_file_id is None and not self.exemption


class HandoverEntry(models.Model):
    """One row of the process control slip: who handed the dossier to whom, and in time?

    ``allotted`` is the step's share of the time limit (working time); ``used`` the
    working time from ``handed_at`` to ``done_at`` minus supplement pauses. The row is
    closed once (``done_at``) and never edited otherwise (R50).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="handovers")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("bước"), max_length=10, choices=HandoverKind.choices)
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    from_official = models.CharField(_("người giao"), max_length=200, blank=True)
    to_official = models.CharField(_("người nhận"), max_length=200, blank=True)
    handed_at = models.DateTimeField(_("thời điểm giao, nhận"))
    due_at = models.DateTimeField(_("hạn xử lý của bước"), null=True, blank=True)
    allotted = models.DurationField(_("thời gian được giao"), null=True, blank=True)
    done_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    used = models.DurationField(_("thời gian đã dùng"), null=True, blank=True)
    timeliness = models.CharField(
        _("kết quả"), max_length=12, choices=Timeliness.choices, default=Timeliness.IN_PROGRESS
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dòng phiếu kiểm soát")
        verbose_name_plural = _("phiếu kiểm soát quá trình giải quyết")
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "position"], name="dossier_handover_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.position} {self.kind}"


class SupplementStage(models.TextChoices):
    RECEPTION = "reception", _("Khi tiếp nhận")
    PROCESSING = "processing", _("Trong quá trình giải quyết")


class SupplementRequest(models.Model):
    """A supplement request: every item with its reason, in one request (Form 02).

    During processing it pauses the clock from ``requested_at`` to ``fulfilled_at``;
    an agency may issue at most one (R33).
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    stage = models.CharField(_("giai đoạn"), max_length=10, choices=SupplementStage.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # [{"text": …, "reason": …, "document_id": … or null}]
    items = models.JSONField(_("nội dung yêu cầu bổ sung"), default=list)
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"))
    requested_by = models.CharField(_("người yêu cầu"), max_length=200)
    fulfilled_at = models.DateTimeField(_("thời điểm bổ sung"), null=True, blank=True)
    paused_working_time = models.DurationField(_("thời gian tạm dừng"), null=True, blank=True)
    # The applicant's own answer, when given online (the portal).
    answered_online = models.BooleanField(_("bổ sung trực tuyến"), default=False)
    answer_note = models.TextField(_("ghi chú của người nộp"), blank=True)
    form = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")
        ordering = ["dossier", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "agency"],
                condition=models.Q(stage="processing"),
                name="dossier_one_supplement_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.stage} {self.requested_at:%Y-%m-%d}"


class Extension(models.Model):
    """The apology and the one new appointment date (Form 04); once per dossier (R37)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="extension")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do"))
    previous_due_at = models.DateTimeField(_("ngày hẹn trả trước đó"))
    new_due_at = models.DateTimeField(_("ngày hẹn trả mới"))
    issued_at = models.DateTimeField(_("thời điểm ban hành"))
    issued_by = models.CharField(_("người ban hành"), max_length=200)
    form = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("văn bản xin lỗi và hẹn lại")
        verbose_name_plural = _("văn bản xin lỗi và hẹn lại")

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.new_due_at:%Y-%m-%d}"


class Refusal(models.Model):
    """The written refusal to receive (Form 03): no code, no deadline."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="refusal")
    reason = models.TextField(_("lý do"))
    refused_at = models.DateTimeField(_("thời điểm từ chối"))
    refused_by = models.CharField(_("người từ chối"), max_length=200)
    form = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("từ chối tiếp nhận")
        verbose_name_plural = _("từ chối tiếp nhận")

    def __str__(self) -> str:
        return str(self.dossier_id)


class StopNotice(models.Model):
    """Processing stopped (status 8) with its written reason (Form 05 under Circular 03/2025)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="stop_notice")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do"))
    legal_basis = models.CharField(_("căn cứ"), max_length=500, blank=True)
    stopped_at = models.DateTimeField(_("thời điểm dừng"))
    stopped_by = models.CharField(_("người quyết định"), max_length=200)
    form = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("thông báo dừng giải quyết")
        verbose_name_plural = _("thông báo dừng giải quyết")

    def __str__(self) -> str:
        return str(self.dossier_id)


class DossierCodeSequence(models.Model):
    """The last dossier number given by a receiving unit on a (local) day."""

    unit_code = models.CharField(_("mã đơn vị"), max_length=40)
    day = models.DateField(_("ngày"))
    last_number = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = _("số thứ tự mã hồ sơ")
        verbose_name_plural = _("số thứ tự mã hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["unit_code", "day"], name="dossier_code_sequence_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.day} #{self.last_number}"


CRITERIA_COUNT = 9


class Rating(models.Model):
    """The applicant's evaluation of the handling (§11.1): nine criteria of 0–2 points and
    the overall satisfaction. One per dossier; written only by ``do_rate_dossier`` and
    never changed (the admin is read-only)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    # [c1, …, c9], each 0, 1 or 2 (criteria in the order of §11.1).
    criteria = models.JSONField(_("điểm từng tiêu chí"))
    total = models.PositiveSmallIntegerField(_("tổng điểm"))
    satisfaction = models.CharField(
        _("mức độ hài lòng"), max_length=16, choices=Satisfaction.choices
    )
    comment = models.TextField(_("ý kiến khác"), blank=True)
    rated_at = models.DateTimeField(_("thời điểm đánh giá"))
    rated_by = models.CharField(_("người đánh giá"), max_length=80)

    class Meta:
        verbose_name = _("đánh giá giải quyết thủ tục hành chính")
        verbose_name_plural = _("đánh giá giải quyết thủ tục hành chính")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gte=0, total__lte=2 * CRITERIA_COUNT),
                name="rating_total_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.total}/18"
