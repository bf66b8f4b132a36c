"""Masking personal data in text before it goes public (suggestions/redaction.py)."""

from __future__ import annotations

import pytest

from suggestions.redaction import publish_preview, redact


@pytest.mark.parametrize(("text", "masked", "kinds"), [
    ("电话13900001111请回电", "电话***********请回电", ["mobile"]),
    ("电话 139-0000-1111", "电话 ***********", ["mobile"]),
    ("号码１３６１２３４５６７８", "号码***********", ["mobile"]),
    ("座机0355-2021234", "座机********", ["landline"]),
    ("身份证140403199001011234。", "身份证1*****************。", ["id_number"]),
    ("身份证14040319900101123X", "身份证1*****************", ["id_number"]),
    ("建设路12号门口", "建设路**号门口", ["address"]),
    ("住幸福小区3栋2单元501室", "住幸福小区*栋*单元***室", ["address"]),
    ("联系人：李建国，谢谢", "联系人：李**，谢谢", ["name"]),
    ("张先生反映", "*先生反映", ["name"]),
    ("邮箱 wang.li@example.com 微信号 wl_1988", "邮箱 *** ***", ["contact", "contact"]),
])
def test_detected_personal_data_is_masked(text, masked, kinds):
    result = redact(text)
    assert result.text == masked
    assert result.found == kinds


def test_the_submitters_own_name_is_masked_wherever_it_appears():
    assert redact("王小明家门口的路灯，王小明反映多次", names=["王小明"]).text == "王**家门口的路灯，王**反映多次"


@pytest.mark.parametrize("text", ["2024年共反映3次", "路灯坏了20天", "建设路路灯不亮", "第12条道路"])
def test_ordinary_text_is_left_alone(text):
    assert redact(text).text == text and redact(text).found == []


def test_the_preview_masks_title_and_content(world):
    suggestion = world.submit(title="王小明家门口路灯不亮", content="电话13900001111，幸福小区3栋")
    preview = publish_preview(suggestion)
    assert preview.title == "王**家门口路灯不亮"
    assert preview.content == "电话***********，幸福小区*栋"
    assert sorted(preview.found) == ["address", "mobile", "name"]
