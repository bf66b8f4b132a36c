"""The workflow's steps, each declared once (Wagtail's `actions` are the model).

A `Step` names a workflow action, the object it acts on, its input (one serializer), the one
service that takes it, and the words a person reads (label, confirmation). Who may take it and
in which states comes from `suggestions.workflow`'s tables. The surfaces take every step from
`suggestions.steps.table.STEPS`:

- the API: one `POST …/{id}/<step>/` action per step (`suggestions.api.steps`);
- the web pages: one step view with a form derived from the input (`suggestions.views.steps`);
- the admin: one step view per suggestion, the same derived form (`suggestions.admin.suggestions`).

All of them call `perform`, so a step is refused the same way everywhere: not for this person
→ `ActionNotPermitted` (403), not in this state → `InvalidTransition` (409), bad input → the
serializer's field errors (400); in each case nothing changes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rest_framework import serializers

from suggestions import workflow
from suggestions.models import Action

SUGGESTION = "suggestion"
ASSIGNMENT = "assignment"


@dataclass(frozen=True)
class Step:
    action: str
    #: what the step acts on, and the service's keyword for it: "suggestion" or "assignment"
    on: str
    input: type[serializers.Serializer]
    service: Callable[..., Any]
    #: the question a person answers before the step is taken
    confirm: str
    #: for the API's reference: what the step does to the states
    description: str = ""
    #: the step makes a new suggestion (转为闭会建议): the API answers 201 with it
    creates: bool = False
    #: on forms, the options a person picks from for a related field, narrowed to this object
    #: (e.g. the suggestion's own deputies); the serializer still decides what is valid
    choices: Mapping[str, Callable[[Any, Any], Any]] = field(default_factory=dict)
    #: on forms, a field's starting value from the object (交办's route from the 五分类, 公示's
    #: masked preview)
    initial: Mapping[str, Callable[[Any, Any], Any]] = field(default_factory=dict)
    #: the API's request schema when it differs from `input` (答复 with files: multipart)
    api_request: Any = None
    #: the API's parsers when the step takes files
    parsers: tuple = ()

    @property
    def label(self) -> str:
        return str(Action(self.action).label)

    @property
    def roles(self) -> frozenset[str]:
        return workflow.ACTION_ROLES[self.action]

    @property
    def url_path(self) -> str:
        return self.action.replace("_", "-")

    @property
    def method_name(self) -> str:
        """The API viewset's method (and so the schema's operationId): `return` is a keyword."""
        return f"{self.action}_" if self.action == "return" else self.action


def check(step: Step) -> list[str]:
    """What is wrong with a declaration: a step needs an input serializer and a service that
    takes the object, `by` and every input field by keyword."""
    problems = []
    if not (isinstance(step.input, type) and issubclass(step.input, serializers.Serializer)):
        problems.append(f"{step.action}: input is not a serializer")
        return problems
    if not callable(step.service):
        problems.append(f"{step.action}: no service")
        return problems
    if step.on not in (SUGGESTION, ASSIGNMENT):
        problems.append(f"{step.action}: acts on {step.on!r}")
    if step.action not in workflow.ACTION_ROLES:
        problems.append(f"{step.action}: not in the workflow's table")
    parameters = inspect.signature(step.service).parameters
    for name in (step.on, "by", *step.input().fields):
        if name not in parameters:
            problems.append(f"{step.action}: {step.service.__name__}() takes no {name!r}")
    return problems


def allowed(step: Step, obj, user) -> bool:
    try:
        workflow.require(obj, step.action, user)
    except workflow.WorkflowError:
        return False
    return True


def validate(step: Step, *, obj, data, request) -> dict:
    """The step's input, checked by its serializer (raises `serializers.ValidationError`)."""
    serializer = step.input(data=data, context={"request": request, "target": obj})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def perform(step: Step, *, obj, user, data, request):
    """Take `step` on `obj` as `user` with the submitted `data`.

    The person and the state are checked first (so a refusal reads the same whatever was
    posted), then the input, then the service runs, checking again under its row lock.
    Returns what the service returns.
    """
    workflow.require(obj, step.action, user)
    values = validate(step, obj=obj, data=data, request=request)
    return step.service(**{step.on: obj, "by": user, **values})
