"""履职档案 and 履职考评计分: each deputy's duty record and yearly score, and the leading officials'
quarterly station visits.

Everything is counted from rows, a handful of grouped queries whatever the number of deputies:

- receptions attended: recorded receptions (`Reception.deputies`) dated in the year;
- suggestions raised as lead (领衔, or the deputy who received a voter's opinion) and co-signed
  (附议): `SuggestionDeputy`, by the suggestion's submission date (Asia/Shanghai);
- evaluations given: `Evaluation.deputy`, by the evaluation's date;
- activities (视察、调研、执法检查、列席会议…): `DutyActivity`, by its date.

The score is Σ min(count × points, cap) over the items, with the points staff set for their
region (`DutyScoreWeight`, the nearest region at or above the deputy's) or the defaults below.
Imported suggestions and evaluations count like any other: only their rows are read.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import (
    ActivityKind,
    Deputy,
    DutyActivity,
    DutyItem,
    DutyScoreWeight,
    Reception,
    ReceptionStatus,
)
from liaison.models import Role
from liaison.regions import lineage, within
from liaison.scoping import in_scope, region_scope
from liaison.text import clean_text
from stations.models import Region, Station

from .conf import setting
from .models import DeputyRole, Evaluation, SuggestionDeputy
from .stats.periods import start_of

# Points per occurrence and the most an item may give in a year (None: no cap).
DEFAULT_WEIGHTS: dict[str, tuple[Decimal, Decimal | None]] = {
    DutyItem.RECEPTION: (Decimal("2"), None),
    DutyItem.SUGGESTION_LEAD: (Decimal("3"), None),
    DutyItem.SUGGESTION_COSIGN: (Decimal("1"), Decimal("10")),
    DutyItem.EVALUATION: (Decimal("1"), None),
    DutyItem.INSPECTION: (Decimal("2"), None),
    DutyItem.RESEARCH: (Decimal("2"), None),
    DutyItem.LAW_ENFORCEMENT: (Decimal("2"), None),
    DutyItem.ATTEND_MEETING: (Decimal("1"), None),
    DutyItem.TRAINING: (Decimal("1"), Decimal("5")),
    DutyItem.OTHER: (Decimal("1"), Decimal("5")),
}
ITEMS = list(DutyItem)


def weights_for_regions(codes: Iterable[str]) -> dict[str, dict[str, tuple[Decimal, Decimal | None]]]:
    """Each region's weights: per item, the row of the longest region prefix that has one, else
    the default. One query for all the regions."""
    codes = set(codes)
    prefixes = {p for code in codes for p in lineage(code)}
    rows = DutyScoreWeight.objects.filter(region_id__in=prefixes).values_list("region_id", "item", "points", "cap")
    by_region: dict[str, dict] = defaultdict(dict)
    for region_id, item, points, cap in rows:
        by_region[region_id][item] = (points, cap)
    result = {}
    for code in codes:
        weights = dict(DEFAULT_WEIGHTS)
        for prefix in lineage(code):  # shortest first: the nearest region wins
            weights.update(by_region.get(prefix, {}))
        result[code] = weights
    return result


def weights_for(code: str) -> dict[str, tuple[Decimal, Decimal | None]]:
    return weights_for_regions([code])[code]


@dataclass
class DutyScore:
    deputy: Deputy
    year: int
    counts: dict[str, int]
    points: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.points.values(), Decimal("0"))

    def lines(self) -> list[tuple[str, str, int, Decimal]]:
        return [(item.value, item.label, self.counts.get(item, 0), self.points.get(item, Decimal("0"))) for item in ITEMS]


def _year_bounds(year: int):
    return start_of(datetime.date(year, 1, 1)), start_of(datetime.date(year + 1, 1, 1))


def duty_counts(*, deputies, year: int) -> dict[int, dict[str, int]]:
    """Per deputy and item, what the deputies (a queryset, used as a subquery) did in `year`:
    four grouped queries in all, whatever their number."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    deputy_ids = deputies.values("pk")
    low, high = _year_bounds(year)
    attended = (
        Reception.deputies.through.objects.filter(
            deputy_id__in=deputy_ids, reception__status=ReceptionStatus.RECORDED, reception__date__year=year
        )
        .values("deputy_id")
        .annotate(n=Count("reception_id", distinct=True))
    )
    for row in attended:
        counts[row["deputy_id"]][DutyItem.RECEPTION] = row["n"]
    raised = (
        SuggestionDeputy.objects.filter(
            deputy_id__in=deputy_ids, suggestion__created_at__gte=low, suggestion__created_at__lt=high
        )
        .values("deputy_id", "role")
        .annotate(n=Count("suggestion_id", distinct=True))
    )
    for row in raised:
        item = DutyItem.SUGGESTION_LEAD if row["role"] == DeputyRole.LEAD else DutyItem.SUGGESTION_COSIGN
        counts[row["deputy_id"]][item] += row["n"]
    evaluations = (
        Evaluation.objects.filter(deputy_id__in=deputy_ids, created_at__gte=low, created_at__lt=high)
        .values("deputy_id")
        .annotate(n=Count("id"))
    )
    for row in evaluations:
        counts[row["deputy_id"]][DutyItem.EVALUATION] = row["n"]
    activities = (
        DutyActivity.deputies.through.objects.filter(deputy_id__in=deputy_ids, dutyactivity__date__year=year)
        .values("deputy_id", "dutyactivity__kind")
        .annotate(n=Count("dutyactivity_id", distinct=True))
    )
    for row in activities:
        counts[row["deputy_id"]][row["dutyactivity__kind"]] += row["n"]
    return counts


def _score(deputy: Deputy, year: int, counts: dict[str, int], weights) -> DutyScore:
    points = {}
    for item in ITEMS:
        per, cap = weights[item]
        value = per * counts.get(item, 0)
        points[item] = min(value, cap) if cap is not None else value
    return DutyScore(deputy=deputy, year=year, counts={k: int(v) for k, v in counts.items()}, points=points)


def duty_scores(*, deputies, year: int) -> list[DutyScore]:
    """履职考评计分 of the given deputies (a queryset) for `year`, highest first."""
    counts = duty_counts(deputies=deputies, year=year)
    deputies = list(deputies.all())  # .all(): leave the caller's queryset unevaluated
    weights = weights_for_regions({d.region_id for d in deputies})
    scores = [_score(d, year, counts.get(d.pk, {}), weights[d.region_id]) for d in deputies]
    return sorted(scores, key=lambda s: (-s.total, s.deputy.name, s.deputy.pk))


def duty_score(*, deputy: Deputy, year: int) -> DutyScore:
    """One deputy's 履职考评计分 for `year`: what every page, export and endpoint that shows a
    deputy's duty figures shows (the staff's pages and the deputy's own)."""
    counts = duty_counts(deputies=Deputy.objects.filter(pk=deputy.pk), year=year).get(deputy.pk, {})
    return _score(deputy, year, counts, weights_for(deputy.region_id))


@dataclass
class DutyRecord:
    """一人一档: what a deputy did in a year, item by item, and the score."""

    deputy: Deputy
    year: int
    score: DutyScore
    receptions: list = field(default_factory=list)
    lead: list = field(default_factory=list)
    cosigned: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    activities: list = field(default_factory=list)


def duty_record(*, deputy: Deputy, year: int) -> DutyRecord:
    low, high = _year_bounds(year)
    receptions = list(
        Reception.objects.filter(deputies=deputy, status=ReceptionStatus.RECORDED, date__year=year)
        .select_related("station").order_by("date", "id")
    )
    links = list(
        SuggestionDeputy.objects.filter(deputy=deputy, suggestion__created_at__gte=low, suggestion__created_at__lt=high)
        .select_related("suggestion", "suggestion__category")
        .order_by("suggestion__created_at", "suggestion_id")
    )
    evaluations = list(
        Evaluation.objects.filter(deputy=deputy, created_at__gte=low, created_at__lt=high)
        .select_related("suggestion").order_by("created_at", "id")
    )
    activities = list(DutyActivity.objects.filter(deputies=deputy, date__year=year).select_related("station").order_by("date", "id"))
    return DutyRecord(
        deputy=deputy,
        year=year,
        score=duty_score(deputy=deputy, year=year),
        receptions=receptions,
        lead=[link.suggestion for link in links if link.role == DeputyRole.LEAD],
        cosigned=[link.suggestion for link in links if link.role != DeputyRole.LEAD],
        evaluations=evaluations,
        activities=activities,
    )


# --- writes -------------------------------------------------------------------------------------
def _require_staff(by, region_code: str) -> None:
    from .workflow import ActionNotPermitted

    if not (by.is_superuser or (by.role == Role.STAFF and in_scope(by, region_code))):
        raise ActionNotPermitted(_("只有本区划的工作人员可以进行此操作。"))


@transaction.atomic
def duty_activity_record(
    *, by, kind: str, title: str, date: datetime.date, region: Region, deputies, station: Station | None = None,
    note: str = "",
) -> DutyActivity:
    """记录履职活动: a 视察、调研、执法检查 or 列席会议 and the deputies who took part."""
    _require_staff(by, region.code)
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("活动类型无效。")})
    title = clean_text(title)
    if not title:
        raise ValidationError({"title": _("请填写活动名称。")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("活动日期不能晚于今天。")})
    deputies = list(deputies)
    if not deputies:
        raise ValidationError({"deputies": _("请选择参加活动的代表。")})
    scope = region_scope(by)
    outside = [d.name for d in deputies if not (by.is_superuser or d.region_id.startswith(scope or "\0"))]
    if outside:
        raise ValidationError({"deputies": _("这些代表不在您的管辖范围内：%(names)s。") % {"names": "、".join(outside)}})
    if station is not None and not station.region_id.startswith(region.code):
        raise ValidationError({"station": _("站点不在组织区划内。")})
    activity = DutyActivity(kind=kind, title=title[:200], date=date, region=region, station=station,
                            note=clean_text(note), recorded_by=by)
    activity.full_clean()
    activity.save()
    activity.deputies.set(deputies)
    return activity


@transaction.atomic
def duty_weights_save(*, by, region: Region, weights: dict[str, tuple[Decimal, Decimal | None]]) -> list[DutyScoreWeight]:
    """设置履职计分标准 for `region`: points per item and yearly caps (an item left out keeps
    what applies from above)."""
    _require_staff(by, region.code)
    unknown = set(weights) - set(DutyItem.values)
    if unknown:
        raise ValidationError({"item": _("未知的计分项目：%(items)s。") % {"items": "、".join(sorted(unknown))}})
    saved = []
    for item, (points, cap) in weights.items():
        if points is None or points < 0 or (cap is not None and cap < 0):
            raise ValidationError({item: _("分值和上限不能为负数。")})
        row, _created = DutyScoreWeight.objects.update_or_create(
            region=region, item=item, defaults={"points": points, "cap": cap}
        )
        saved.append(row)
    return saved


# --- leading officials' quarterly visits (领导干部代表每季度进站) -----------------------------
@dataclass
class LeaderVisits:
    deputy: Deputy
    per_quarter: list[int]
    missed: list[int]  # quarters (1–4) that have ended with fewer visits than required


def leader_visits(*, region: str, year: int, today: datetime.date | None = None) -> list[LeaderVisits]:
    """Each leading-official deputy of the region: recorded receptions attended per quarter of
    `year`, and the ended quarters with fewer than LEADER_VISITS_PER_QUARTER (two queries)."""
    from django.db.models.functions import ExtractQuarter

    today = today or timezone.localdate()
    required = int(setting("LEADER_VISITS_PER_QUARTER"))
    leaders = Deputy.objects.filter(is_leading_official=True).order_by("region_id", "name", "id")
    if region:
        leaders = leaders.filter(within(region))
    visits = (
        Reception.deputies.through.objects.filter(
            deputy_id__in=leaders.values("pk"), reception__status=ReceptionStatus.RECORDED, reception__date__year=year
        )
        .annotate(quarter=ExtractQuarter("reception__date"))
        .values("deputy_id", "quarter")
        .annotate(n=Count("reception_id", distinct=True))
    )
    leaders = list(leaders)
    table: dict[int, list[int]] = {d.pk: [0, 0, 0, 0] for d in leaders}
    for row in visits:
        table[row["deputy_id"]][row["quarter"] - 1] = row["n"]
    ended = [q for q in (1, 2, 3, 4) if _quarter_end(year, q) < today]
    return [
        LeaderVisits(deputy=d, per_quarter=table[d.pk], missed=[q for q in ended if table[d.pk][q - 1] < required])
        for d in leaders
    ]


def _quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def deputies_not_in_stations(*, region: str, day: datetime.date | None = None, limit: int = 100):
    """Deputies holding a mandate on `day` who are grouped into no station (进站覆盖的缺口)."""
    from django.db.models import Exists, OuterRef

    from deputies.models import Mandate, StationMembership

    day = day or timezone.localdate()
    active = Mandate.objects.filter(deputy=OuterRef("pk"), started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )
    deputies = Deputy.objects.filter(Exists(active)).exclude(
        Exists(StationMembership.objects.filter(deputy=OuterRef("pk")))
    )
    if region:
        deputies = deputies.filter(within(region))
    return list(deputies.select_related("region").order_by("region_id", "name", "id")[:limit])
