"""`q` (liaison.filters.SearchFilter): a substring of any search field, case folded only where
case exists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.filters import SearchFilter
from suggestions.models import Suggestion
from tests.factories import SuggestionFactory


@pytest.fixture
def rows(db):
    return {
        "lamp": SuggestionFactory(title="小区路灯不亮", content="晚上出行不便"),
        "road": SuggestionFactory(title="道路坑洼", content="请修补 LED 路灯旁的路面"),
        "wifi": SuggestionFactory(title="公共 WiFi 信号差", content="建议加装"),
    }


def _search(value: str) -> set[int]:
    queryset = SearchFilter(search_fields=("title", "content")).filter(Suggestion.objects.all(), value)
    return set(queryset.values_list("pk", flat=True))


def test_chinese_text_matches_any_field(rows):
    assert _search("路灯") == {rows["lamp"].pk, rows["road"].pk}
    assert _search("坑洼") == {rows["road"].pk}
    assert _search("没有这个词") == set()


def test_latin_letters_match_whatever_their_case(rows):
    assert _search("wifi") == _search("WIFI") == {rows["wifi"].pk}
    assert _search("led 路灯") == {rows["road"].pk}


def test_text_without_case_is_matched_without_folding_every_row(rows):
    """Chinese and digits have no case: plain LIKE, not UPPER(column) on every row read."""
    with CaptureQueriesContext(connection) as queries:
        _search("路灯")
    assert "UPPER(" not in queries.captured_queries[-1]["sql"]
    with CaptureQueriesContext(connection) as queries:
        _search("WiFi")
    if connection.vendor == "postgresql":  # SQLite's LIKE folds ASCII itself
        assert "UPPER(" in queries.captured_queries[-1]["sql"]


def test_an_empty_or_blank_search_filters_nothing(rows):
    assert _search("") == _search("   ") == {row.pk for row in rows.values()}
