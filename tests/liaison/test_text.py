"""People's text on its way in (liaison/text.py): control characters dropped, the rest kept."""

import pytest

from liaison.text import clean_strings, clean_text, strip_unprintable


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", "\ud800"])
def test_control_characters_and_lone_surrogates_are_dropped(char):
    assert strip_unprintable(f"路灯{char}坏了") == "路灯坏了"


def test_tabs_line_breaks_and_chinese_punctuation_are_kept():
    text = "第一条：路灯坏了。\n第二条：\t井盖缺失！\r\n——群众"
    assert strip_unprintable(text) == text


def test_clean_text_trims_and_reads_none_as_empty():
    assert clean_text("  \x07张三\x07 ") == "张三"
    assert clean_text(None) == ""


def test_clean_strings_cleans_only_text_values():
    marker = object()
    assert clean_strings({"name": "太东\x07站", "count": 3, "region": marker}) == {"name": "太东站", "count": 3, "region": marker}
