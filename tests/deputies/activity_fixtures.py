"""Shared fixtures of the duty-activity tests: a deputy with an account, staff of their county
and of another county, and a small PNG a phone would send."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.models import Role
from tests.factories import DeputyFactory, StationFactory, StationMembershipFactory, UserFactory


def png(name="photo.png") -> SimpleUploadedFile:
    stream = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(stream, "PNG")
    return SimpleUploadedFile(name, stream.getvalue(), content_type="image/png")


@pytest.fixture
def people(changzhi):
    return make_people(changzhi)


def make_people(changzhi) -> dict:
    station = StationFactory(region=changzhi["township"], name="太东街道代表联络站")
    deputy = DeputyFactory(region=changzhi["township"], name="王秀英",
                           user=UserFactory(username="wang", role=Role.DEPUTY, region=None))
    StationMembershipFactory(deputy=deputy, station=station)
    return {
        **changzhi, "station": station, "deputy": deputy,
        "staff": UserFactory(username="staff", role=Role.STAFF, region=changzhi["county"]),
        "stranger": UserFactory(username="stranger", role=Role.STAFF, region=changzhi["other_county"]),
        "leader": UserFactory(username="leader", role=Role.LEADER, region=changzhi["county"]),
    }
