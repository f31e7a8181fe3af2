"""The closed vocabularies and code formats of the procedure catalogue.

Values are stable identifiers written to the database, the import/export format and
the API (glossary: "Procedure catalogue"); labels are the Vietnamese terms of the
national procedure database.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "PROCEDURE_CODE_PATTERN",
    "DocumentRequirement",
    "FeeKind",
    "ImplementationLevel",
    "OnlineLevel",
    "PublicationState",
    "SubjectType",
    "SubmissionMethod",
    "TimeUnit",
]

# National procedure code: 1 or 2, a dot, six digits (``1.005129``, ``2.000635``).
PROCEDURE_CODE_PATTERN = r"^[12]\.\d{6}$"


class PublicationState(models.TextChoices):
    """Where a procedure version stands in its publication lifecycle (``catalog/states.py``)."""

    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đang công khai")
    AMENDED = "amended", _("Đã được sửa đổi, bổ sung")
    ABOLISHED = "abolished", _("Bãi bỏ")


class ImplementationLevel(models.TextChoices):
    MINISTRY = "ministry", _("Cấp Bộ, ngành")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class SubjectType(models.TextChoices):
    """Who may use a procedure (đối tượng thực hiện)."""

    CITIZEN = "citizen", _("Công dân Việt Nam")
    OVERSEAS_VIETNAMESE = "overseas_vietnamese", _("Người Việt Nam định cư ở nước ngoài")
    FOREIGNER = "foreigner", _("Người nước ngoài")
    ORGANISATION = "organisation", _("Tổ chức")
    BUSINESS = "business", _("Doanh nghiệp")
    HOUSEHOLD_BUSINESS = "household_business", _("Hộ kinh doanh")


class SubmissionMethod(models.TextChoices):
    """How a dossier may be submitted (cách thức thực hiện)."""

    COUNTER = "counter", _("Trực tiếp")
    POST = "post", _("Qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class OnlineLevel(models.TextChoices):
    """Online public-service level of Decree 42/2022."""

    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    NONE = "none", _("Không cung cấp dịch vụ công trực tuyến")


class TimeUnit(models.TextChoices):
    """Unit of a time limit (đơn vị tính); working days are the usual one."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    HOURS = "hours", _("giờ làm việc")
    DAYS = "days", _("ngày")
    MONTHS = "months", _("tháng")


class DocumentRequirement(models.TextChoices):
    REQUIRED = "required", _("Bắt buộc")
    OPTIONAL = "optional", _("Không bắt buộc")
    CONDITIONAL = "conditional", _("Bắt buộc trong trường hợp cụ thể")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Lệ phí")
    CHARGE = "charge", _("Phí")
