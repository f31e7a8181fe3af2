"""The closed vocabularies of the dossier lifecycle (glossary: "Dossier lifecycle").

Values are stable identifiers stored in the database and sent over the API; labels are
the Vietnamese terms used on screen and on the one-stop forms.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ApplicantKind",
    "DeliveryChannel",
    "DigitisationExemption",
    "DocumentSource",
    "HandoverKind",
    "IdType",
    "NationalStatus",
    "ReuseKind",
    "Satisfaction",
    "SubmissionChannel",
    "SubmitterKind",
    "Timeliness",
]


class NationalStatus(models.IntegerChoices):
    """The national portal's dossier status codes (one-stop rules §4.2)."""

    SUBMITTED = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    NOT_RECEIVED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung giấy tờ")
    FINANCIAL_OBLIGATION = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    FINISHED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


class SubmissionChannel(models.TextChoices):
    """How the dossier arrived (R8); national ``KenhThucHien`` 1 / 2 / 3 (R9)."""

    DIRECT = "direct", _("Trực tiếp")
    POSTAL_PUBLIC = "postal_public", _("Qua dịch vụ bưu chính công ích")
    ONLINE_DVCQG = "online_dvcqg", _("Trực tuyến (Cổng Dịch vụ công quốc gia)")
    ONLINE_VNEID = "online_vneid", _("Trực tuyến (ứng dụng VNeID)")

    @property
    def is_online(self) -> bool:
        return self in (SubmissionChannel.ONLINE_DVCQG, SubmissionChannel.ONLINE_VNEID)


class DeliveryChannel(models.TextChoices):
    """How the result reaches the applicant (glossary ``DeliveryChannel``)."""

    DESK = "desk", _("Trực tiếp tại bộ phận một cửa")
    POST = "post", _("Qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")
    VNEID = "vneid", _("Qua ứng dụng VNeID")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class IdType(models.TextChoices):
    """Kind of identification number; national ``LoaiDinhDanh`` 1 / 2 (§13)."""

    PERSONAL_ID12 = "personal_id12", _("Số định danh cá nhân (12 số)")
    LEGACY_ID9 = "legacy_id9", _("Chứng minh nhân dân (9 số)")
    ORGANISATION_CODE = "organisation_code", _("Mã số doanh nghiệp, tổ chức")


class SubmitterKind(models.TextChoices):
    """Who physically or electronically submitted the dossier (§2.6)."""

    SELF = "self", _("Người yêu cầu tự nộp")
    AUTHORISED = "authorised", _("Người được ủy quyền")
    HIRED = "hired", _("Tổ chức, cá nhân cung cấp dịch vụ")


class DigitisationExemption(models.TextChoices):
    """The four exemptions from digitisation at reception (Circular 03/2025 Art 5, §8.1)."""

    SUBMITTED_ONLINE = "submitted_online", _("Hồ sơ nộp trực tuyến dưới dạng điện tử")
    PRESENT_ONLY = "present_only", _("Giấy tờ chỉ xuất trình để đối chiếu")
    AGENCY_OUTPUT = "agency_output", _("Kết quả của cơ quan tham gia giải quyết")
    CONFIDENTIAL = "confidential", _("Tài liệu mật")


class HandoverKind(models.TextChoices):
    """What a row of the process control slip records."""

    RECEPTION = "reception", _("Tiếp nhận hồ sơ")
    TRANSFER = "transfer", _("Chuyển hồ sơ đến cơ quan giải quyết")
    FORWARD = "forward", _("Chuyển cơ quan giải quyết tiếp theo (liên thông)")
    RESULT = "result", _("Chuyển kết quả về bộ phận một cửa")


class Timeliness(models.TextChoices):
    """Per-step classification (§5.4 "per step"): allotted minutes against used minutes."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")
    IN_PROGRESS = "in_progress", _("Đang xử lý")


class DocumentSource(models.TextChoices):
    """Where an online dossier's document came from (the citizen portal)."""

    PAPER = "", _("Giấy tờ nộp tại bộ phận một cửa")
    UPLOAD = "upload", _("Tệp tải lên")
    DATA_STORE = "data_store", _("Lấy từ kho dữ liệu cá nhân")
    DATABASE = "database", _("Khai thác từ cơ sở dữ liệu")
    E_FORM = "e_form", _("Tờ khai điện tử")


class ReuseKind(models.IntegerChoices):
    """National ``DuocTaiSuDung`` of a dossier file (§8.1, R44)."""

    NONE = 0, _("Không tái sử dụng")
    REUSED = 1, _("Tái sử dụng")
    REUSED_WITH_RESULT_CODE = 2, _("Tái sử dụng, thay thế bằng mã kết quả")


class Satisfaction(models.TextChoices):
    """Overall satisfaction of the applicant's rating (§11.1, survey shares)."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")
