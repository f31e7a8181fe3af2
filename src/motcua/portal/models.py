"""``Draft``: an online application being prepared by a citizen, before it is a dossier.

A draft is not a dossier (no status, nothing synchronised, §4.3 ``DRAFT``): it holds the
procedure version, the case and the competent agency chosen, the e-form values and, per
required document, the file uploaded for it or the data-store item picked. Submitting it
creates the dossier (status 1) once: ``dossier`` is set in the same transaction and a
second submission is refused. Files uploaded for a draft are ``documents.StoredFile``
rows with subject ``portal.draft:<id>``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.kernel import clock

__all__ = ["SUBJECT_TYPE", "Draft"]

SUBJECT_TYPE = "portal.draft"


class Draft(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="application_drafts",
        verbose_name=_("tài khoản"),
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phiên bản thủ tục"),
    )
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20)
    case = models.ForeignKey(
        ProcedureCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trường hợp"),
    )
    competent_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan giải quyết"),
    )
    # The e-form values (request details, contact, return channel).
    form = models.JSONField(_("tờ khai"), default=dict, blank=True)
    # {"<procedure document id>": {"file": <stored file id>} | {"item": <data-store item id>}}
    documents = models.JSONField(_("giấy tờ"), default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=clock.now)
    updated_at = models.DateTimeField(_("lần lưu gần nhất"), default=clock.now)
    dossier = models.OneToOneField(
        Dossier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name=_("hồ sơ đã nộp"),
    )
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(
                fields=["owner", "-updated_at"],
                name="draft_owner_open_idx",
                condition=models.Q(dossier__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure_code} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.dossier_id is not None
