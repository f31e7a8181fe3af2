"""The scoreboard's own tables: units, per-dossier facts, counters, profiles, the inbox.

* ``ScoreUnit`` — an evaluated subject (province, department, commune, ministry), one per
  agency that is one, with its parent (a department's or commune's province).
* ``DossierFact`` — the projection of one received dossier: everything the indicators
  count, with the moment each thing became true, so that any period can be evaluated
  "as at its end". Written only by the actions, from the system-of-record rows.
* ``ScoreCounter`` — one row per (period, procedure or all, unit) with one column per
  counted quantity, changed only by atomic increments (``col = col + delta``). The pages
  read these rows, never the dossiers.
* ``CatalogFigures`` — per (period, unit) counts taken from the procedure catalogue
  (procedures within competence, online, with fees, announced on time …).
* ``ScoreEvent`` — the inbox of events whose content lives nowhere else in motcua
  (ratings, payment-platform payments, national-portal acknowledgements), unique on the
  outbox message id: this makes their consumers idempotent and lets a recomputation
  replay them.
* ``CounterRevision`` — a counter of a period that had already ended changed (a late
  event): one row per change, shown beside the figures.
* ``IndexProfile`` — a versioned formula profile (thresholds, maxima, groups, bands).
* ``UnitScorecard`` — a unit's scored card for a period (groups, total, band, ranks, the
  previous period's total), stored so that the pages read rows instead of scoring every
  unit at each request; refreshed from the counters after they change (ADR 0020).
* ``ScorecardDirty`` — the (period, unit) pairs whose counters changed since their league
  was last scored: written in the same statement as the counter increments, consumed by
  the refresh.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.kernel import clock
from motcua.scoreboard.enums import Timeliness, UnitKind

__all__ = [
    "CATALOG_FIELDS",
    "COUNTER_FIELDS",
    "DISTINCT_FLAGS",
    "CatalogFigures",
    "CounterRevision",
    "DossierFact",
    "IndexProfile",
    "ScoreCounter",
    "ScoreEvent",
    "ScoreUnit",
    "ScorecardDirty",
    "UnitScorecard",
]


class ScoreUnit(models.Model):
    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    code = models.CharField(_("mã định danh"), max_length=20, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=12, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    is_active = models.BooleanField(_("đang được đánh giá"), default=True)

    class Meta:
        verbose_name = _("đơn vị được đánh giá")
        verbose_name_plural = _("đơn vị được đánh giá")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "name"], name="scoreunit_kind_idx")]

    def __str__(self) -> str:
        return self.name


class DossierFact(models.Model):
    """What the index counts about one received dossier (``facts.FactData`` as a row)."""

    dossier_id = models.BigIntegerField(_("hồ sơ"), primary_key=True)
    unit = models.ForeignKey(ScoreUnit, on_delete=models.PROTECT, related_name="+")
    parent_unit = models.ForeignKey(
        ScoreUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20)
    code = models.CharField(_("mã số hồ sơ"), max_length=60, blank=True)
    month = models.PositiveIntegerField(_("tháng tiếp nhận (yyyymm)"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    end_at = models.DateTimeField(_("thời điểm kết thúc xử lý"), null=True, blank=True)
    result_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    e_result_at = models.DateTimeField(_("thời điểm có kết quả điện tử"), null=True, blank=True)
    extended_at = models.DateTimeField(_("thời điểm xin lỗi, hẹn lại"), null=True, blank=True)
    # Supplement pauses in processing: [[requested, fulfilled or null, due after it or null]].
    pauses = models.JSONField(_("thời gian tạm dừng"), default=list, blank=True)
    channel = models.PositiveSmallIntegerField(_("kênh thực hiện"))
    is_full_online_eligible = models.BooleanField(default=False)
    is_full_online = models.BooleanField(default=False)
    has_fees = models.BooleanField(default=False)
    paid_online_at = models.DateTimeField(null=True, blank=True)
    result_is_document = models.BooleanField(default=True)
    has_component_files = models.BooleanField(default=False)
    is_reused = models.BooleanField(default=False)
    is_from_data_store = models.BooleanField(default=False)
    is_citizen_data = models.BooleanField(default=False)
    first_ack_at = models.DateTimeField(null=True, blank=True)
    first_late_ack_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.CharField(max_length=16, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rating_total = models.PositiveSmallIntegerField(null=True, blank=True)
    # The class at the end of the receipt month, quarter and year, as last evaluated.
    class_month = models.CharField(max_length=8, choices=Timeliness.choices)
    class_quarter = models.CharField(max_length=8, choices=Timeliness.choices)
    class_year = models.CharField(max_length=8, choices=Timeliness.choices)
    evaluated_at = models.DateTimeField(_("đánh giá lúc"))
    # The next moment at which time alone changes what the fact counts (a due date passing).
    sweep_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dữ kiện hồ sơ")
        verbose_name_plural = _("dữ kiện hồ sơ")
        indexes = [
            models.Index(fields=["unit", "month", "procedure_code"], name="fact_unit_month_idx"),
            models.Index(
                fields=["parent_unit", "month", "procedure_code"], name="fact_parent_month_idx"
            ),
            models.Index(
                fields=["sweep_at"],
                name="fact_sweep_idx",
                condition=models.Q(sweep_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.code or str(self.dossier_id)


def _count(label: Any) -> models.BigIntegerField:
    return models.BigIntegerField(label, default=0)


class ScoreCounter(models.Model):
    """Counted quantities of one unit in one period, for all procedures (``""``) or one."""

    period = models.CharField(_("kỳ"), max_length=8)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20, blank=True, default="")
    unit = models.ForeignKey(ScoreUnit, on_delete=models.PROTECT, related_name="+")
    received = _count(_("hồ sơ tiếp nhận"))
    finished = _count(_("đã xử lý"))
    finished_on_time = _count(_("đã xử lý đúng hạn"))
    open = _count(_("đang xử lý"))
    open_in_time = _count(_("đang xử lý trong hạn"))
    channel_direct = _count(_("nộp trực tiếp"))
    channel_online = _count(_("nộp trực tuyến"))
    channel_postal = _count(_("nộp qua bưu chính"))
    full_online_eligible = _count(_("hồ sơ thủ tục đủ điều kiện toàn trình"))
    full_online = _count(_("hồ sơ trực tuyến toàn trình"))
    fee_dossiers = _count(_("hồ sơ có nghĩa vụ tài chính"))
    paid_online = _count(_("hồ sơ thanh toán trực tuyến"))
    result_documents = _count(_("hồ sơ có kết quả là giấy tờ"))
    e_results = _count(_("hồ sơ có kết quả điện tử"))
    digitised = _count(_("hồ sơ số hóa"))
    reused = _count(_("hồ sơ tái sử dụng dữ liệu"))
    from_data_store = _count(_("hồ sơ dùng kho dữ liệu"))
    citizen_data = _count(_("hồ sơ dùng dữ liệu dân cư"))
    synced = _count(_("hồ sơ đồng bộ đúng thời gian"))
    rated = _count(_("hồ sơ được đánh giá"))
    rated_very_satisfied = _count(_("rất hài lòng"))
    rated_satisfied = _count(_("hài lòng"))
    rated_dissatisfied = _count(_("không hài lòng"))
    rating_points = _count(_("tổng điểm đánh giá"))
    unsatisfactory = _count(_("hồ sơ không hài lòng hoặc trễ hạn"))
    # Distinct procedures: on a procedure row 0/1, on the all-procedures row their sum.
    online_services_used = _count(_("thủ tục có hồ sơ trực tuyến"))
    fee_procedures_used = _count(_("thủ tục có hồ sơ thu phí"))
    fee_procedures_paid_online = _count(_("thủ tục có hồ sơ thanh toán trực tuyến"))
    citizen_data_procedures = _count(_("thủ tục có hồ sơ dùng dữ liệu dân cư"))
    revision_count = models.PositiveIntegerField(_("số lần điều chỉnh sau kỳ"), default=0)
    revised_at = models.DateTimeField(_("điều chỉnh gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("bộ đếm chỉ số")
        verbose_name_plural = _("bộ đếm chỉ số")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "procedure_code", "unit"], name="scorecounter_key"
            )
        ]
        indexes = [models.Index(fields=["unit", "period"], name="scorecounter_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.procedure_code or '*'}"


# The counted columns, in declaration order.
COUNTER_FIELDS: tuple[str, ...] = (
    "received",
    "finished",
    "finished_on_time",
    "open",
    "open_in_time",
    "channel_direct",
    "channel_online",
    "channel_postal",
    "full_online_eligible",
    "full_online",
    "fee_dossiers",
    "paid_online",
    "result_documents",
    "e_results",
    "digitised",
    "reused",
    "from_data_store",
    "citizen_data",
    "synced",
    "rated",
    "rated_very_satisfied",
    "rated_satisfied",
    "rated_dissatisfied",
    "rating_points",
    "unsatisfactory",
    "online_services_used",
    "fee_procedures_used",
    "fee_procedures_paid_online",
    "citizen_data_procedures",
)
# distinct column -> the per-dossier column whose being non-zero on a procedure row sets it.
DISTINCT_FLAGS: dict[str, str] = {
    "online_services_used": "channel_online",
    "fee_procedures_used": "fee_dossiers",
    "fee_procedures_paid_online": "paid_online",
    "citizen_data_procedures": "citizen_data",
}


class CatalogFigures(models.Model):
    """What the procedure catalogue says about a unit, evaluated at the period's end."""

    period = models.CharField(_("kỳ"), max_length=8)
    unit = models.ForeignKey(ScoreUnit, on_delete=models.PROTECT, related_name="+")
    procedures = _count(_("thủ tục thuộc thẩm quyền"))
    online_procedures = _count(_("thủ tục có dịch vụ công trực tuyến"))
    full_online_eligible_procedures = _count(_("thủ tục đủ điều kiện toàn trình"))
    full_online_procedures = _count(_("thủ tục trực tuyến toàn trình"))
    fee_procedures = _count(_("thủ tục có thu phí, lệ phí"))
    person_procedures = _count(_("thủ tục có đối tượng là cá nhân"))
    content_checked = _count(_("thủ tục đang công khai"))
    content_full = _count(_("thủ tục công khai đủ bộ phận"))
    announced = _count(_("thủ tục được công bố trong kỳ"))
    announced_on_time = _count(_("thủ tục công bố đúng hạn"))
    publication_due = _count(_("thủ tục phải công khai trong kỳ"))
    published_on_time = _count(_("thủ tục công khai đúng hạn"))
    refreshed_at = models.DateTimeField(_("cập nhật lúc"), default=clock.now)

    class Meta:
        verbose_name = _("số liệu danh mục thủ tục")
        verbose_name_plural = _("số liệu danh mục thủ tục")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="catalogfigures_key")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period}"


CATALOG_FIELDS: tuple[str, ...] = (
    "procedures",
    "online_procedures",
    "full_online_eligible_procedures",
    "full_online_procedures",
    "fee_procedures",
    "person_procedures",
    "content_checked",
    "content_full",
    "announced",
    "announced_on_time",
    "publication_due",
    "published_on_time",
)


class ScoreEvent(models.Model):
    """An event whose content the scoreboard keeps because no other table of motcua does."""

    message_id = models.UUIDField(unique=True)
    topic = models.CharField(max_length=120)
    dossier_id = models.BigIntegerField(db_index=True)
    occurred_at = models.DateTimeField()
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("sự kiện chỉ số")
        verbose_name_plural = _("sự kiện chỉ số")

    def __str__(self) -> str:
        return f"{self.topic} {self.message_id}"


class CounterRevision(models.Model):
    """A change to the counters of a period that had already ended (late event)."""

    unit = models.ForeignKey(ScoreUnit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("kỳ"), max_length=8)
    dossier_id = models.BigIntegerField(_("hồ sơ"))
    topic = models.CharField(_("sự kiện"), max_length=120)
    revised_at = models.DateTimeField(_("điều chỉnh lúc"))

    class Meta:
        verbose_name = _("điều chỉnh số liệu kỳ đã kết thúc")
        verbose_name_plural = _("điều chỉnh số liệu kỳ đã kết thúc")
        indexes = [models.Index(fields=["unit", "period"], name="revision_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.topic}"


class IndexProfile(models.Model):
    """A formula profile: what each indicator weighs and how it is scored (versioned data).

    Never edited: a change of methodology is a new profile (``do_create_profile``), in
    force from a day that has not passed, so periods already computed keep theirs.
    """

    code = models.SlugField(_("mã bộ công thức"), max_length=60)
    version = models.PositiveIntegerField(_("phiên bản"))
    name = models.CharField(_("tên"), max_length=255)
    effective_from = models.DateField(_("áp dụng từ ngày"))
    definition = models.JSONField(_("định nghĩa"))
    created_at = models.DateTimeField(_("tạo lúc"), default=clock.now)
    created_by = models.CharField(_("người tạo"), max_length=120)

    class Meta:
        verbose_name = _("bộ công thức chỉ số")
        verbose_name_plural = _("bộ công thức chỉ số")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indexprofile_version"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"


class UnitScorecard(models.Model):
    """A unit's scored card for one period, as the league table and the pages show it.

    Derived data: rebuilt per league (kind and period) by ``actions.do_refresh_scorecards``
    from the counter rows and catalogue figures, never edited otherwise.
    """

    period = models.CharField(_("kỳ"), max_length=8)
    unit = models.ForeignKey(ScoreUnit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("loại đơn vị"), max_length=12, choices=UnitKind.choices)
    total = models.FloatField(_("tổng điểm"), null=True, blank=True)
    band = models.CharField(_("xếp loại"), max_length=12, blank=True)
    has_data = models.BooleanField(default=False)
    groups = models.JSONField(_("điểm nhóm"), default=dict)
    rank = models.PositiveIntegerField(_("thứ hạng"), null=True, blank=True)
    group_ranks = models.JSONField(_("thứ hạng nhóm"), default=dict)
    previous_total = models.FloatField(_("tổng điểm kỳ trước"), null=True, blank=True)
    revision_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("phiếu điểm đơn vị")
        verbose_name_plural = _("phiếu điểm đơn vị")
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="unitscorecard_key")]
        indexes = [models.Index(fields=["kind", "period"], name="unitscorecard_league_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period}"


class ScorecardDirty(models.Model):
    """A (period, unit) whose counters changed after its league was last scored.

    Appended (never updated: no row lock shared by concurrent events) in the statement
    that increments the counters; the refresh deletes the rows of a league before scoring
    it, so a change committed later leaves its row for the next refresh.
    """

    period = models.CharField(max_length=8)
    unit_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("phiếu điểm cần tính lại")
        verbose_name_plural = _("phiếu điểm cần tính lại")
        indexes = [models.Index(fields=["period", "unit_id"], name="scorecarddirty_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period}"
