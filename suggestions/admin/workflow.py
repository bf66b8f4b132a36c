"""The workflow steps the suggestion's admin page offers, one form each.

Each button on the suggestion's read-only change page opens a small form whose submission calls
exactly one service (the same the API and the web pages call); a step that is not allowed (any
more) shows the service's message and changes nothing.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.models import Role, User
from liaison.regions import lineage
from suggestions import services as workflow_services
from suggestions.models import Action, FeedbackChannel, Rating, Result, Route, Supervision, Unit
from suggestions.selectors import suggestions_visible_to, unit_list


class _WorkflowForm(forms.Form):
    """A workflow step's input. `perform` calls the step's one service."""

    def __init__(self, *args, suggestion, user, **kwargs):
        self.suggestion = suggestion
        self.user = user
        super().__init__(*args, **kwargs)

    def perform(self):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


def _note(label=None, required=False):
    return forms.CharField(label=label or _("说明"), required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_accept(suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"])


class DeclineForm(_WorkflowForm):
    reason = _note(_("不予受理理由"), required=True)

    def perform(self):
        return workflow_services.suggestion_decline(suggestion=self.suggestion, by=self.user, reason=self.cleaned_data["reason"])


class ResolveOnSpotForm(_WorkflowForm):
    note = _note(_("即办情况"), required=True)
    result = forms.ChoiceField(label=_("办理结果"), choices=Result.choices, initial=Result.A)

    def perform(self):
        return workflow_services.suggestion_resolve_on_spot(
            suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"], result=self.cleaned_data["result"]
        )


class MergeForm(_WorkflowForm):
    into = forms.CharField(label=_("并入事项的查询码"), max_length=16)
    note = _note()

    def clean_into(self):
        code = self.cleaned_data["into"].strip().upper()
        target = suggestions_visible_to(self.user).filter(code=code).first()
        if target is None:
            raise ValidationError(_("查询码不存在或不在您的管辖范围内。"))
        return target

    def perform(self):
        return workflow_services.suggestion_merge(
            suggestion=self.suggestion, by=self.user, into=self.cleaned_data["into"], note=self.cleaned_data["note"]
        )


class AssignForm(_WorkflowForm):
    route = forms.ChoiceField(label=_("办理方式"), choices=Route.choices)
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=Unit.objects.none(), required=False)
    deadline = forms.DateField(label=_("办理期限"), required=False, help_text=_("不填则按办理方式的工作日数计算。"))
    requirements = _note(_("办理要求"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = unit_list(user=self.user).filter(is_active=True).order_by("region_id", "name")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units

    def perform(self):
        data = self.cleaned_data
        return workflow_services.suggestion_assign(
            suggestion=self.suggestion, by=self.user, route=data["route"], lead_unit=data["lead_unit"],
            co_units=list(data["co_units"]), deadline=data["deadline"], requirements=data["requirements"],
        )


class SuperviseForm(_WorkflowForm):
    level = forms.ChoiceField(label=_("督办级别"), choices=[(Supervision.NORMAL, Supervision.NORMAL.label), (Supervision.KEY, Supervision.KEY.label)])
    leader = forms.ModelChoiceField(label=_("领衔督办人"), queryset=User.objects.none(), required=False)
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.filter(
            role=Role.LEADER, is_active=True, region_id__in=lineage(self.suggestion.handling_region_id)
        ).order_by("region_id", "username")

    def perform(self):
        data = self.cleaned_data
        return workflow_services.suggestion_supervise(
            suggestion=self.suggestion, by=self.user, level=data["level"], leader=data["leader"], note=data["note"]
        )


class UrgeForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_urge(suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"])


class EvaluateForm(_WorkflowForm):
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices)
    deputy = forms.ModelChoiceField(
        label=_("评价代表"), queryset=Deputy.objects.none(), required=False,
        help_text=_("代为录入某位代表的评价时选择；不选表示代群众（提出人）录入。"),
    )
    comment = _note(_("评价意见"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = self.suggestion.deputies.all()

    def perform(self):
        data = self.cleaned_data
        return workflow_services.suggestion_evaluate(
            suggestion=self.suggestion, by=self.user, rating=data["rating"], comment=data["comment"], deputy=data["deputy"]
        )


class CloseForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_close(suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"])


class FeedbackForm(_WorkflowForm):
    channel = forms.ChoiceField(label=_("反馈方式"), choices=FeedbackChannel.choices)
    note = _note(_("反馈情况"))

    def perform(self):
        return workflow_services.suggestion_feedback(
            suggestion=self.suggestion, by=self.user, channel=self.cleaned_data["channel"], note=self.cleaned_data["note"]
        )


class PublishForm(_WorkflowForm):
    def perform(self):
        return workflow_services.suggestion_publish(suggestion=self.suggestion, by=self.user)


class ConvertForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_convert_to_deputy_suggestion(
            suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"]
        )


class EscalateForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_escalate(suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"])


# The steps the admin offers, in the table's order (sign/return/contact/reply are the units'
# steps: their officers take them in the unit inbox or the API, not in the admin).
WORKFLOW_FORMS: dict[str, type[_WorkflowForm]] = {
    Action.ACCEPT: AcceptForm,
    Action.DECLINE: DeclineForm,
    Action.RESOLVE_ON_SPOT: ResolveOnSpotForm,
    Action.MERGE: MergeForm,
    Action.CONVERT: ConvertForm,
    Action.ESCALATE: EscalateForm,
    Action.ASSIGN: AssignForm,
    Action.SUPERVISE: SuperviseForm,
    Action.URGE: UrgeForm,
    Action.EVALUATE: EvaluateForm,
    Action.CLOSE: CloseForm,
    Action.FEEDBACK: FeedbackForm,
    Action.PUBLISH: PublishForm,
}
