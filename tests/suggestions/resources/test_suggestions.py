"""SuggestionResource: the record book exported, historical books imported (preview, all or nothing)."""

import pytest
import tablib
from django.utils import timezone

from liaison.importing.errors import error_lines
from suggestions.models import Event, Status, Suggestion
from suggestions.resources.suggestions import SuggestionResource
from tests.factories import DeputyFactory, StationFactory
from tests.suggestions.lists import many_suggestions

HEADERS = [
    "原编号", "类型", "标题", "内容", "类别", "区划代码", "站点", "提出人", "联系电话", "代表", "状态", "办理方式",
    "主办单位", "协办单位", "办理期限", "办理结果", "答复内容", "满意度", "督办", "提出日期", "受理日期", "交办日期",
    "答复日期", "办结日期", "反馈日期", "反馈方式", "公示",
]


def book(world, *rows):
    dataset = tablib.Dataset(headers=HEADERS)
    for row in rows:
        dataset.append([row.get(h, "") for h in HEADERS])
    return dataset


def closed(world, **overrides):
    row = {
        "原编号": "2023-001", "类型": "群众意见", "标题": "村口排水沟堵塞", "内容": "雨季积水严重。", "类别": "城乡建设",
        "区划代码": world.township.code, "提出人": "李大爷", "联系电话": "13900002222", "代表": world.deputy.name,
        "状态": "已办结", "办理方式": "乡镇主办", "主办单位": "潞州区住建局", "协办单位": "潞州区城管局",
        "办理期限": "2023-05-31", "办理结果": "A", "答复内容": "已清淤并加装盖板。", "满意度": "满意", "督办": "",
        "提出日期": "2023-03-01", "受理日期": "2023-03-02", "交办日期": "2023-03-03", "答复日期": "2023-04-20",
        "办结日期": "2023-04-28", "反馈日期": "2023-04-29", "反馈方式": "电话", "公示": "是",
    }
    row.update(overrides)
    return row


def test_a_historical_book_is_previewed_then_imported_as_workflow_rows(world):
    dataset = book(world, closed(world), closed(world, **{
        "原编号": "2023-002", "标题": "路灯不亮", "状态": "办理中", "办理结果": "", "答复内容": "", "满意度": "",
        "答复日期": "", "办结日期": "", "反馈日期": "", "反馈方式": "", "公示": "否",
        "提出日期": "2024-01-02", "受理日期": "2024-01-03", "交办日期": "2024-01-04", "办理期限": "2099-01-01",
    }))
    preview = SuggestionResource(user=world.staff).import_data(dataset, dry_run=True)
    assert not preview.has_errors() and not preview.has_validation_errors(), error_lines(preview)
    assert preview.totals["new"] == 2
    assert Suggestion.objects.count() == 0  # the preview wrote nothing

    result = SuggestionResource(user=world.staff).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), error_lines(result)
    first = Suggestion.objects.get(title="村口排水沟堵塞")
    assert first.status == Status.CLOSED and first.source == "import" and first.is_public
    assert first.assignments.count() == 2 and first.evaluations.get().rating == "satisfied"
    assert first.feedbacks.get().channel == "phone"
    second = Suggestion.objects.get(title="路灯不亮")
    assert second.status == Status.HANDLING
    assert all(e.data.get("imported") for e in Event.objects.all())


def test_a_bad_row_imports_nothing_and_says_where_in_chinese(world):
    dataset = book(
        world,
        closed(world),
        closed(world, **{"原编号": "2023-002", "办理结果": "E"}),
        closed(world, **{"原编号": "2023-003", "主办单位": "不存在的单位", "答复日期": "2023-02-01"}),
        closed(world, **{"原编号": "2023-004", "区划代码": world.other_township.code}),
    )
    result = SuggestionResource(user=world.staff).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    lines = error_lines(result)
    text = "\n".join(lines)
    assert "第 3 行「办理结果」" in text and "「E」不是有效的选项" in text
    assert "第 4 行「主办单位」" in text and "不存在的单位" in text
    assert "第 5 行「区划代码」" in text and "不在您的管辖范围内" in text
    assert Suggestion.objects.count() == 0 and Event.objects.count() == 0


def test_inconsistent_history_is_reported_by_column(world):
    dataset = book(world, closed(world, **{"答复日期": "2023-02-01", "满意度": "不满意"}))
    result = SuggestionResource(user=world.staff).import_data(dataset, dry_run=True)
    text = "\n".join(error_lines(result))
    assert "第 2 行「答复日期」：日期不能早于前一环节的日期" in text
    assert "第 2 行「满意度」" in text


def test_a_book_imported_twice_is_refused(world):
    SuggestionResource(user=world.staff).import_data(book(world, closed(world)), dry_run=False)
    result = SuggestionResource(user=world.staff).import_data(book(world, closed(world)), dry_run=False)
    assert "已导入过" in "\n".join(error_lines(result))
    dataset = book(world, closed(world), closed(world))
    result = SuggestionResource(user=world.staff).import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert Suggestion.objects.count() == 1


def test_names_resolve_inside_the_importers_region(world):
    namesake = DeputyFactory(region=world.township, name=world.deputy.name)
    result = SuggestionResource(user=world.staff).import_data(book(world, closed(world)), dry_run=True)
    assert "请写成" in "\n".join(error_lines(result))
    dataset = book(world, closed(world, **{"代表": f"{namesake.name}#{namesake.pk}", "站点": "太东站"}))
    StationFactory(region=world.township, name="太东站")
    result = SuggestionResource(user=world.staff).import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), error_lines(result)
    suggestion = Suggestion.objects.get()
    assert list(suggestion.deputies.all()) == [namesake] and suggestion.station.name == "太东站"


def test_export_has_the_record_book_columns_and_reimports_unchanged(world):
    made = world.drive(world.submit(title="小区路灯不亮"), Status.CLOSED)
    SuggestionResource(user=world.staff).import_data(book(world, closed(world)), dry_run=False)
    world.submit(region=world.other_township, by=world.other_staff, title="外区的事")

    exported = SuggestionResource(user=world.staff).export()
    for header in ("编号", "标题", "类别", "区划代码", "站点", "提出人", "状态", "主办单位", "办理结果", "满意度",
                   "提出日期", "交办日期", "答复日期", "办结日期"):
        assert header in exported.headers
    rows = {row["标题"]: row for row in exported.dict}
    assert set(rows) == {"小区路灯不亮", "村口排水沟堵塞"}
    imported = rows["村口排水沟堵塞"]
    assert imported["状态"] == "已办结" and imported["办理结果"] == "A 已解决或采纳" and imported["满意度"] == "满意"
    assert imported["主办单位"] == "潞州区住建局" and imported["协办单位"] == "潞州区城管局"
    assert (imported["提出日期"], imported["受理日期"], imported["交办日期"]) == ("2023-03-01", "2023-03-02", "2023-03-03")
    assert (imported["答复日期"], imported["办结日期"], imported["反馈日期"]) == ("2023-04-20", "2023-04-28", "2023-04-29")
    assert imported["原编号"] == "2023-001" and imported["公示"] == "是" and imported["提出人"] == "李大爷"
    assert rows["小区路灯不亮"]["编号"] == made.code
    assert rows["小区路灯不亮"]["提出日期"] == timezone.localdate().isoformat()

    before = (Suggestion.objects.count(), Event.objects.count())
    result = SuggestionResource(user=world.staff).import_data(exported, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), error_lines(result)
    assert result.totals["skip"] == 2 and result.totals["new"] == 0
    assert (Suggestion.objects.count(), Event.objects.count()) == before


def test_an_exported_row_without_its_code_imports_as_the_same_history(world):
    SuggestionResource(user=world.staff).import_data(book(world, closed(world)), dry_run=False)
    exported = SuggestionResource(user=world.staff).export()
    row = {**exported.dict[0], "编号": "", "原编号": "2023-001-copy"}
    again = tablib.Dataset(headers=exported.headers)
    again.append([row[h] for h in exported.headers])
    result = SuggestionResource(user=world.staff).import_data(again, dry_run=False)
    assert not result.has_validation_errors(), error_lines(result)
    first, copy = Suggestion.objects.order_by("pk")
    assert [e.action for e in copy.events.order_by("created_at", "id")] == [
        e.action for e in first.events.order_by("created_at", "id")
    ]
    assert copy.closed_at == first.closed_at and copy.result == first.result


def test_unknown_codes_are_refused(world):
    dataset = book(world, closed(world))
    dataset.append_col(["ZZZZZZZZZZZZ"], header="编号")
    result = SuggestionResource(user=world.staff).import_data(dataset, dry_run=True)
    assert "第 2 行「编号」" in "\n".join(error_lines(result))


def test_export_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    def count():
        with django_assert_max_num_queries(12) as captured:
            SuggestionResource(user=world.staff).export()
        return len(captured.captured_queries)

    world.drive(world.submit(title="意见"), Status.CLOSED)
    many_suggestions(world, 4)
    few = count()
    many_suggestions(world, 45)
    assert count() == few


@pytest.mark.parametrize("who", ["officer", "deputy_user"])
def test_only_staff_import(world, who):
    result = SuggestionResource(user=getattr(world, who)).import_data(book(world, closed(world)), dry_run=True)
    assert result.has_validation_errors() or result.has_errors()
    assert Suggestion.objects.count() == 0
