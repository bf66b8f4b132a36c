"""FilterSets for the suggestions app, shared by the API and the HTML lists."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from liaison.filters import BooleanFilter, IdFilter, RegionSubtreeFilter, SearchFilter
from suggestions.models import (
    LIVE_SUGGESTION_STATUSES,
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Evaluation,
    Notification,
    NotificationKind,
    Rating,
    Session,
    Status,
    Suggestion,
    SuggestionDeputy,
    SuggestionKind,
    Supervision,
    Unit,
    UnitKind,
)
from suggestions.selectors import OverdueTier, TierBounds, tier_bounds_for, tier_q


class UnitFilter(django_filters.FilterSet):
    region = RegionSubtreeFilter(label=_("区划代码：该区划及其全部下级的承办单位"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("单位类型"))
    is_active = BooleanFilter(label=_("是否启用"))
    q = SearchFilter(search_fields=("name",), label=_("关键词：单位名称"))

    class Meta:
        model = Unit
        fields = ["region", "kind", "is_active", "q"]


# --- the 提-交-办-督-评 workflow: suggestions, assignments, notifications ----------------------
class _OverdueFilters(django_filters.FilterSet):
    """`overdue` and `overdue_tier` on a queryset annotated with `overdue_tier` (the selectors do)."""

    overdue = BooleanFilter(
        method="filter_overdue", label=_("是否超期（true：已超期或严重超期；false：其余）")
    )
    overdue_tier = django_filters.ChoiceFilter(
        choices=OverdueTier.choices, method="filter_overdue_tier",
        label=_("超期档次：on_track 正常办理、due_soon 即将到期、overdue 已超期、long_overdue 严重超期、none 不适用"),
    )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = {"overdue_tier__in": OverdueTier.LATE}
        return queryset.filter(**late) if value else queryset.exclude(**late)

    def filter_overdue_tier(self, queryset, name, value):
        return queryset.filter(overdue_tier=value) if value else queryset


class SuggestionFilter(_OverdueFilters):
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=SuggestionKind.choices, label=_("类型：opinion 群众意见、deputy_suggestion 代表建议"))
    category = IdFilter(field_name="category_id", label=_("类别 id"))
    region = RegionSubtreeFilter(label=_("区划代码：该区划及其全部下级的意见建议"))
    station = IdFilter(field_name="station_id", label=_("站点 id"))
    unit = IdFilter(method="filter_unit", label=_("承办单位 id：交办给该单位（未退回）的意见建议"))
    deputy = IdFilter(method="filter_deputy", label=_("代表 id：该代表领衔、附议或接待的意见建议"))
    supervision = django_filters.ChoiceFilter(choices=Supervision.choices, label=_("督办：none、normal、key"))
    session = django_filters.ChoiceFilter(
        choices=Session.choices, label=_("代表建议提出时间段：in_session 大会期间、interim 闭会期间（其他值 400）")
    )
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("提交日期不早于（YYYY-MM-DD，含当天）")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("提交日期不晚于（YYYY-MM-DD，含当天）")
    )
    q = SearchFilter(search_fields=("code", "title", "content", "submitter_name"), label=_("关键词：查询码、标题、内容、提出人"))
    voter_unsatisfied = BooleanFilter(
        method="filter_voter_unsatisfied",
        label=_("true：提出人凭查询码对本次答复评价为不满意、待工作人员核实（可退回重办）的事项"),
    )

    class Meta:
        model = Suggestion
        fields = [
            "status", "kind", "category", "region", "station", "unit", "deputy", "overdue", "overdue_tier",
            "supervision", "session", "created_after", "created_before", "q", "voter_unsatisfied",
        ]

    # On suggestions the tiers are plain conditions on the stored lead deadline (an index
    # serves them), not a filter on the CASE annotation.
    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = tier_q(OverdueTier.LATE, tier_bounds_for(self.request))
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_overdue_tier(self, queryset, name, value):
        return queryset.filter(tier_q([value], tier_bounds_for(self.request))) if value else queryset

    def filter_unit(self, queryset, name, value):
        if value is None:
            return queryset
        held = Assignment.objects.active().filter(suggestion=OuterRef("pk"), unit_id=value)
        return queryset.filter(Exists(held))

    def filter_deputy(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Exists(SuggestionDeputy.objects.filter(suggestion=OuterRef("pk"), deputy_id=value)))

    def filter_voter_unsatisfied(self, queryset, name, value):
        if value is None:
            return queryset
        unsatisfied = Evaluation.objects.filter(
            suggestion=OuterRef("pk"), deputy__isnull=True, rating=Rating.UNSATISFIED, round=OuterRef("rehandle_count")
        )
        condition = Q(status__in=(Status.REPLIED, Status.CLOSED)) & Q(Exists(unsatisfied))
        return queryset.filter(condition) if value else queryset.exclude(condition)


class AssignmentFilter(django_filters.FilterSet):
    """The overdue filters here are plain conditions on the assignment's status and deadline
    (an index serves them), the same rule as the `overdue_tier` the selector annotates."""

    status = django_filters.ChoiceFilter(
        choices=AssignmentStatus.choices, method="filter_status",
        label=_("承办状态（pending、signed：只列所属意见建议仍在办理、可以操作的）"),
    )
    role = django_filters.ChoiceFilter(choices=AssignmentRole.choices, label=_("承办方式：lead 主办、co 协办"))
    unit = IdFilter(field_name="unit_id", label=_("承办单位 id"))
    suggestion = IdFilter(field_name="suggestion_id", label=_("意见建议 id"))
    overdue = BooleanFilter(
        method="filter_overdue", label=_("是否超期（true：已超期或严重超期；false：其余）")
    )
    overdue_tier = django_filters.ChoiceFilter(
        choices=OverdueTier.choices, method="filter_overdue_tier",
        label=_("超期档次：on_track 正常办理、due_soon 即将到期、overdue 已超期、long_overdue 严重超期、none 不适用"),
    )
    deadline_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte", label=_("办理期限不晚于"))
    q = SearchFilter(search_fields=("suggestion__code", "suggestion__title"), label=_("关键词：查询码、标题"))

    class Meta:
        model = Assignment
        fields = ["status", "role", "unit", "suggestion", "overdue", "overdue_tier", "deadline_before", "q"]

    _OPEN = Q(status__in=OPEN_ASSIGNMENT_STATUSES, suggestion__status__in=LIVE_SUGGESTION_STATUSES)

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        # A co-unit's unanswered part of an item already closed cannot be acted on (409):
        # like the officers' inbox, the open states list only what can still be handled.
        if value in OPEN_ASSIGNMENT_STATUSES:
            return queryset.filter(status=value, suggestion__status__in=LIVE_SUGGESTION_STATUSES)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = self._OPEN & Q(deadline__lt=tier_bounds_for(self.request).today)
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_overdue_tier(self, queryset, name, value):
        return queryset.filter(self.tier_q(value, tier_bounds_for(self.request))) if value else queryset

    @classmethod
    def tier_q(cls, tier: str, bounds: TierBounds) -> Q:
        """Assignments in `tier`: `assignments_with_tier`'s CASE as conditions on columns."""
        if tier == OverdueTier.NONE:
            return ~cls._OPEN
        return cls._OPEN & {
            OverdueTier.LONG_OVERDUE: Q(deadline__lt=bounds.long_overdue_before),
            OverdueTier.OVERDUE: Q(deadline__gte=bounds.long_overdue_before, deadline__lt=bounds.today),
            OverdueTier.DUE_SOON: Q(deadline__gte=bounds.today, deadline__lte=bounds.due_soon_until),
            OverdueTier.ON_TRACK: Q(deadline__gt=bounds.due_soon_until),
        }[tier]


class NotificationFilter(django_filters.FilterSet):
    unread = BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("true：只看未读"))
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices, label=_("通知类型"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
