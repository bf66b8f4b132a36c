"""Factories for every model. Tests build what they need here, never from fixture files."""

import datetime

import factory
from django.contrib.auth import get_user_model

from deputies.models import (
    Deputy,
    Gender,
    Level,
    Mandate,
    ProfessionalGroup,
    Reception,
    ReceptionMode,
    StationMembership,
)
from liaison.models import Role
from stations.models import LEVEL_BY_CODE_LENGTH, Region, Station, StationKind
from suggestions.models import Unit, UnitKind


class RegionFactory(factory.django.DjangoModelFactory):
    """A region; give `code` (and `parent`) to place it in the tree. Defaults to a township."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{140403001 + n:09d}")
    name = factory.Sequence(lambda n: f"测试乡镇{n}")
    level = factory.LazyAttribute(lambda o: LEVEL_BY_CODE_LENGTH[len(o.code)])
    parent = None


def region_path(code: str, name: str | None = None) -> Region:
    """Create `code` and every ancestor (by prefix) so subtree queries work as in real data."""
    parent = None
    for length in (2, 4, 6, 9, 12):
        if length > len(code):
            break
        prefix = code[:length]
        parent = RegionFactory(
            code=prefix,
            name=name if prefix == code and name else f"区划{prefix}",
            parent=parent,
        )
    return parent


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    region = None
    is_staff = factory.LazyAttribute(lambda o: o.role in (Role.STAFF, Role.LEADER))
    password = factory.PostGenerationMethodCall("set_password", "pass-1234-word")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"第{n}代表联络站")
    kind = StationKind.STATION
    region = factory.SubFactory(RegionFactory)
    address = factory.Sequence(lambda n: f"幸福路{n}号")
    phone = "0355-2020000"
    opening_hours = "周一至周五 9:00-17:00"


class ProfessionalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfessionalGroup

    name = factory.Sequence(lambda n: f"专业小组{n}")
    region = factory.SubFactory(RegionFactory)


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    name = factory.Sequence(lambda n: f"代表{n}")
    gender = Gender.FEMALE
    ethnicity = "汉族"
    occupation = "教师"
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    region = factory.SubFactory(RegionFactory)


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    deputy = factory.SubFactory(DeputyFactory)
    level = Level.COUNTY
    congress = factory.Sequence(lambda n: f"测试县第{n}届人民代表大会")
    district = "第一选区"
    started_on = datetime.date(2021, 10, 1)


class StationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationMembership

    deputy = factory.SubFactory(DeputyFactory)
    station = factory.SubFactory(StationFactory)


class ReceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reception
        skip_postgeneration_save = True

    station = factory.SubFactory(StationFactory)
    date = datetime.date(2026, 3, 15)
    mode = ReceptionMode.STATION
    visitor_count = 12
    summary = "接待选民，收集意见。"

    @factory.post_generation
    def deputies(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.deputies.set(extracted)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"承办单位{n}")
    kind = UnitKind.DEPARTMENT
    region = factory.SubFactory(RegionFactory)


# --- the suggestion workflow (suggestions.models) ---------------------------------------------
# Rows in a given state for reads and constraints; tests of the workflow itself drive
# suggestions through the services instead, so events and assignments stay consistent.
from suggestions import models as workflow_models  # noqa: E402


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workflow_models.Category
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"类别{n}")
    order = factory.Sequence(lambda n: n)


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workflow_models.Suggestion

    kind = workflow_models.SuggestionKind.OPINION
    title = factory.Sequence(lambda n: f"关于第{n}条道路修缮的意见")
    content = "路面坑洼，雨天积水，群众出行不便。"
    category = factory.SubFactory(CategoryFactory)
    region = factory.SubFactory(RegionFactory)
    submitter_name = "张三丰"
    submitter_phone = "13812345678"
    status = workflow_models.Status.SUBMITTED


class SuggestionDeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workflow_models.SuggestionDeputy

    suggestion = factory.SubFactory(SuggestionFactory)
    deputy = factory.SubFactory(DeputyFactory)
    role = workflow_models.DeputyRole.LEAD


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workflow_models.Assignment

    suggestion = factory.SubFactory(SuggestionFactory, status=workflow_models.Status.ASSIGNED)
    unit = factory.SubFactory(UnitFactory)
    role = workflow_models.AssignmentRole.LEAD
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Made as the services make it: the suggestion's stored lead deadline follows."""
        assignment = super()._create(model_class, *args, **kwargs)
        if assignment.role == workflow_models.AssignmentRole.LEAD:
            workflow_models.sync_lead_deadline(assignment.suggestion)
        return assignment


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workflow_models.Holiday
        django_get_or_create = ("date",)

    date = datetime.date(2030, 10, 1)
    is_workday = False
    note = "国庆节"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workflow_models.Notification

    recipient = factory.SubFactory(UserFactory)
    kind = workflow_models.NotificationKind.NOTICE
    title = factory.Sequence(lambda n: f"通知{n}")
    body = "请及时处理。"


# --- statistics and duty records ----------------------------------------------------------
# Evaluation and Feedback stamp created_at themselves (auto_now_add): pass `at=` to date them.
class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workflow_models.Evaluation
        skip_postgeneration_save = True

    suggestion = factory.SubFactory(SuggestionFactory, status=workflow_models.Status.CLOSED)
    rating = workflow_models.Rating.SATISFIED
    round = 0

    @factory.post_generation
    def at(obj, create, extracted, **kwargs):
        if create and extracted:
            workflow_models.Evaluation.objects.filter(pk=obj.pk).update(created_at=extracted)
            obj.created_at = extracted


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workflow_models.Feedback
        skip_postgeneration_save = True

    suggestion = factory.SubFactory(SuggestionFactory, status=workflow_models.Status.CLOSED)
    channel = workflow_models.FeedbackChannel.PHONE
    note = "已电话告知办理结果。"

    @factory.post_generation
    def at(obj, create, extracted, **kwargs):
        if create and extracted:
            workflow_models.Feedback.objects.filter(pk=obj.pk).update(created_at=extracted)
            obj.created_at = extracted


class DutyActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deputies.DutyActivity"
        skip_postgeneration_save = True

    kind = "inspection"
    title = factory.Sequence(lambda n: f"视察活动{n}")
    date = datetime.date(2026, 4, 10)
    region = factory.SubFactory(RegionFactory)

    @factory.post_generation
    def deputies(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.deputies.set(extracted)


class DutyScoreWeightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deputies.DutyScoreWeight"
        django_get_or_create = ("region", "item")

    region = factory.SubFactory(RegionFactory)
    item = "reception"
    points = 2


class DutyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deputies.DutyReport"

    deputy = factory.SubFactory(DeputyFactory)
    station = factory.SubFactory(StationFactory)
    date = datetime.date(2026, 4, 20)
    attendance = 40
    satisfied = 30
    basically_satisfied = 8
    unsatisfied = 2


class ContactRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deputies.ContactRecord"

    kind = "deputy_voters"
    deputy = factory.SubFactory(DeputyFactory)
    region = factory.LazyAttribute(lambda o: o.deputy.region)
    date = datetime.date(2026, 4, 20)
    people = 5
