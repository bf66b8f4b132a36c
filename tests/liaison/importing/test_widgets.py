"""Column types: lenient on input, one canonical form on output, Chinese errors."""

import datetime

import pytest
from django.utils import translation

from liaison.importing.widgets import BoolWidget, ChoiceWidget, IntWidget, ListWidget, TimeWidget
from liaison.models import Role


@pytest.mark.parametrize(("cell", "value"), [("是", True), ("√", True), (1, True), ("否", False), ("", False), ("No", False)])
def test_yes_no_cells(cell, value):
    assert BoolWidget().clean(cell) is value


def test_a_yes_no_cell_with_anything_else_is_refused():
    with pytest.raises(ValueError, match="是"):
        BoolWidget().clean("也许")


def test_integers_refuse_text_and_booleans():
    assert IntWidget().clean(12.0) == 12
    assert IntWidget().clean("") is None
    for cell in ("三", True, "1.5"):
        with pytest.raises(ValueError, match="不是整数"):
            IntWidget().clean(cell)


def test_choices_read_labels_in_every_language_and_values_and_write_the_label():
    widget = ChoiceWidget(Role)
    assert widget.clean("工作人员") == widget.clean("staff") == Role.STAFF
    with translation.override("zh-hans"):
        assert widget.render(Role.STAFF) == "工作人员"
    with pytest.raises(ValueError, match="不是有效的选项"):
        widget.clean("局长")


def test_times_accept_a_full_width_colon():
    assert TimeWidget().clean("09：30") == datetime.time(9, 30)
    assert TimeWidget().render(datetime.time(9, 30)) == "09:30"


def test_a_list_cell_names_each_bad_item():
    widget = ListWidget(int)
    assert widget.clean("1;2") == [1, 2]
    with pytest.raises(ValueError, match="第 2 项"):
        widget.clean("1;x")
    assert widget.render([1, 2]) == "1;2"
