"""Excel and CSV in and out for suggestions (意见建议): the record book (登记簿) exported, and
historical record books imported; conventions as in `liaison/importing/`.

One sheet layout for both directions: an export can be imported again unchanged (every row is
skipped: its 编号 is known), and an office's historical record book typed into the same columns
is imported through `suggestions.services.history.suggestion_import_historical`, which writes each row
in its final state with the assignments, evaluation, feedback and dated events the workflow
would have made. Rows are keyed by 编号 (the product's tracking code, for rows that came from
the product) or by 原编号 (the book's own number, so a book imported twice is refused, not
counted twice). A new row leaves 编号 empty.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from import_export import fields

from deputies.models import Deputy
from liaison.importing.cells import cell_text, split_list
from liaison.importing.references import NameIndex, namesakes_of, ref_text
from liaison.importing.resources import LiaisonResource
from liaison.importing.widgets import (
    BoolWidget,
    ChoiceWidget,
    DateWidget,
    PhoneWidget,
    RegionWidget,
    TextWidget,
)
from stations.models import Station
from suggestions.models import (
    Action,
    Assignment,
    AssignmentRole,
    Category,
    Evaluation,
    Event,
    Feedback,
    FeedbackChannel,
    Rating,
    Result,
    Route,
    Status,
    Suggestion,
    SuggestionDeputy,
    SuggestionKind,
    Supervision,
    Unit,
)
from suggestions.privacy import submitter_for
from suggestions.services.history import suggestion_import_historical

_HISTORY_HELP = (
    _l("一行一件意见建议；编号留空表示新记录（导入后自动生成查询码），原编号填登记簿上的编号，用于防止重复导入。"),
    _l("必填列：标题、内容、区划代码、状态、提出日期。状态可填：已提交、已受理、不予受理、已交办、办理中、已答复、已办结。"),
    _l("已交办及以后的事项填写办理方式、主办单位（协办单位多个用分号分隔）、交办日期；已答复、已办结的填写办理结果（A、B、C、D）、答复内容、答复日期；已办结的填写办结日期，可填满意度（满意、基本满意）。"),
    _l("代表填姓名（领衔在前，分号分隔），重名时写成 姓名#编号；承办单位、站点同理。日期写成 2023-03-01。"),
    _l("整个文件一次导入：任何一行有误则全部不导入，并逐行列出错误。"),
)


class SuggestionResource(LiaisonResource):
    """意见建议登记簿. Export: the rows of the changelist (the user's region). Import: historical
    rows, each through `suggestion_import_historical`; rows whose 编号 exists are skipped."""

    code = fields.Field(attribute="code", column_name="编号", widget=TextWidget())
    source_no = fields.Field(column_name="原编号", widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name="类型", widget=ChoiceWidget(SuggestionKind))
    title = fields.Field(attribute="title", column_name="标题", widget=TextWidget())
    content = fields.Field(attribute="content", column_name="内容", widget=TextWidget())
    category = fields.Field(column_name="类别", widget=TextWidget())
    region = fields.Field(attribute="region", column_name="区划代码", widget=RegionWidget())
    region_name = fields.Field(attribute="region__name", column_name="区划名称", readonly=True)
    station = fields.Field(column_name="站点", widget=TextWidget())
    submitter_name = fields.Field(attribute="submitter_name", column_name="提出人", widget=TextWidget())
    submitter_phone = fields.Field(attribute="submitter_phone", column_name="联系电话", widget=PhoneWidget())
    deputies = fields.Field(column_name="代表", widget=TextWidget())
    status = fields.Field(attribute="status", column_name="状态", widget=ChoiceWidget(Status))
    route = fields.Field(attribute="route", column_name="办理方式", widget=ChoiceWidget(Route))
    lead_unit = fields.Field(column_name="主办单位", widget=TextWidget())
    co_units = fields.Field(column_name="协办单位", widget=TextWidget())
    deadline = fields.Field(column_name="办理期限", widget=DateWidget())
    result = fields.Field(
        attribute="result", column_name="办理结果",
        widget=ChoiceWidget(Result, aliases={str(label)[2:]: value for value, label in Result.choices}),
    )
    reply = fields.Field(column_name="答复内容", widget=TextWidget())
    rating = fields.Field(column_name="满意度", widget=ChoiceWidget(Rating))
    comment = fields.Field(column_name="评价意见", widget=TextWidget())
    supervision = fields.Field(
        attribute="supervision", column_name="督办", widget=ChoiceWidget(Supervision, blank=Supervision.NONE)
    )
    submitted_on = fields.Field(column_name="提出日期", widget=DateWidget())
    accepted_on = fields.Field(column_name="受理日期", widget=DateWidget())
    assigned_on = fields.Field(column_name="交办日期", widget=DateWidget())
    replied_on = fields.Field(column_name="答复日期", widget=DateWidget())
    closed_on = fields.Field(column_name="办结日期", widget=DateWidget())
    fed_back_on = fields.Field(column_name="反馈日期", widget=DateWidget())
    feedback_channel = fields.Field(column_name="反馈方式", widget=ChoiceWidget(FeedbackChannel))
    decline_reason = fields.Field(column_name="不予受理理由", widget=TextWidget())
    is_public = fields.Field(attribute="is_public", column_name="公示", widget=BoolWidget())

    what = _l("意见建议")
    import_help = _HISTORY_HELP

    class Meta:
        model = Suggestion
        fields = (
            "code", "source_no", "kind", "title", "content", "category", "region", "region_name", "station",
            "submitter_name", "submitter_phone", "deputies", "status", "route", "lead_unit", "co_units",
            "deadline", "result", "reply", "rating", "comment", "supervision", "submitted_on", "accepted_on",
            "assigned_on", "replied_on", "closed_on", "fed_back_on", "feedback_channel", "decline_reason",
            "is_public",
        )
        import_order = export_order = fields
        report_skipped = True

    def __init__(self, user=None, **kwargs):
        super().__init__(user, **kwargs)
        self.stations = NameIndex(self.scoped_by(Station.objects.all(), "region__code"), what=_("站点"))
        self.units = NameIndex(self.scoped_by(Unit.objects.all(), "region__code"), what=_("承办单位"))
        self.deputy_index = NameIndex(self.scoped_by(Deputy.objects.all(), "region__code"), what=_("代表"))
        self._categories: dict[str, Category] | None = None

    def required_fields(self, headers):
        return ("title", "content", "region", "status", "submitted_on")

    # --- import -----------------------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        if self.user is None or not getattr(self.user, "is_authenticated", False):
            raise ValidationError(_("历史记录须由工作人员账号导入。"))
        super().before_import(dataset, **kwargs)

    def find_by_natural_key(self, row):
        code = self._cell(row, "code").upper()
        if code:
            found = self.scoped(Suggestion.objects.all()).filter(code=code).first()
            if found is None:
                raise ValidationError(
                    {"code": _("编号「%(code)s」不存在或不在您的管辖范围内；新记录请将编号留空。") % {"code": code}}
                )
            return found
        return None

    def natural_key(self, row):
        number = self._cell(row, "source_no")
        return ("source_no", number) if number else None

    def _cell(self, row, name) -> str:
        try:
            return cell_text(row.get(self.fields[name].column_name))
        except ValueError:
            return ""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return instance.pk is not None  # a row that came from the product: already there

    def import_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            return
        errors: dict[str, list[str]] = {}
        values: dict = {}

        def take(name, parse):
            column = self.fields[name].column_name
            if column not in row:
                return
            try:
                values[name] = parse(row[column])
            except ValueError as exc:
                errors[name] = [str(exc)]

        def widget(name):
            return lambda value: self.fields[name].widget.clean(value, row=row)

        for name in (
            "kind", "title", "content", "region", "submitter_name", "submitter_phone", "status", "route",
            "deadline", "result", "reply", "rating", "comment", "supervision", "submitted_on", "accepted_on",
            "assigned_on", "replied_on", "closed_on", "fed_back_on", "feedback_channel", "decline_reason",
            "is_public", "source_no",
        ):
            take(name, widget(name))
        region = values.get("region")
        region_code = region.code if region is not None else None
        take("category", lambda value: self._category(cell_text(value)))
        take("station", lambda value: self._ref(self.stations, value, region_code))
        take("lead_unit", lambda value: self._ref(self.units, value, region_code))
        take("co_units", lambda value: [self.units.resolve(t, region_code=region_code) for t in split_list(value) if t])
        take("deputies", lambda value: [self.deputy_index.resolve(t, region_code=region_code) for t in split_list(value) if t])
        if region is None and "region" not in errors:
            errors["region"] = [_("请填写区划代码。")]
        if not values.get("status") and "status" not in errors:
            errors["status"] = [_("请填写状态。")]
        if errors:
            raise ValidationError(errors)
        values["kind"] = values.get("kind") or SuggestionKind.OPINION
        values["supervision"] = values.get("supervision") or Supervision.NONE
        values["is_public"] = bool(values.get("is_public"))
        instance._historical = values

    def _category(self, name: str):
        if not name:
            return None
        if self._categories is None:
            self._categories = {c.name: c for c in Category.objects.all()}
        category = self._categories.get(name)
        if category is None:
            raise ValueError(_("类别「%(name)s」不存在，请先在“建议类别”中添加。") % {"name": name})
        return category

    def _ref(self, index, value, region_code):
        text = cell_text(value)
        return index.resolve(text, region_code=region_code) if text else None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        values = getattr(instance, "_historical", None)
        if values is None:
            return
        saved = suggestion_import_historical(by=self.user, **values)
        instance.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
        instance._state.adding = False

    def save_m2m(self, instance, row, **kwargs):
        return  # the service wrote the relations

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        return  # import_instance reads every cell

    # --- export -----------------------------------------------------------------------
    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        rows = self.filter_export(queryset).select_related("category", "region", "station").prefetch_related(
            Prefetch("deputy_links", queryset=SuggestionDeputy.objects.select_related("deputy").order_by("order", "id")),
            Prefetch("assignments", queryset=Assignment.objects.active().select_related("unit").order_by("role", "id")),
            Prefetch("evaluations", queryset=Evaluation.objects.order_by("-round", "-id")),
            Prefetch("feedbacks", queryset=Feedback.objects.order_by("created_at", "id")),
            Prefetch(
                "events",
                queryset=Event.objects.filter(action__in=[Action.SUBMIT, Action.ACCEPT, Action.DECLINE]).order_by("created_at", "id"),
                to_attr="export_events",
            ),
        )
        rows = list(rows)
        self._namesakes = {
            Unit: namesakes_of(Unit, [a.unit.name for s in rows for a in s.assignments.all()]),
            Station: namesakes_of(Station, [s.station.name for s in rows if s.station_id]),
            Deputy: namesakes_of(Deputy, [link.deputy.name for s in rows for link in s.deputy_links.all()]),
        }
        return super().export(queryset=rows, **kwargs)

    def _name(self, obj, region_code):
        namesakes = getattr(self, "_namesakes", {}).get(type(obj), {}).get(obj.name, [obj])
        return ref_text(obj, region_code=region_code, namesakes=namesakes)

    def _event(self, suggestion, action):
        for event in getattr(suggestion, "export_events", []):
            if event.action == action:
                return event
        return None

    def _assignments(self, suggestion, role):
        if suggestion.pk is None:
            return []
        return [a for a in suggestion.assignments.all() if a.role == role]

    @staticmethod
    def _date(value):
        return timezone.localtime(value).date().isoformat() if value else ""

    def dehydrate_submitter_name(self, suggestion):
        # The one rule (suggestions/privacy.py), as on every page and API field.
        return submitter_for(self.user, suggestion).name

    def dehydrate_submitter_phone(self, suggestion):
        return submitter_for(self.user, suggestion).phone

    def dehydrate_source_no(self, suggestion):
        event = self._event(suggestion, Action.SUBMIT)
        return (event.data or {}).get("source_no", "") if event is not None else ""

    def dehydrate_category(self, suggestion):
        return suggestion.category.name if suggestion.category_id else ""

    def dehydrate_station(self, suggestion):
        return self._name(suggestion.station, suggestion.region_id) if suggestion.station_id else ""

    def dehydrate_deputies(self, suggestion):
        if suggestion.pk is None:
            return ""
        return ";".join(self._name(link.deputy, suggestion.region_id) for link in suggestion.deputy_links.all())

    def dehydrate_lead_unit(self, suggestion):
        return ";".join(self._name(a.unit, suggestion.region_id) for a in self._assignments(suggestion, AssignmentRole.LEAD))

    def dehydrate_co_units(self, suggestion):
        return ";".join(self._name(a.unit, suggestion.region_id) for a in self._assignments(suggestion, AssignmentRole.CO))

    def dehydrate_deadline(self, suggestion):
        leads = self._assignments(suggestion, AssignmentRole.LEAD)
        return leads[0].deadline.isoformat() if leads else ""

    def dehydrate_reply(self, suggestion):
        leads = self._assignments(suggestion, AssignmentRole.LEAD)
        if leads:
            return leads[0].reply
        if suggestion.route == Route.ON_SPOT and suggestion.pk is not None:
            event = suggestion.events.filter(action=Action.RESOLVE_ON_SPOT).order_by("-created_at").first()
            return event.note if event is not None else ""
        return ""

    def _evaluation(self, suggestion):
        if suggestion.pk is None:
            return None
        evaluations = list(suggestion.evaluations.all())
        return evaluations[0] if evaluations else None

    def dehydrate_rating(self, suggestion):
        evaluation = self._evaluation(suggestion)
        return str(Rating(evaluation.rating).label) if evaluation is not None else ""

    def dehydrate_comment(self, suggestion):
        evaluation = self._evaluation(suggestion)
        return evaluation.comment if evaluation is not None else ""

    def dehydrate_submitted_on(self, suggestion):
        return self._date(suggestion.created_at)

    def dehydrate_accepted_on(self, suggestion):
        event = self._event(suggestion, Action.ACCEPT) or self._event(suggestion, Action.DECLINE)
        return self._date(event.created_at) if event is not None else ""

    def dehydrate_assigned_on(self, suggestion):
        leads = self._assignments(suggestion, AssignmentRole.LEAD)
        return self._date(leads[0].created_at) if leads else ""

    def dehydrate_replied_on(self, suggestion):
        return self._date(suggestion.replied_at)

    def dehydrate_closed_on(self, suggestion):
        return self._date(suggestion.closed_at)

    def dehydrate_fed_back_on(self, suggestion):
        return self._date(suggestion.fed_back_at)

    def dehydrate_feedback_channel(self, suggestion):
        if suggestion.pk is None:
            return ""
        feedbacks = list(suggestion.feedbacks.all())
        return str(FeedbackChannel(feedbacks[0].channel).label) if feedbacks else ""

    def dehydrate_decline_reason(self, suggestion):
        event = self._event(suggestion, Action.DECLINE)
        return event.note if event is not None else ""
