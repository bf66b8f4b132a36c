"""The workflow steps as API actions: `POST suggestions/{id}/<step>/` and
`POST assignments/{id}/<step>/`, one per entry of `suggestions.steps.table.STEPS`.

Each endpoint finds its object through the viewset (a suggestion the caller cannot see is a
404), hands the body to `suggestions.steps.perform`, and answers with the object as a read
shows it (201 with the new suggestion for a step that creates one).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from suggestions.api.base import CONFLICT
from suggestions.steps import Step, perform
from suggestions.steps.table import steps_on


def step_endpoint(step: Step, *, answer):
    code = status.HTTP_201_CREATED if step.creates else status.HTTP_200_OK
    options = {"parser_classes": list(step.parsers)} if step.parsers else {}

    def endpoint(self, request, pk=None):
        result = perform(step, obj=self.get_object(), user=request.user, data=request.data, request=request)
        return self._answer(result, code)

    endpoint.__name__ = endpoint.__qualname__ = step.method_name
    endpoint.__doc__ = f"{step.label}：{step.description}"
    schema = extend_schema(
        summary=step.label,
        description=step.description,
        request=step.api_request or step.input,
        responses={code: answer, 409: CONFLICT},
        tags=["workflow"],
    )
    return schema(action(detail=True, methods=["post"], url_path=step.url_path, url_name=step.url_path, **options)(endpoint))


def with_steps(kind: str, *, answer):
    """Give a viewset one action per step taken on `kind` ("suggestion" or "assignment")."""

    def decorate(viewset):
        for step in steps_on(kind):
            setattr(viewset, step.method_name, step_endpoint(step, answer=answer))
        return viewset

    return decorate
