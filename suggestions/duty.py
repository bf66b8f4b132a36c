"""履职档案 and 履职考评计分: each deputy's duty record and yearly score — the one computation the
deputy's own page, the staff's ranking and record pages, the Excel export and the API
(`deputies/{id}/record/`) all call, so they always agree.

Everything is counted from rows, a handful of grouped queries whatever the number of deputies,
and every item counts once, under one figure:

- 参加接待: recorded receptions (`Reception.deputies`) dated in the year, whatever their mode;
- 联系选民: voters' opinions (kind `opinion`) the deputy received (a `SuggestionDeputy` link on an
  opinion = 接待代表) and that were answered (replied, fed back or closed), by the opinion's
  submission date. A received opinion is never a suggestion the deputy leads; an opinion
  converted into a deputy suggestion counts once, as that suggestion (领衔), not here too;
- 领衔 and 附议: `SuggestionDeputy` links on deputy suggestions (kind `deputy_suggestion`), by the
  suggestion's submission date (Asia/Shanghai); which co-sign links count is `cosign_links`;
- 评价: `Evaluation.deputy`, by the evaluation's date;
- 述职: the deputy's reports to voters (`DutyReport`), by date;
- activities (视察、调研、执法检查、列席会议、参与立法、专业小组活动、培训、其他): `DutyActivity` rows
  staff have confirmed (a deputy's own registration scores once confirmed), by date.

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
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies import attendance
from deputies.models import (
    ActivityKind,
    ActivityStatus,
    Deputy,
    DutyActivity,
    DutyItem,
    DutyReport,
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
from .models import (
    Consent,
    DeputyRole,
    Evaluation,
    Status,
    Suggestion,
    SuggestionDeputy,
    SuggestionKind,
)
from .stats.periods import start_of

# Points per occurrence and the most an item may give in a year (None: no cap).
DEFAULT_WEIGHTS: dict[str, tuple[Decimal, Decimal | None]] = {
    DutyItem.RECEPTION: (Decimal("2"), None),
    DutyItem.CONTACT_VOTERS: (Decimal("1"), Decimal("20")),
    DutyItem.SUGGESTION_LEAD: (Decimal("3"), None),
    DutyItem.SUGGESTION_COSIGN: (Decimal("1"), Decimal("10")),
    DutyItem.EVALUATION: (Decimal("1"), None),
    DutyItem.REPORT: (Decimal("5"), Decimal("5")),
    DutyItem.INSPECTION: (Decimal("2"), None),
    DutyItem.RESEARCH: (Decimal("2"), None),
    DutyItem.LAW_ENFORCEMENT: (Decimal("2"), None),
    DutyItem.ATTEND_MEETING: (Decimal("1"), None),
    DutyItem.LEGISLATION: (Decimal("2"), None),
    DutyItem.GROUP_ACTIVITY: (Decimal("1"), None),
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


# --- which rows count ---------------------------------------------------------------------------
def lead_links():
    """领衔: the lead links on deputy suggestions (never a received voter's opinion)."""
    return SuggestionDeputy.objects.filter(role=DeputyRole.LEAD, suggestion__kind=SuggestionKind.DEPUTY_SUGGESTION)


def cosign_links():
    """附议: the co-sign links that count — the ONE place that says which: those the deputy
    confirmed (a request not yet answered, or declined, is not a co-signature)."""
    return SuggestionDeputy.objects.filter(
        role=DeputyRole.CO_SIGNER, suggestion__kind=SuggestionKind.DEPUTY_SUGGESTION, consent=Consent.CONFIRMED
    )


ANSWERED_STATUSES = (Status.REPLIED, Status.CLOSED)


def received_links():
    """联系选民: the deputy's links on voters' opinions (接待代表) that were answered — replied, fed
    back or closed — and not converted into a deputy suggestion (which counts as that one)."""
    converted = Suggestion.objects.filter(converted_from=OuterRef("suggestion_id"))
    return SuggestionDeputy.objects.filter(suggestion__kind=SuggestionKind.OPINION).filter(
        Q(suggestion__status__in=ANSWERED_STATUSES)
        | Q(suggestion__replied_at__isnull=False)
        | Q(suggestion__fed_back_at__isnull=False)
    ).exclude(Exists(converted))


def confirmed_activities():
    return DutyActivity.objects.filter(status=ActivityStatus.CONFIRMED)


def duty_counts(*, deputies, year: int) -> dict[int, dict[str, int]]:
    """Per deputy and item, what the deputies (a queryset, used as a subquery) did in `year`:
    seven grouped queries in all, whatever their number."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    deputy_ids = deputies.values("pk")
    low, high = _year_bounds(year)

    def add(item, rows, key="n"):
        for row in rows:
            counts[row["deputy_id"]][item] += row[key]

    add(DutyItem.RECEPTION, Reception.deputies.through.objects.filter(
        deputy_id__in=deputy_ids, reception__status=ReceptionStatus.RECORDED, reception__date__year=year
    ).values("deputy_id").annotate(n=Count("reception_id", distinct=True)))
    in_year = {"deputy_id__in": deputy_ids, "suggestion__created_at__gte": low, "suggestion__created_at__lt": high}
    for item, links in ((DutyItem.SUGGESTION_LEAD, lead_links()), (DutyItem.SUGGESTION_COSIGN, cosign_links()),
                        (DutyItem.CONTACT_VOTERS, received_links())):
        add(item, links.filter(**in_year).values("deputy_id").annotate(n=Count("suggestion_id", distinct=True)))
    add(DutyItem.EVALUATION, Evaluation.objects.filter(
        deputy_id__in=deputy_ids, created_at__gte=low, created_at__lt=high
    ).values("deputy_id").annotate(n=Count("id")))
    add(DutyItem.REPORT, DutyReport.objects.filter(deputy_id__in=deputy_ids, date__year=year)
        .values("deputy_id").annotate(n=Count("id")))
    activities = (
        DutyActivity.deputies.through.objects.filter(
            deputy_id__in=deputy_ids, dutyactivity__date__year=year, dutyactivity__status=ActivityStatus.CONFIRMED
        )
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
    """一人一档: what a deputy did in a year, item by item, and the score (the same rows
    `duty_counts` counts)."""

    deputy: Deputy
    year: int
    score: DutyScore
    receptions: list = field(default_factory=list)
    received: list = field(default_factory=list)
    lead: list = field(default_factory=list)
    cosigned: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    activities: list = field(default_factory=list)


def duty_record(*, deputy: Deputy, year: int) -> DutyRecord:
    low, high = _year_bounds(year)
    receptions = list(
        Reception.objects.filter(deputies=deputy, status=ReceptionStatus.RECORDED, date__year=year)
        .select_related("station").order_by("date", "id")
    )

    def suggestions(links):
        rows = links.filter(deputy=deputy, suggestion__created_at__gte=low, suggestion__created_at__lt=high)
        return [link.suggestion for link in rows.select_related("suggestion", "suggestion__category")
                .order_by("suggestion__created_at", "suggestion_id")]

    evaluations = list(
        Evaluation.objects.filter(deputy=deputy, created_at__gte=low, created_at__lt=high)
        .select_related("suggestion").order_by("created_at", "id")
    )
    activities = list(confirmed_activities().filter(deputies=deputy, date__year=year)
                      .select_related("station").order_by("date", "id"))
    return DutyRecord(
        deputy=deputy,
        year=year,
        score=duty_score(deputy=deputy, year=year),
        receptions=receptions,
        received=suggestions(received_links()),
        lead=suggestions(lead_links()),
        cosigned=suggestions(cosign_links()),
        evaluations=evaluations,
        reports=list(DutyReport.objects.filter(deputy=deputy, date__year=year).select_related("station")
                     .order_by("date", "id")),
        activities=activities,
    )


def public_summary(*, deputy: Deputy, year: int) -> dict:
    """The yearly duty summary a voter may read on the contact card (禹州: 履职情况向选民公布):
    counts per item and the reports' public highlights — no names, no texts, nothing private."""
    score = duty_score(deputy=deputy, year=year)
    highlights = [
        h for h in DutyReport.objects.filter(deputy=deputy, date__year=year).order_by("date")
        .values_list("highlights", flat=True) if h
    ]
    return {
        "year": year,
        "lines": [(label, count) for _value, label, count, _points in score.lines() if count],
        "highlights": highlights,
    }


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


# --- 进站入点 (deputies/attendance.py counts; the setting is read here) ---------------------------
def leader_visits(*, region: str, year: int, today: datetime.date | None = None) -> list[attendance.LeaderVisits]:
    """领导干部代表每季度进站: receptions at a station per quarter, and the quarters missed."""
    return attendance.leader_visits(region=region, year=year, today=today,
                                    required=int(setting("LEADER_VISITS_PER_QUARTER")))


def attendance_alerts(*, region: str, today: datetime.date | None = None, limit: int = 50) -> dict:
    """What the staff dashboard and the nightly report warn of: deputies not yet at a station this
    month, those who missed last month, and leading officials who missed an ended quarter."""
    today = today or timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    year = today.year if today.month > 3 else today.year - 1  # the last ended quarter's year
    leaders = [v for v in leader_visits(region=region, year=year, today=today) if v.missed]
    return {
        "this_month": today.replace(day=1),
        "last_month": last_month.replace(day=1),
        "not_yet": attendance.missed_month(region=region, month=today, limit=limit),
        "missed_last_month": attendance.missed_month(region=region, month=last_month, limit=limit),
        "leaders_year": year,
        "leaders_missed": leaders[:limit],
        "limit": limit,
    }


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
