"""What the database itself guarantees about suggestions: tracking codes, states, one lead deputy."""

import pytest
from django.db import IntegrityError, transaction

from suggestions.models import TRACKING_CODE_LENGTH, Status, new_tracking_code
from tests.factories import DeputyFactory, SuggestionDeputyFactory, SuggestionFactory


def test_tracking_codes_are_long_random_and_unambiguous():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == TRACKING_CODE_LENGTH and not set(c) & set("01ILO") for c in codes)


def test_a_tracking_code_is_unique(db):
    first = SuggestionFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        SuggestionFactory(code=first.code)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.MERGED},  # merged into nothing
        {"status": Status.CLOSED},  # closed without a date
        {"status": Status.REPLIED, "is_public": True},  # public before it is closed
    ],
)
def test_suggestion_states_the_database_refuses(db, fields):
    with transaction.atomic(), pytest.raises(IntegrityError):
        SuggestionFactory(**fields)


def test_a_suggestion_has_one_lead_deputy(db):
    link = SuggestionDeputyFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        SuggestionDeputyFactory(suggestion=link.suggestion, deputy=DeputyFactory(), role="lead")
    SuggestionDeputyFactory(suggestion=link.suggestion, deputy=DeputyFactory(), role="co_signer")
