"""What staff keep for the year's work: the congress's term (届次), so the statistics' "本届"
period has figures, and answer templates (答复模板) for a few handling units and one shared by
the city's units."""

from __future__ import annotations

import datetime

from suggestions.models import AnswerTemplate, Term

FIRST_TERM, FIRST_YEAR = 15, 2022  # 长治市第十五届人民代表大会: January 2022 – January 2027
TEMPLATES = (
    # (unit name or "" for every unit of the city, title, body)
    ("长治市住房和城乡建设局", "老旧小区改造答复", "您反映的“{标题}”（查询码 {查询码}）已收悉。{单位}已将{区划}相关小区列入改造计划，"
     "将于{期限}前完成现场核查并告知进展。"),
    ("长治市交通运输局", "公交线路调整答复", "关于“{标题}”，{单位}已组织公交企业实地调查客流，线路优化方案将于{期限}前公布。"),
    ("潞州区人民政府", "转属地办理答复", "您反映的“{标题}”已由{单位}交属地街道办理，{期限}前答复。"),
    ("", "已解决通用答复", "您反映的“{标题}”（查询码 {查询码}）已办理完毕，感谢您对人大代表工作的支持。"),
)


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "") if tens else digits[n]


def build_reference(year) -> None:
    city = year.city.city
    number, start = FIRST_TERM, FIRST_YEAR
    while datetime.date(start + 5, 1, 1) <= year.today:
        number, start = number + 1, start + 5
    Term.objects.get_or_create(name=f"长治市第{_cn(number)}届", region=city,
                               defaults={"start_on": datetime.date(start, 1, 1),
                                         "end_on": datetime.date(start + 5, 1, 1) - datetime.timedelta(days=1)})
    staff, made = year.users["staff"], 0
    for unit_name, title, body in TEMPLATES:
        unit = year.units.get(unit_name) if unit_name else None
        if unit_name and unit is None:
            continue
        _row, created = AnswerTemplate.objects.get_or_create(
            title=title, unit=unit, region=None if unit else city, defaults={"body": body, "created_by": staff})
        made += created
    year.counts["answer_templates"] = made
