"""The steps, in the order a suggestion meets them. Adding a step: one line here and its
service; the API, the web pages and the admin offer it from this table."""

from django.utils.translation import gettext_lazy as _
from rest_framework.parsers import FormParser, MultiPartParser

from liaison.api.parsers import DepthLimitedJSONParser
from liaison.models import Role, User
from liaison.regions import lineage
from suggestions.models import Action
from suggestions.redaction import publish_preview
from suggestions.selectors import unit_list
from suggestions.services import closing, handling, intake, oversight
from suggestions.steps import ASSIGNMENT, SUGGESTION, Step
from suggestions.steps import inputs as i


def _active_units(obj, user):
    return unit_list(user=user).filter(is_active=True).order_by("region_id", "name")


def _own_deputies(suggestion, user):
    return suggestion.deputies.order_by("name", "pk")


def _leaders_above(suggestion, user):
    return User.objects.filter(
        role=Role.LEADER, is_active=True, region_id__in=lineage(suggestion.handling_region_id)
    ).order_by("region_id", "username")


def _publish_preview(suggestion, user):
    if suggestion.public_title:
        return {"public_title": suggestion.public_title, "public_content": suggestion.public_content}
    preview = publish_preview(suggestion)
    return {"public_title": preview.title, "public_content": preview.content}


STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        # 梳理: review what came in
        Step(Action.ACCEPT, SUGGESTION, i.NoteSerializer, intake.suggestion_accept,
             confirm=_("受理此事项，进入交办？"), description="submitted → accepted"),
        Step(Action.DECLINE, SUGGESTION, i.DeclineSerializer, intake.suggestion_decline,
             confirm=_("不予受理此事项？提出人将看到理由。"), description="submitted → declined，须写明理由"),
        Step(Action.RESOLVE_ON_SPOT, SUGGESTION, i.ResolveOnSpotSerializer, intake.suggestion_resolve_on_spot,
             confirm=_("此事项已当场解决（代表即办）？"), description="submitted → replied：当场解决，note 即答复内容"),
        Step(Action.MERGE, SUGGESTION, i.MergeSerializer, intake.suggestion_merge,
             confirm=_("把此事项并入另一件？提出人凭原查询码跟踪并入后的事项。"),
             description="submitted → merged：并入另一件（id 或查询码），提出人凭原查询码跟踪其进展"),
        Step(Action.CONVERT, SUGGESTION, i.ConvertSerializer, intake.suggestion_convert_to_deputy_suggestion,
             confirm=_("把此群众意见转为代表的闭会建议？"), creates=True, choices={"deputies": _own_deputies},
             description="群众意见转为代表的闭会建议：返回新建的代表建议（201）；原意见标记为并入该建议，群众凭原查询码跟踪"),
        Step(Action.ESCALATE, SUGGESTION, i.EscalateSerializer, intake.suggestion_escalate,
             confirm=_("把此事项转报上级人大常委会？"), description="交上一级（或指定上级）人大常委会工作人员审核"),
        # 交: assign
        Step(Action.ASSIGN, SUGGESTION, i.AssignSerializer, handling.suggestion_assign,
             confirm=_("按所选单位和期限交办？"), choices={"lead_unit": _active_units, "co_units": _active_units},
             description="accepted → assigned：主办单位一个、协办单位若干，期限按工作日"),
        # 办: the units' steps on their assignment
        Step(Action.SIGN, ASSIGNMENT, i.EmptySerializer, handling.assignment_sign,
             confirm=_("签收此交办任务？"), description="pending → signed；意见建议进入办理中"),
        Step(Action.RETURN, ASSIGNMENT, i.ReturnSerializer, handling.assignment_return,
             confirm=_("退回此交办任务？须写明理由。"),
             description="pending → returned（须写明理由，在退回期限内）；由工作人员重新交办"),
        Step(Action.CONTACT, ASSIGNMENT, i.ContactBodySerializer, handling.assignment_contact,
             confirm=_("记录一次与代表的见面沟通？"), description="记录办前、办中、办后与代表见面沟通"),
        Step(Action.REPLY, ASSIGNMENT, i.ReplyWithFilesSerializer, handling.assignment_reply,
             confirm=_("提交答复？提交后不能修改。"),
             api_request={"application/json": i.ReplySerializer, "multipart/form-data": i.ReplyWithFilesSerializer},
             parsers=(DepthLimitedJSONParser, MultiPartParser, FormParser),
             description=(
                 "→ replied；主办单位答复后意见建议变为已答复。附答复函等材料时用 multipart/form-data，"
                 "文件放在 attachments 字段（可多个）；任一文件类型或大小不符则整个答复不保存（400）。"
             )),
        # 督: supervise
        Step(Action.SUPERVISE, SUGGESTION, i.SuperviseSerializer, oversight.suggestion_supervise,
             confirm=_("设置督办？"), choices={"leader": _leaders_above},
             description="交办后、办理中可设一般督办或重点督办（领衔督办人）"),
        Step(Action.URGE, SUGGESTION, i.NoteSerializer, oversight.suggestion_urge,
             confirm=_("催办承办单位？"), description="记录催办并通知承办单位"),
        # 评: evaluate, close, tell the voter, publish
        Step(Action.EVALUATE, SUGGESTION, i.EvaluateSerializer, closing.suggestion_evaluate,
             confirm=_("提交评价？不满意将退回重新办理。"), choices={"deputy": _own_deputies},
             description="replied → closed（满意、基本满意），或 unsatisfied 退回重新办理（新期限）"),
        Step(Action.CLOSE, SUGGESTION, i.NoteSerializer, closing.suggestion_close,
             confirm=_("不经评价直接办结？"), description="replied → closed，不经评价（仅工作人员）"),
        Step(Action.FEEDBACK, SUGGESTION, i.FeedbackBodySerializer, closing.suggestion_feedback,
             confirm=_("记录已把结果告知群众？"), description="记录已将结果告知群众（计入反馈率）；已答复、已办结时可用"),
        Step(Action.PUBLISH, SUGGESTION, i.PublishSerializer, closing.suggestion_publish,
             confirm=_("按以下标题和内容公开公示此事项的办理结果？请确认已隐去个人信息。"), initial=_publish_preview,
             description=(
                 "已办结，或已答复且已反馈的事项公开公示，公开 public_title、public_content"
                 "（先用 GET publish-preview/ 取打码后的预览，核对修改后提交；留空则公开预览内容）"
             )),
        Step(Action.REHANDLE, SUGGESTION, i.RehandleSerializer, closing.suggestion_rehandle,
             confirm=_("退回重新办理？主办单位将获得新的办理期限。"),
             description="群众评价不满意后，工作人员核实后退回重办：replied/closed → handling（主办单位重新办理），即办的 → accepted"),
    )
}

#: Actions of the workflow's table that are not a step on one object: 打捆督办 takes several
#: suggestions at once, 回头看 completes a follow-up record.
NOT_ON_ONE_OBJECT = frozenset({Action.BUNDLE, Action.FOLLOW_UP})


def steps_on(kind: str) -> list[Step]:
    return [step for step in STEPS.values() if step.on == kind]
