"""`GET /api/v1/stats/summary/`: a region's figures for a period, counted live (API.md).

The same staging and aggregates as the nightly snapshot (suggestions/stats/), so for the
period of a snapshot the numbers are the snapshot's. Staff and leaders only; `region` must lie
in the caller's region (another region is a 404, as if it did not exist).
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.fields import empty
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api.schema import ERROR_RESPONSES
from liaison.regions import CODE_PATTERN
from liaison.scoping import region_scope
from stations.models import Region
from suggestions.models import Category, Unit
from suggestions.stats.periods import current_term
from suggestions.stats.summary import summary

MAX_PERIOD_DAYS = 3 * 366


class _Given:
    """A query parameter given empty (`?region=`) is refused like any other malformed value
    (DRF would read it as absent), as the schema says."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)


class _RegionParam(_Given, serializers.RegexField):
    """`region=`: a region code; given empty, a 400."""


class _DateParam(_Given, serializers.DateField):
    """`start=` / `end=`: a date; given empty, a 400."""


class StatsSummaryQuerySerializer(serializers.Serializer):
    region = _RegionParam(
        CODE_PATTERN, required=False,
        help_text=_("区划代码：该区划及其下级（默认为您的管辖区划）。"),
        error_messages={"invalid": _("区划代码应为 2、4、6、9 或 12 位数字。")},
    )
    period_start = _DateParam(required=False, help_text=_("起始日期 YYYY-MM-DD（默认为截止日期所在年的 1 月 1 日）。"))
    period_end = _DateParam(required=False, help_text=_("截止日期 YYYY-MM-DD（默认为今天）。"))
    period = serializers.ChoiceField(
        choices=[("year", _("本年")), ("month", _("本月")), ("term", _("本届"))], required=False,
        help_text=_("统计期：year 本年、month 本月、term 本届（该区划或其上级人大本届的起始日至截止日期）；"
                    "给出时不再读 period_start。本届未设置届次时为 400。"),
    )

    def validate(self, data):
        end = data.get("period_end") or timezone.localdate()
        start = data.get("period_start") or end.replace(month=1, day=1)
        period = data.get("period")
        if period == "month":
            start = end.replace(day=1)
        elif period == "year":
            start = end.replace(month=1, day=1)
        elif period == "term":
            term = current_term(data.get("region") or self.context.get("scope", ""), end)
            if term is None:
                raise serializers.ValidationError({"period": _("尚未设置本届的届次（管理后台“届次”）。")})
            start = term.start_on
        if start > end:
            raise serializers.ValidationError({"period_start": _("起始日期不能晚于截止日期。")})
        if (end - start).days > MAX_PERIOD_DAYS and period != "term":
            raise serializers.ValidationError({"period_start": _("统计期最长三年。")})
        data["period_start"], data["period_end"] = start, end
        return data


def _rate_field(help_text):
    return serializers.FloatField(allow_null=True, help_text=help_text)


class StatsFiguresSerializer(serializers.Serializer):
    collected = serializers.IntegerField(
        help_text=_("收集：期内提交的意见建议；每件群众意见只计一次（转为闭会建议、并案的也只计原意见）"))
    deputy_suggestions = serializers.IntegerField(help_text=_("代表建议（含由群众意见转成的闭会建议）"))
    in_session = serializers.IntegerField(help_text=_("大会期间提出的代表建议"))
    interim = serializers.IntegerField(help_text=_("闭会期间提出的代表建议（含转为闭会建议）"))
    declined = serializers.IntegerField(help_text=_("不予受理"))
    merged = serializers.IntegerField(help_text=_("并案（含转为闭会建议）"))
    accepted = serializers.IntegerField(help_text=_("受理（含代表即办）"))
    on_spot = serializers.IntegerField(help_text=_("代表即办"))
    assigned = serializers.IntegerField(help_text=_("交办：有在办的主办单位"))
    replied = serializers.IntegerField(help_text=_("答复：主办单位已答复或已即办"))
    on_time = serializers.IntegerField(source="replied_on_time", help_text=_("按期答复"))
    late = serializers.IntegerField(source="replied_late", help_text=_("逾期答复"))
    overdue = serializers.IntegerField(help_text=_("超期未答复"))
    on_time_rate = _rate_field(_("按期答复率（0–1）：按期答复 ÷（按期 + 逾期答复 + 超期未答复）"))
    closed = serializers.IntegerField(help_text=_("办结"))
    fed_back = serializers.IntegerField(help_text=_("已反馈"))
    feedback_rate = _rate_field(_("反馈率（0–1）：已反馈 ÷ 收集"))
    result_a = serializers.IntegerField(help_text=_("A 类：已解决或采纳"))
    result_b = serializers.IntegerField(help_text=_("B 类：正在解决或列入计划"))
    result_c = serializers.IntegerField(help_text=_("C 类：因条件限制暂不能解决"))
    result_d = serializers.IntegerField(help_text=_("D 类：留作参考"))
    evaluated = serializers.IntegerField(help_text=_("已评价"))
    satisfied = serializers.IntegerField(help_text=_("满意"))
    basically_satisfied = serializers.IntegerField(help_text=_("基本满意"))
    unsatisfied = serializers.IntegerField(help_text=_("不满意（尚待重新办理后再评价）"))
    satisfaction_rate = _rate_field(_("代表满意率（0–1）：（满意 + 基本满意）÷ 已评价（代表的评价）"))
    voter_evaluated = serializers.IntegerField(help_text=_("群众（提出人）已评价"))
    voter_satisfied = serializers.IntegerField(help_text=_("群众满意或基本满意"))
    voter_satisfaction_rate = _rate_field(_("选民满意率（0–1）：群众满意 ÷ 群众已评价，与代表满意率分开"))
    supervised = serializers.IntegerField(help_text=_("督办"))
    key_supervised = serializers.IntegerField(help_text=_("重点督办"))
    rehandled = serializers.IntegerField(help_text=_("因不满意重新办理过"))
    avg_assign_days = serializers.FloatField(allow_null=True, help_text=_("平均交办用时（工作日）"))
    avg_handle_days = serializers.FloatField(allow_null=True, help_text=_("平均办理用时（工作日）"))
    avg_close_days = serializers.FloatField(allow_null=True, help_text=_("平均评价办结用时（工作日）"))
    avg_total_days = serializers.FloatField(allow_null=True, help_text=_("平均全程用时（工作日）"))


class StatsCategoryFiguresSerializer(StatsFiguresSerializer):
    category = serializers.IntegerField(help_text=_("类别 ID"))
    name = serializers.CharField(help_text=_("类别名称"))


class StatsUnitFiguresSerializer(StatsFiguresSerializer):
    unit = serializers.IntegerField(help_text=_("承办单位 ID（作为主办单位）"))
    name = serializers.CharField(help_text=_("承办单位名称"))


class StatsSummarySerializer(StatsFiguresSerializer):
    region = serializers.CharField(allow_blank=True, help_text=_("区划代码（空表示全部）"))
    region_name = serializers.CharField(help_text=_("区划名称"))
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    as_of = serializers.DateTimeField(help_text=_("计算时间：数字反映此刻各事项的状态"))
    reference_day = serializers.DateField(help_text=_("判断超期的基准日（统计期次日，或今天）"))
    by_category = StatsCategoryFiguresSerializer(many=True, help_text=_("按类别：本区划的意见建议"))
    by_unit = StatsUnitFiguresSerializer(
        many=True, help_text=_("按主办单位：本区划的意见建议，各主办单位办理的部分（含上级单位主办的）"))


class _Row:
    """A Figures object with extra attributes for the nested serializers."""

    def __init__(self, figures, **extra):
        self._figures = figures
        self.__dict__.update(extra)

    def __getattr__(self, name):
        return getattr(self._figures, name)


EXAMPLE = {
    "region": "140403", "region_name": "潞州区", "period_start": "2026-01-01", "period_end": "2026-06-30",
    "as_of": "2026-07-01T09:30:00+08:00", "reference_day": "2026-07-01",
    "collected": 7144, "accepted": 6930, "assigned": 6102, "replied": 5950, "on_time": 5633, "late": 201,
    "overdue": 88, "on_time_rate": 0.9522, "fed_back": 5880, "feedback_rate": 0.8231, "evaluated": 5412,
    "satisfied": 4410, "basically_satisfied": 880, "unsatisfied": 122, "satisfaction_rate": 0.9775,
    "by_category": [{"category": 3, "name": "城乡建设", "collected": 1880, "feedback_rate": 0.84}],
    "by_unit": [{"unit": 12, "name": "潞州区住房和城乡建设局", "collected": 640, "on_time_rate": 0.97}],
}


class StatsSummaryView(APIView):
    """统计汇总：某区划（含下级）某一统计期的收集、交办、答复、按期、超期、反馈率、满意率，及按类别、按主办单位的分项。

    统计对象是统计期内提交的意见建议，数字反映此刻它们的办理状态；与同一统计期的每日统计快照（统计页面、Excel 报表）
    用同一套代码计算。仅限工作人员和领导，区划须在本人管辖范围内。
    """

    permission_classes = [IsAuthenticated]
    schema_input_errors = True

    @extend_schema(
        operation_id="stats_summary",
        summary="统计汇总",
        parameters=[StatsSummaryQuerySerializer],
        responses={200: StatsSummarySerializer, 404: ERROR_RESPONSES["404"]},
        examples=[OpenApiExample("summary", value=EXAMPLE, response_only=True)],
        tags=["stats"],
    )
    def get(self, request):
        scope = region_scope(request.user)
        if scope is None:
            raise PermissionDenied(_("只有工作人员和领导可以查看统计。"))
        query = StatsSummaryQuerySerializer(data=request.query_params, context={"scope": scope})
        query.is_valid(raise_exception=True)
        region = query.validated_data.get("region", scope)
        if not region.startswith(scope):
            raise Http404
        region_name = _("全部区划")
        if region:
            found = Region.objects.filter(code=region).values_list("name", flat=True).first()
            if found is None:
                raise Http404
            region_name = found
        start, end = query.validated_data["period_start"], query.validated_data["period_end"]
        result = summary(region=region, start=start, end=end)
        categories = dict(Category.objects.filter(pk__in=[k for k, _f in result.by_category]).values_list("pk", "name"))
        units = dict(Unit.objects.filter(pk__in=[k for k, _f in result.by_unit]).values_list("pk", "name"))
        payload = _Row(
            result.total,
            region=region,
            region_name=region_name,
            period_start=start,
            period_end=end,
            as_of=timezone.localtime(),
            reference_day=result.reference,
            by_category=[_Row(f, category=k, name=categories.get(k, "")) for k, f in result.by_category],
            by_unit=[_Row(f, unit=k, name=units.get(k, "")) for k, f in result.by_unit],
        )
        return Response(StatsSummarySerializer(payload).data)

