"""The demo city's deputies: mandates, people, grouping into stations."""

import datetime
import re

import pytest
from django.db.models import Count, Q

from deputies.models import (
    Deputy,
    Level,
    Mandate,
    MembershipRole,
)
from stations.models import Station
from tests.demo.conftest import SCALE

pytestmark = pytest.mark.django_db

CONGRESS = re.compile(
    r"^(第[一二三四五六七八九十]+届全国|.+第[一二三四五六七八九十]+届)人民代表大会$"
)


def test_every_deputy_is_grouped_into_a_station(small_city):
    assert Deputy.objects.count() == small_city["deputies"] == round(8984 * SCALE)
    assert not Deputy.objects.filter(memberships__isnull=True).exists()


def test_every_station_has_exactly_one_head(small_city):
    heads = Station.objects.annotate(
        heads=Count("memberships", filter=Q(memberships__role=MembershipRole.HEAD))
    ).values_list("name", "heads")
    assert heads
    assert {name: n for name, n in heads if n != 1} == {}


def test_deputies_hold_mandates_at_all_five_levels_with_real_looking_congresses(small_city):
    levels = set(Mandate.objects.values_list("level", flat=True))
    assert levels == set(Level.values)
    assert Mandate.objects.filter(level=Level.CITY, congress="长治市第十五届人民代表大会").exists()
    assert Mandate.objects.filter(level=Level.COUNTY, congress="潞州区第二届人民代表大会").exists()
    for congress in Mandate.objects.values_list("congress", flat=True).distinct():
        assert CONGRESS.match(congress), congress
    assert not Deputy.objects.filter(mandates__isnull=True).exists()
    # Some people sit in two congresses; nobody is a township deputy of a 街道 (it has no congress).
    assert Deputy.objects.annotate(n=Count("mandates")).filter(n__gt=1).exists()
    assert not Mandate.objects.filter(level=Level.TOWNSHIP, congress__contains="街道").exists()


def test_people_look_real(small_city):
    deputies = list(Deputy.objects.all())
    assert all(2 <= len(d.name) <= 4 for d in deputies)
    assert all(re.fullmatch(r"1[3-9]\d{9}", d.phone) for d in deputies)
    assert all(
        d.birth_date and datetime.date(1960, 1, 1) <= d.birth_date <= datetime.date(1998, 12, 31)
        for d in deputies
    )
    assert all(d.occupation and d.employer for d in deputies)
    assert len({d.name[0] for d in deputies}) > 20
    assert {d.gender for d in deputies} == {"male", "female"}
    assert any(d.is_leading_official for d in deputies)
