"""Officials (staff of agencies and desks), their roles, and failed-login counters.

``Official`` shares its primary key with its ``auth.User`` (one-to-one, ``primary_key``),
so ``Actor.id`` is the same number for the account and the official. ``Citizen`` is the
same for a person or a business that logs in with the national e-ID (OIDC): its row holds
the identity the provider verified, refreshed at every login, never typed by the user.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.identity.roles import Role

__all__ = [
    "AssuranceLevel",
    "Citizen",
    "CitizenKind",
    "LoginThrottle",
    "Official",
    "RoleAssignment",
]


class Official(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="official",
        verbose_name=_("tài khoản"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="officials", verbose_name=_("cơ quan")
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    is_active = models.BooleanField(_("đang làm việc"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"))

    class Meta:
        verbose_name = _("cán bộ, công chức")
        verbose_name_plural = _("cán bộ, công chức")
        ordering = ["agency_id", "full_name"]
        indexes = [models.Index(fields=["agency", "is_active"], name="official_agency_idx")]

    def __str__(self) -> str:
        return self.full_name


class RoleAssignment(models.Model):
    official = models.ForeignKey(
        Official,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("cán bộ"),
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    granted_at = models.DateTimeField(_("ngày giao"))
    # The actor's audit reference ("official:3", "system:demo"): a grant may come from a job.
    granted_by = models.CharField(_("người giao"), max_length=80)

    class Meta:
        verbose_name = _("vai trò được giao")
        verbose_name_plural = _("vai trò được giao")
        constraints = [
            models.UniqueConstraint(fields=["official", "role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.official_id}:{self.role}"


class LoginThrottle(models.Model):
    """Failed logins for one (folded) username, shared by every web process.

    ``key`` is a keyed hash of the folded username, so the table holds no username.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đếm đăng nhập sai")
        verbose_name_plural = _("đếm đăng nhập sai")

    def __str__(self) -> str:
        return self.key[:12]


class CitizenKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")


class AssuranceLevel(models.IntegerChoices):
    # Project 06 / VNeID: level 1 registered online, level 2 enrolled in person (§13).
    LEVEL_1 = 1, _("Mức 1")
    LEVEL_2 = 2, _("Mức 2")


class Citizen(models.Model):
    """A person or business with an account verified by the national e-ID (OIDC)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="citizen",
        verbose_name=_("tài khoản"),
    )
    kind = models.CharField(_("loại tài khoản"), max_length=10, choices=CitizenKind.choices)
    # The provider's issuer URL and subject ("sub"): the stable key of the e-ID account.
    issuer = models.CharField(_("nhà cung cấp định danh"), max_length=255)
    subject = models.CharField(_("mã định danh tài khoản"), max_length=255)
    full_name = models.CharField(_("họ và tên / tên tổ chức"), max_length=255)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    # 12-digit personal identification number (persons); the representative's for a business.
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    # Enterprise / tax code of a business account.
    organisation_code = models.CharField(_("mã số doanh nghiệp"), max_length=20, blank=True)
    # The legal representative of a business account (whose ID is ``personal_id``).
    representative_name = models.CharField(_("người đại diện"), max_length=255, blank=True)
    assurance_level = models.PositiveSmallIntegerField(
        _("mức độ định danh"), choices=AssuranceLevel.choices
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"))
    verified_at = models.DateTimeField(_("lần xác thực gần nhất"))

    class Meta:
        verbose_name = _("công dân, doanh nghiệp")
        verbose_name_plural = _("công dân, doanh nghiệp")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="citizen_eid_account"),
        ]
        indexes = [models.Index(fields=["personal_id"], name="citizen_personal_id_idx")]

    def __str__(self) -> str:
        return self.full_name
