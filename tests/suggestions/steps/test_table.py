"""The step table: every declaration can be taken, and every workflow action is declared."""

import pytest
from rest_framework import serializers

from suggestions import workflow
from suggestions.models import Action
from suggestions.services.intake import suggestion_accept
from suggestions.steps import SUGGESTION, Step, check
from suggestions.steps.inputs import NoteSerializer
from suggestions.steps.table import NOT_ON_ONE_OBJECT, STEPS


@pytest.mark.parametrize("action", list(STEPS))
def test_every_step_has_an_input_and_a_service_that_takes_it(action):
    assert check(STEPS[action]) == []


def test_a_step_without_a_service_is_caught():
    assert check(Step(Action.ACCEPT, SUGGESTION, NoteSerializer, None, confirm="?")) == ["accept: no service"]


def test_a_step_without_an_input_serializer_is_caught():
    assert check(Step(Action.ACCEPT, SUGGESTION, dict, suggestion_accept, confirm="?")) == [
        "accept: input is not a serializer"
    ]


def test_a_service_that_does_not_take_an_input_field_is_caught():
    class WithExtra(NoteSerializer):
        priority = serializers.IntegerField()

    assert check(Step(Action.ACCEPT, SUGGESTION, WithExtra, suggestion_accept, confirm="?")) == [
        "accept: suggestion_accept() takes no 'priority'"
    ]


def test_every_action_of_the_workflow_table_is_a_step_or_named_as_not_on_one_object():
    table = set(workflow.SUGGESTION_ACTIONS) | set(workflow.ASSIGNMENT_ACTIONS)
    assert table == set(STEPS) | NOT_ON_ONE_OBJECT
    assert not set(STEPS) & NOT_ON_ONE_OBJECT


@pytest.mark.parametrize("action", list(STEPS))
def test_every_step_says_what_a_person_confirms(action):
    step = STEPS[action]
    assert str(step.confirm).strip() and step.label != step.action
