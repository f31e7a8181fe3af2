"""``Dossier``: one application for one procedure, from submission to returned result.

The row carries what every list and deadline needs without a join: the state and its
national status code, the three agencies (receiving desk, competent agency, the agency
holding it now), the appointment date (``due_at``, with ``original_due_at`` kept for the
statistics), the paused working time and the inter-agency route. ``state`` changes only
through ``workflow.engine.apply_transition`` (``dossiers.states.DOSSIER_MACHINE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.documents.forms import FormRuleSet
from motcua.dossiers.enums import (
    ApplicantKind,
    DeliveryChannel,
    IdType,
    NationalStatus,
    SubmissionChannel,
    SubmitterKind,
)
from motcua.dossiers.states import DossierState
from motcua.kernel import clock

__all__ = ["Dossier", "RouteLeg"]


class RouteLeg(dict[str, Any]):
    """One agency of the route (stored as JSON): ``agency_id``, ``agency_name``,
    ``share_us`` (its working-time budget in microseconds) and ``steps`` (step names)."""


class Dossier(models.Model):
    # Unique and immutable once received (R26); a refused desk submission has none.
    code = models.CharField(_("mã số hồ sơ"), max_length=60, unique=True, null=True, blank=True)
    # Kept for every submission, received or not (R25: "a submission reference is kept").
    reference = models.CharField(_("số tham chiếu"), max_length=20, unique=True)
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("phiên bản thủ tục"),
    )
    case = models.ForeignKey(
        ProcedureCase,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("trường hợp"),
    )
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20)
    receiving_desk = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("bộ phận tiếp nhận"),
    )
    competent_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
        verbose_name=_("cơ quan có thẩm quyền giải quyết"),
    )
    # Where the dossier is now: the desk until transfer and after the result, else the agency.
    current_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="held_dossiers",
        verbose_name=_("cơ quan đang giữ hồ sơ"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("chuyên viên thụ lý"),
    )
    state = models.CharField(
        _("trạng thái"), max_length=24, choices=DossierState.choices, default=DossierState.SUBMITTED
    )
    national_status = models.PositiveSmallIntegerField(
        _("trạng thái (mã quốc gia)"),
        choices=NationalStatus.choices,
        default=NationalStatus.SUBMITTED,
    )
    channel = models.CharField(_("hình thức nộp"), max_length=16, choices=SubmissionChannel.choices)
    return_channel = models.CharField(
        _("hình thức nhận kết quả"), max_length=8, choices=DeliveryChannel.choices
    )
    # The applicant (the principal: its identity is used for the data store and the sync).
    applicant_kind = models.CharField(
        _("loại người yêu cầu"), max_length=12, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("tên người yêu cầu"), max_length=255)
    applicant_id_type = models.CharField(_("loại giấy tờ"), max_length=20, choices=IdType.choices)
    applicant_id_number = models.CharField(_("số định danh"), max_length=20)
    applicant_birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    # The citizen or business account that filed it online (None at a counter), and
    # whether that account was authenticated by the national e-ID (the sync flag).
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applied_dossiers",
        verbose_name=_("tài khoản nộp hồ sơ"),
    )
    is_eid_authenticated = models.BooleanField(
        _("tài khoản xác thực bằng định danh điện tử"), default=False
    )
    # The submitter, when someone else submits (authorised person, hired service).
    submitter_kind = models.CharField(
        _("người nộp"), max_length=12, choices=SubmitterKind.choices, default=SubmitterKind.SELF
    )
    submitter_name = models.CharField(_("tên người nộp"), max_length=255, blank=True)
    submitter_id_type = models.CharField(
        _("loại giấy tờ người nộp"), max_length=20, choices=IdType.choices, blank=True
    )
    submitter_id_number = models.CharField(_("số định danh người nộp"), max_length=20, blank=True)
    submitter_phone = models.CharField(_("điện thoại người nộp"), max_length=20, blank=True)
    authorisation_note = models.CharField(_("văn bản ủy quyền"), max_length=500, blank=True)
    # Time.
    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm kết thúc xử lý"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    paused_working_time = models.DurationField(
        _("thời gian tạm dừng (giờ làm việc)"), default=dt.timedelta
    )
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    is_extended = models.BooleanField(_("đã hẹn lại ngày trả"), default=False)
    deadline_warned_at = models.DateTimeField(_("đã cảnh báo sắp đến hạn"), null=True, blank=True)
    # Rules in force at receipt (R1): forms, code pattern.
    rule_set = models.CharField(_("bộ biểu mẫu"), max_length=12, choices=FormRuleSet.choices)
    # Inter-agency route: [{agency_id, agency_name, share_us, steps}], in order.
    is_inter_agency = models.BooleanField(_("hồ sơ liên thông"), default=False)
    route = models.JSONField(_("quy trình liên thông"), default=list)
    route_position = models.PositiveSmallIntegerField(_("bước hiện tại"), default=0)
    # Financial obligation (status 6): the fee lines at receipt, and their payment.
    fees = models.JSONField(_("phí, lệ phí"), default=list)
    fee_total = models.PositiveBigIntegerField(_("tổng phí, lệ phí (đồng)"), default=0)
    is_payment_at_collection = models.BooleanField(_("nộp phí khi nhận kết quả"), default=False)
    paid_at = models.DateTimeField(_("thời điểm nộp phí"), null=True, blank=True)
    payment_reference = models.CharField(_("số biên lai"), max_length=80, blank=True)
    # Results and return.
    results_issued = models.PositiveSmallIntegerField(_("số kết quả đã ban hành"), default=0)
    result = models.ForeignKey(
        "documents.Result",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kết quả"),
    )
    delivery_note = models.CharField(_("ghi chú trả kết quả"), max_length=500, blank=True)
    # The e-form filled online (request details, contact), as the applicant confirmed it.
    application_form = models.JSONField(_("tờ khai điện tử"), default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            # Worklists: one agency (or desk), a few states, by due date then id (keyset).
            models.Index(
                fields=["current_agency", "state", "due_at", "id"], name="dossier_agency_work_idx"
            ),
            models.Index(
                fields=["receiving_desk", "state", "due_at", "id"], name="dossier_desk_work_idx"
            ),
            models.Index(fields=["current_agency", "due_at", "id"], name="dossier_agency_list_idx"),
            models.Index(fields=["receiving_desk", "due_at", "id"], name="dossier_desk_list_idx"),
            # A handler's own worklist: every equality column leads, so the seek is ordered.
            models.Index(
                fields=["assignee", "current_agency", "state", "due_at", "id"],
                name="dossier_assignee_work_idx",
            ),
            models.Index(fields=["state", "due_at"], name="dossier_state_due_idx"),
            # "My dossiers" of a citizen account, newest first.
            models.Index(
                fields=["applicant_user", "-submitted_at", "-id"],
                name="dossier_applicant_idx",
                condition=models.Q(applicant_user__isnull=False),
            ),
            # "Due soon" and "overdue" read only the dossiers still being handled.
            models.Index(
                fields=["current_agency", "due_at", "id"],
                name="dossier_agency_open_idx",
                condition=models.Q(finished_at__isnull=True),
            ),
            models.Index(
                fields=["receiving_desk", "due_at", "id"],
                name="dossier_desk_open_idx",
                condition=models.Q(finished_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__isnull=True) | models.Q(due_at__isnull=False),
                name="dossier_code_has_due_date",
            ),
            models.CheckConstraint(
                condition=models.Q(national_status__gte=1, national_status__lte=10),
                name="dossier_national_status_range",
            ),
        ]

    def __str__(self) -> str:
        return self.code or self.reference

    @property
    def route_legs(self) -> list[RouteLeg]:
        return [RouteLeg(leg) for leg in self.route]

    @property
    def is_last_agency(self) -> bool:
        return self.route_position >= len(self.route) - 1

    @property
    def next_leg(self) -> RouteLeg | None:
        if self.is_last_agency:
            return None
        return RouteLeg(self.route[self.route_position + 1])

    @property
    def has_outstanding_fees(self) -> bool:
        return self.fee_total > 0 and self.paid_at is None
