"""The roles an official can hold in an agency (glossary: HANDLER, REVIEWER, SIGNER, …)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DESK_ROLES", "Role"]


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Cán bộ tiếp nhận (một cửa)")
    POSTAL_AGENT = "postal_agent", _("Nhân viên bưu chính công ích")
    CONTRACT_STAFF = "contract_staff", _("Nhân viên hợp đồng tại bộ phận một cửa")
    HANDLER = "handler", _("Chuyên viên thụ lý")
    REVIEWER = "reviewer", _("Lãnh đạo phòng (xem xét)")
    SIGNER = "signer", _("Lãnh đạo cơ quan (ký duyệt)")
    REGISTRY = "registry", _("Văn thư")
    CATALOG_ADMIN = "catalog_admin", _("Quản trị danh mục thủ tục")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


# Desk staff who guide, receive, digitise and return but never decide (Decree 118 Art 2.3).
DESK_ROLES = frozenset({Role.DESK_OFFICER, Role.POSTAL_AGENT, Role.CONTRACT_STAFF})
