"""``AuditEvent``: one row per thing that happened, chained per aggregate.

Each row carries the hash of the previous row of the same aggregate
(``aggregate_type``, ``aggregate_id``) and its own hash over its content, so that
altering or deleting a row breaks the chain (``motcua audit verify``). Chaining per
aggregate, not globally, lets writers on different dossiers proceed in parallel; the
writers on one aggregate are already serialised by its state compare-and-set.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AuditEvent"]


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor_ref = models.CharField(_("người thực hiện"), max_length=80)
    actor_name = models.CharField(_("tên người thực hiện"), max_length=200, blank=True)
    action = models.CharField(_("hành động"), max_length=80)
    aggregate_type = models.CharField(_("loại đối tượng"), max_length=60)
    aggregate_id = models.CharField(_("mã đối tượng"), max_length=64)
    seq = models.PositiveIntegerField(_("số thứ tự trong chuỗi"))
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("sự kiện kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        constraints = [
            models.UniqueConstraint(
                fields=["aggregate_type", "aggregate_id", "seq"], name="audit_chain_position"
            )
        ]
        indexes = [models.Index(fields=["actor_ref", "occurred_at"], name="audit_actor_idx")]

    def __str__(self) -> str:
        return f"{self.aggregate_type}:{self.aggregate_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("AuditEvent rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("AuditEvent rows are append-only")
