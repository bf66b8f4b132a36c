"""The figures (统计口径): every figure's name, label and definition, and `Figures`, the same
fields and rates as a snapshot row for figures counted live."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from liaison.regions import CODE_LENGTHS
from suggestions.models import StatFiguresMixin


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    help: str


FIGURES: list[Figure] = [
    Figure("collected", _("收集"), _("期内提交的意见建议：每件群众意见计一次（转为闭会建议或并案的也只计原意见），加上代表直接提出的建议")),
    Figure("deputy_suggestions", _("代表建议"), _("代表建议（含由群众意见转成的闭会建议）")),
    Figure("in_session", _("大会期间建议"), _("代表建议中大会期间提出的")),
    Figure("interim", _("闭会期间建议"), _("代表建议中闭会期间提出的（含转为闭会建议）")),
    Figure("declined", _("不予受理"), _("状态为不予受理")),
    Figure("merged", _("并案"), _("并入其他事项（含转为闭会建议）")),
    Figure("accepted", _("受理"), _("已受理、交办、办理、答复或办结（含代表即办）")),
    Figure("on_spot", _("代表即办"), _("办理方式为代表即办且已答复")),
    Figure("assigned", _("交办"), _("有在办的主办单位（退回的不算）")),
    Figure("replied", _("答复"), _("主办单位已答复或已即办（不满意重新办理的在重新答复前不算）")),
    Figure("replied_on_time", _("按期答复"), _("主办单位在办理期限当日或之前答复")),
    Figure("replied_late", _("逾期答复"), _("主办单位在办理期限之后答复")),
    Figure("overdue", _("超期未答复"), _("仍在交办或办理中、主办单位未答复，且办理期限已过")),
    Figure("closed", _("办结"), _("已办结")),
    Figure("fed_back", _("已反馈"), _("已将办理结果反馈提出人")),
    Figure("result_a", _("A类"), _("已解决或采纳")),
    Figure("result_b", _("B类"), _("正在解决或列入计划")),
    Figure("result_c", _("C类"), _("因条件限制暂不能解决")),
    Figure("result_d", _("D类"), _("留作参考")),
    Figure("evaluated", _("已评价"), _("有代表评价的事项")),
    Figure("satisfied", _("满意"), _("代表评价为满意")),
    Figure("basically_satisfied", _("基本满意"), _("代表评价为基本满意（无满意评价）")),
    Figure("unsatisfied", _("不满意"), _("只有代表的不满意评价（重新办理后尚未再评价）")),
    Figure("voter_evaluated", _("群众已评价"), _("有群众（提出人）评价的事项：凭查询码评价，或工作人员代为录入")),
    Figure("voter_satisfied", _("群众满意"), _("群众评价为满意或基本满意")),
    Figure("supervised", _("督办"), _("一般督办或重点督办")),
    Figure("key_supervised", _("重点督办"), _("重点督办")),
    Figure("rehandled", _("重新办理"), _("因不满意重新办理过")),
    Figure("assign_days_sum", _("交办用时合计"), _("提交到交办主办单位的工作日")),
    Figure("assign_days_n", _("交办用时件数"), ""),
    Figure("handle_days_sum", _("办理用时合计"), _("交办到主办单位答复的工作日")),
    Figure("handle_days_n", _("办理用时件数"), ""),
    Figure("close_days_sum", _("评价办结用时合计"), _("答复到办结的工作日")),
    Figure("close_days_n", _("评价办结用时件数"), ""),
    Figure("total_days_sum", _("全程用时合计"), _("提交到办结的工作日")),
    Figure("total_days_n", _("全程用时件数"), ""),
]
FIGURE_NAMES = [f.name for f in FIGURES]
# Figures that are the sum of one 0/1 column of StatFact (column name when it differs).
FLAG_COLUMNS = {
    name: {"deputy_suggestions": "deputy_suggestion"}.get(name, name)
    for name in FIGURE_NAMES
    if not name.endswith(("_sum", "_n"))
}
SPANS = ("assign", "handle", "close", "total")
# Reception and roster figures, added to region and station rows (not about suggestions).
STATION_FIGURES = ("receptions", "visitors")
COVERAGE_FIGURES = ("deputies", "deputies_in_stations")
# The levels a snapshot groups by: province, city, county, township (not villages); the code is its own path.
REGION_LEVELS = CODE_LENGTHS[:-1]



class Figures(StatFiguresMixin):
    """Figures computed live (the API), with the same fields and rates as a snapshot row."""

    def __init__(self, values: dict | None = None):
        values = values or {}
        for name in [*FIGURE_NAMES, *STATION_FIGURES, *COVERAGE_FIGURES]:
            setattr(self, name, int(values.get(name) or 0))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in FIGURE_NAMES}
