"""What the page tests share: the opinion form's data, suggestions at each step of the
workflow in the pages' small world (see `conftest.py`), a page's text."""

from suggestions.models import Route, Suggestion, SuggestionKind
from suggestions.services.handling import assignment_reply, assignment_sign, suggestion_assign
from suggestions.services.intake import suggestion_accept, suggestion_submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def page_text(response) -> str:
    return response.content.decode()


def opinion_form(**overrides):
    data = {
        "title": "小区门前路灯不亮",
        "content": "太东大街12号门前三盏路灯坏了一个月。",
        "submitter_name": "张三",
        "submitter_phone": "13812345678",
        "website": "",
    }
    data.update(overrides)
    return data


def submitted(world, **kwargs) -> Suggestion:
    fields = {
        "kind": SuggestionKind.OPINION,
        "title": "路面坑洼",
        "content": "雨天积水。",
        "region": world["township"],
        "station": world["station"],
        "submitter_name": "张三",
        "submitter_phone": "13812345678",
        "deputies": [world["deputy"]],
    }
    fields.update(kwargs)
    return suggestion_submit(**fields)


def assigned(world, *, co_units=()) -> Suggestion:
    suggestion = submitted(world)
    suggestion = suggestion_accept(suggestion=suggestion, by=world["staff"])
    return suggestion_assign(
        suggestion=suggestion, by=world["staff"], route=Route.DISTRICT, lead_unit=world["unit"], co_units=list(co_units)
    )


def replied(world) -> Suggestion:
    suggestion = assigned(world)
    assignment = suggestion.assignments.get()
    assignment_sign(assignment=assignment, by=world["officer"])
    assignment_reply(assignment=assignment, by=world["officer"], result="A", content="已修复路灯。")
    return Suggestion.objects.get(pk=suggestion.pk)
