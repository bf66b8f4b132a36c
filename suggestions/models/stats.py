"""Statistics (统计): nightly snapshots, and the working tables of one statistics run.

suggestions/stats/ computes these by database aggregation; the dashboard, the API and the
workbooks read them. The figures and what each one means are listed in suggestions/stats/figures.py (FIGURES).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import OPEN_ASSIGNMENT_STATUSES, OPEN_SUGGESTION_STATUSES, StatDimension, StatPeriod
from .suggestions import Suggestion


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _average(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None


class StatFiguresMixin:
    """Rates and averages derived from the counted figures (the same for a snapshot row and a
    live result): a rate is 0–1 and None when nothing was there to count."""

    @property
    def due(self) -> int:
        """Lead replies that were due: answered (on time or late), or still open past the deadline."""
        return self.replied_on_time + self.replied_late + self.overdue

    @property
    def on_time_rate(self):
        return _rate(self.replied_on_time, self.due)

    @property
    def feedback_rate(self):
        return _rate(self.fed_back, self.collected)

    @property
    def satisfaction_rate(self):
        return _rate(self.satisfied + self.basically_satisfied, self.evaluated)

    @property
    def voter_satisfaction_rate(self):
        """选民满意率: the voters' own ratings, apart from the deputies' (`satisfaction_rate`)."""
        return _rate(self.voter_satisfied, self.voter_evaluated)

    @property
    def reply_rate(self):
        return _rate(self.replied, self.accepted)

    @property
    def avg_assign_days(self):
        return _average(self.assign_days_sum, self.assign_days_n)

    @property
    def avg_handle_days(self):
        return _average(self.handle_days_sum, self.handle_days_n)

    @property
    def avg_close_days(self):
        return _average(self.close_days_sum, self.close_days_n)

    @property
    def avg_total_days(self):
        return _average(self.total_days_sum, self.total_days_n)


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class StatSnapshot(StatFiguresMixin, models.Model):
    """One group's figures for one period, as built on the night after `date` (统计快照).

    A group is a region (any level), a station, a handling unit (as lead unit 主办), a category
    within a region, or a deputy (as lead deputy 领衔). `region_code` is the region the row
    belongs to, for scoping: the region itself, the station's, unit's or deputy's region, or
    the region a category row is counted within. Rebuilding a date replaces its rows.
    """

    date = models.DateField(_("统计日期"))
    period = models.CharField(_("统计期"), max_length=10, choices=StatPeriod.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    dimension = models.CharField(_("维度"), max_length=10, choices=StatDimension.choices)
    key = models.CharField(_("对象"), max_length=20, help_text=_("区划代码，或站点、单位、类别、代表的 ID。"))
    region_code = models.CharField(_("所属区划"), max_length=12)
    built_at = models.DateTimeField(_("生成时间"))

    collected = _count(_("收集"))
    deputy_suggestions = _count(_("代表建议"))
    in_session = models.PositiveIntegerField(_("大会期间建议"), default=0, db_default=0)
    interim = models.PositiveIntegerField(_("闭会期间建议"), default=0, db_default=0)
    declined = _count(_("不予受理"))
    merged = _count(_("并案"))
    accepted = _count(_("受理"))
    on_spot = _count(_("代表即办"))
    assigned = _count(_("交办"))
    replied = _count(_("答复"))
    replied_on_time = _count(_("按期答复"))
    replied_late = _count(_("逾期答复"))
    overdue = _count(_("超期未答复"))
    closed = _count(_("办结"))
    fed_back = _count(_("已反馈"))
    result_a = _count(_("A类"))
    result_b = _count(_("B类"))
    result_c = _count(_("C类"))
    result_d = _count(_("D类"))
    evaluated = _count(_("已评价"))
    satisfied = _count(_("满意"))
    basically_satisfied = _count(_("基本满意"))
    unsatisfied = _count(_("不满意"))
    voter_evaluated = models.PositiveIntegerField(_("群众已评价"), default=0, db_default=0)
    voter_satisfied = models.PositiveIntegerField(_("群众满意"), default=0, db_default=0)
    supervised = _count(_("督办"))
    key_supervised = _count(_("重点督办"))
    rehandled = _count(_("重新办理"))
    assign_days_sum = models.BigIntegerField(_("交办用时合计（工作日）"), default=0)
    assign_days_n = _count(_("交办用时件数"))
    handle_days_sum = models.BigIntegerField(_("办理用时合计（工作日）"), default=0)
    handle_days_n = _count(_("办理用时件数"))
    close_days_sum = models.BigIntegerField(_("评价办结用时合计（工作日）"), default=0)
    close_days_n = _count(_("评价办结用时件数"))
    total_days_sum = models.BigIntegerField(_("全程用时合计（工作日）"), default=0)
    total_days_n = _count(_("全程用时件数"))
    receptions = _count(_("接待次数"))
    visitors = _count(_("接待群众人次"))
    deputies = _count(_("代表人数"))
    deputies_in_stations = _count(_("已进站代表"))

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        ordering = ["-date", "period", "dimension", "region_code", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "period", "dimension", "region_code", "key"], name="statsnapshot_unique_row"
            ),
        ]
        indexes = [
            models.Index(
                fields=["dimension", "period", "date", "region_code"], name="statsnapshot_lookup",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_period_display()} {self.get_dimension_display()} {self.key}"


# Working tables of one statistics run (stats.py): TEMPORARY tables that live for one database
# session, so two runs never see each other's rows. Unmanaged: no migration creates them.


class StatWorkday(models.Model):
    """A date and its working-day ordinal: ordinal(b) - ordinal(a) = working days in (a, b]."""

    day = models.DateField(primary_key=True, db_column="f_day")
    ordinal = models.IntegerField(db_column="f_ordinal")

    class Meta:
        managed = False
        db_table = "stats_tmp_workday"

    def __str__(self) -> str:
        return f"{self.day} {self.ordinal}"


class StatEvaluationFact(models.Model):
    """A suggestion's best rating: 3 满意, 2 基本满意, 1 不满意 (only re-handling follows 不满意),
    by its deputies (`best`) and by its voter (`voter_best`); None when that side gave none."""

    suggestion = models.OneToOneField(
        Suggestion, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False,
        db_column="f_suggestion", related_name="stat_evaluation_fact",
    )
    best = models.IntegerField(null=True, db_column="f_best")
    voter_best = models.IntegerField(null=True, db_column="f_voter_best")

    class Meta:
        managed = False
        db_table = "stats_tmp_evaluation"

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.best}"


def _stat_day(column):
    return models.ForeignKey(
        StatWorkday, to_field="day", db_column=column, db_constraint=False, on_delete=models.DO_NOTHING,
        null=True, related_name="+",
    )


class StatStage(models.Model):
    """A suggestion of the cohort as the workflow rows hold it, dates in Asia/Shanghai."""

    id = models.BigIntegerField(primary_key=True, db_column="f_id")
    region = models.CharField(max_length=12, db_column="f_region")
    station = models.BigIntegerField(null=True, db_column="f_station")
    station_region = models.CharField(max_length=12, null=True, db_column="f_station_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    category = models.BigIntegerField(null=True, db_column="f_category")
    unit = models.BigIntegerField(null=True, db_column="f_unit")
    unit_region = models.CharField(max_length=12, null=True, db_column="f_unit_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    deputy = models.BigIntegerField(null=True, db_column="f_deputy")
    deputy_region = models.CharField(max_length=12, null=True, db_column="f_deputy_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    kind = models.CharField(max_length=20, db_column="f_kind")
    session = models.CharField(max_length=12, db_column="f_session")
    converted = models.IntegerField(db_column="f_converted")
    status = models.CharField(max_length=10, db_column="f_status")
    route = models.CharField(max_length=12, db_column="f_route")
    supervision = models.CharField(max_length=10, db_column="f_supervision")
    result = models.CharField(max_length=1, db_column="f_result")
    rehandled = models.IntegerField(db_column="f_rehandled")
    fed_back = models.IntegerField(db_column="f_fed_back")
    best_rating = models.IntegerField(null=True, db_column="f_best_rating")
    voter_rating = models.IntegerField(null=True, db_column="f_voter_rating")
    lead_status = models.CharField(max_length=10, null=True, db_column="f_lead_status")  # noqa: DJ001 (no lead: NULL)
    lead_deadline = models.DateField(null=True, db_column="f_lead_deadline")
    created = _stat_day("f_created")
    replied = _stat_day("f_replied")
    closed = _stat_day("f_closed")
    lead_assigned = _stat_day("f_lead_assigned")
    lead_replied = _stat_day("f_lead_replied")

    class Meta:
        managed = False
        db_table = "stats_tmp_stage"

    def __str__(self) -> str:
        return str(self.id)


class StatFact(models.Model):
    """One suggestion's 0/1 flags and working-day spans: what every grouping sums."""

    id = models.BigIntegerField(primary_key=True, db_column="f_id")
    region = models.CharField(max_length=12, db_column="f_region")
    station = models.BigIntegerField(null=True, db_column="f_station")
    station_region = models.CharField(max_length=12, null=True, db_column="f_station_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    category = models.BigIntegerField(null=True, db_column="f_category")
    unit = models.BigIntegerField(null=True, db_column="f_unit")
    unit_region = models.CharField(max_length=12, null=True, db_column="f_unit_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    deputy = models.BigIntegerField(null=True, db_column="f_deputy")
    deputy_region = models.CharField(max_length=12, null=True, db_column="f_deputy_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    created = models.DateField(db_column="f_created")
    collected = models.IntegerField(db_column="f_collected")
    deputy_suggestion = models.IntegerField(db_column="f_deputy_suggestion")
    in_session = models.IntegerField(db_column="f_in_session")
    interim = models.IntegerField(db_column="f_interim")
    declined = models.IntegerField(db_column="f_declined")
    merged = models.IntegerField(db_column="f_merged")
    accepted = models.IntegerField(db_column="f_accepted")
    on_spot = models.IntegerField(db_column="f_on_spot")
    assigned = models.IntegerField(db_column="f_assigned")
    replied = models.IntegerField(db_column="f_replied")
    replied_on_time = models.IntegerField(db_column="f_replied_on_time")
    replied_late = models.IntegerField(db_column="f_replied_late")
    overdue = models.IntegerField(db_column="f_overdue")
    closed = models.IntegerField(db_column="f_closed")
    fed_back = models.IntegerField(db_column="f_fed_back")
    result_a = models.IntegerField(db_column="f_result_a")
    result_b = models.IntegerField(db_column="f_result_b")
    result_c = models.IntegerField(db_column="f_result_c")
    result_d = models.IntegerField(db_column="f_result_d")
    evaluated = models.IntegerField(db_column="f_evaluated")
    satisfied = models.IntegerField(db_column="f_satisfied")
    basically_satisfied = models.IntegerField(db_column="f_basically_satisfied")
    unsatisfied = models.IntegerField(db_column="f_unsatisfied")
    voter_evaluated = models.IntegerField(db_column="f_voter_evaluated")
    voter_satisfied = models.IntegerField(db_column="f_voter_satisfied")
    supervised = models.IntegerField(db_column="f_supervised")
    key_supervised = models.IntegerField(db_column="f_key_supervised")
    rehandled = models.IntegerField(db_column="f_rehandled")
    assign_days = models.IntegerField(null=True, db_column="f_assign_days")
    handle_days = models.IntegerField(null=True, db_column="f_handle_days")
    close_days = models.IntegerField(null=True, db_column="f_close_days")
    total_days = models.IntegerField(null=True, db_column="f_total_days")

    class Meta:
        managed = False
        db_table = "stats_tmp_fact"

    def __str__(self) -> str:
        return str(self.id)


# The ledger (统计台账): each suggestion's statistics as the nightly run last found them, so the
# live figures (suggestions/stats/summary.py) need recount only what changed since.


def _ledger_day(column=None):
    """A date the working-day spans are counted from: joined to StatWorkday when the live
    figures are counted (the calendar of that moment), stored as the plain date."""
    return models.ForeignKey(
        StatWorkday, to_field="day", db_column=column, db_constraint=False, db_index=False,
        on_delete=models.DO_NOTHING, null=True, related_name="+",
    )


def _ledger_flag():
    return models.SmallIntegerField(default=0)


def ledger_cascade(collector, field, sub_objs, using):
    """Deleting a suggestion deletes its ledger row, and retires the monthly cells, which still
    count it, until the next rebuild (a live count then reads the rows)."""
    models.CASCADE(collector, field, sub_objs, using)
    StatLedgerBuild.objects.using(using).update(calendar="")


class StatLedger(models.Model):
    """One suggestion's figures that depend on its rows alone (0/1 flags), and what the others
    are counted from when read: the dates of its working-day spans (the calendar may change) and
    its lead assignment's state and deadline (overdue depends on the day it is judged on).

    Rebuilt whole by the nightly run (suggestions/stats/ledger.py); the live figures count a
    suggestion from here only when none of its rows changed since `StatLedgerBuild.cutoff`, and
    recount the others from the workflow rows — so a stale row is never read.
    """

    suggestion = models.OneToOneField(
        Suggestion, primary_key=True, on_delete=ledger_cascade, db_constraint=False, related_name="+",
    )
    region = models.CharField(max_length=12)
    category = models.BigIntegerField(null=True)
    unit = models.BigIntegerField(null=True)
    status = models.CharField(max_length=10)
    lead_status = models.CharField(max_length=10, null=True)  # noqa: DJ001 (no lead: NULL)
    lead_deadline = models.DateField(null=True)
    created = _ledger_day()
    replied = _ledger_day()
    closed = _ledger_day()
    lead_assigned = _ledger_day()
    lead_replied = _ledger_day()
    collected = _ledger_flag()
    deputy_suggestion = _ledger_flag()
    in_session = _ledger_flag()
    interim = _ledger_flag()
    declined = _ledger_flag()
    merged = _ledger_flag()
    accepted = _ledger_flag()
    on_spot = _ledger_flag()
    assigned = _ledger_flag()
    replied_flag = _ledger_flag()  # `replied` is the date
    replied_on_time = _ledger_flag()
    replied_late = _ledger_flag()
    closed_flag = _ledger_flag()  # `closed` is the date
    fed_back = _ledger_flag()
    result_a = _ledger_flag()
    result_b = _ledger_flag()
    result_c = _ledger_flag()
    result_d = _ledger_flag()
    evaluated = _ledger_flag()
    satisfied = _ledger_flag()
    basically_satisfied = _ledger_flag()
    unsatisfied = _ledger_flag()
    voter_evaluated = _ledger_flag()
    voter_satisfied = _ledger_flag()
    supervised = _ledger_flag()
    key_supervised = _ledger_flag()
    rehandled = _ledger_flag()
    # The spans in working days as the rebuild counted them (its calendar): what the monthly
    # cells add up; a live count uses them only while the calendar is unchanged.
    assign_days = models.IntegerField(null=True)
    handle_days = models.IntegerField(null=True)
    close_days = models.IntegerField(null=True)
    total_days = models.IntegerField(null=True)
    month = models.DateField()

    class Meta:
        verbose_name = _("统计台账")
        verbose_name_plural = _("统计台账")
        indexes = [
            models.Index(fields=["region", "created"], name="statledger_region_created",
                         opclasses=["varchar_pattern_ops", "date_ops"]),
            # The days of a province's count outside its whole months.
            models.Index(fields=["created"], name="statledger_created"),
            # 超期未答复 is counted when read, over the few rows still with their lead unit.
            models.Index(fields=["lead_deadline"], name="statledger_open_lead",
                         condition=Q(status__in=OPEN_SUGGESTION_STATUSES, lead_status__in=OPEN_ASSIGNMENT_STATUSES)),
        ]

    def __str__(self) -> str:
        return str(self.suggestion_id)


class StatChanged(models.Model):
    """A suggestion whose rows changed since the ledger's cutoff (a TEMPORARY table of one live count)."""

    id = models.BigIntegerField(primary_key=True, db_column="f_id")

    class Meta:
        managed = False
        db_table = "stats_tmp_changed"

    def __str__(self) -> str:
        return str(self.id)


def _cell_count():
    return models.IntegerField(default=0)


class StatLedgerCell(models.Model):
    """The ledger added up per month collected, county (the first six digits of the region) and
    category or lead unit: what a live count of whole months in a county or above reads instead
    of its rows. Figure columns are named as the ledger's; the spans as sums and counts."""

    month = models.DateField()
    region = models.CharField(max_length=6)
    dimension = models.CharField(max_length=10)  # "category" or "unit"
    key = models.BigIntegerField(null=True)
    rows = _cell_count()
    collected = _cell_count()
    deputy_suggestion = _cell_count()
    in_session = _cell_count()
    interim = _cell_count()
    declined = _cell_count()
    merged = _cell_count()
    accepted = _cell_count()
    on_spot = _cell_count()
    assigned = _cell_count()
    replied_flag = _cell_count()
    replied_on_time = _cell_count()
    replied_late = _cell_count()
    closed_flag = _cell_count()
    fed_back = _cell_count()
    result_a = _cell_count()
    result_b = _cell_count()
    result_c = _cell_count()
    result_d = _cell_count()
    evaluated = _cell_count()
    satisfied = _cell_count()
    basically_satisfied = _cell_count()
    unsatisfied = _cell_count()
    voter_evaluated = _cell_count()
    voter_satisfied = _cell_count()
    supervised = _cell_count()
    key_supervised = _cell_count()
    rehandled = _cell_count()
    assign_days_sum = models.BigIntegerField(default=0)
    assign_days_n = _cell_count()
    handle_days_sum = models.BigIntegerField(default=0)
    handle_days_n = _cell_count()
    close_days_sum = models.BigIntegerField(default=0)
    close_days_n = _cell_count()
    total_days_sum = models.BigIntegerField(default=0)
    total_days_n = _cell_count()

    class Meta:
        verbose_name = _("统计台账月汇总")
        verbose_name_plural = _("统计台账月汇总")
        indexes = [
            models.Index(fields=["month", "region"], name="statledgercell_month_region",
                         opclasses=["date_ops", "varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region} {self.dimension} {self.key}"


class StatLedgerBuild(models.Model):
    """When the ledger was last rebuilt. `cutoff` is a margin before the rebuild began: a
    suggestion whose rows changed at or after it is recounted live, so a change committed
    while the rebuild ran is never missed."""

    built_at = models.DateTimeField(_("生成时间"))
    cutoff = models.DateTimeField(_("截止时间"))
    rows = models.PositiveIntegerField(_("件数"), default=0)
    day = models.DateField(_("生成日"), help_text=_("生成当天（本地日期）：月汇总的用时按此日的工作日历计算。"))
    calendar = models.CharField(_("工作日历指纹"), max_length=64)

    class Meta:
        verbose_name = _("统计台账生成记录")
        verbose_name_plural = _("统计台账生成记录")
        ordering = ["-built_at"]

    def __str__(self) -> str:
        return f"{self.built_at:%Y-%m-%d %H:%M}"
