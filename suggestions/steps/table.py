"""The steps, in the order a suggestion meets them. Adding a step: one line here and its
service; the API, the web pages and the admin offer it from this table."""

from django.utils.translation import gettext_lazy as _
from rest_framework.parsers import FormParser, MultiPartParser

from liaison.api.parsers import DepthLimitedJSONParser
from liaison.models import Role, User
from liaison.regions import lineage
from stations.models import Region
from suggestions.models import Action
from suggestions.redaction import publish_preview
from suggestions.selectors import unit_list
from suggestions.services import closing, extensions, handling, intake, oversight, routing
from suggestions.steps import ASSIGNMENT, SUGGESTION, Step
from suggestions.steps import inputs as i


def _active_units(obj, user):
    return unit_list(user=user).filter(is_active=True).order_by("region_id", "name")


def _own_deputies(suggestion, user):
    return suggestion.deputies.order_by("name", "pk")


def _regions_above(suggestion, user):
    # 转报至: above the caller's own congress, the nearest first (the default when left empty)
    codes = lineage(routing.own_region(user, suggestion))[:-1]
    return Region.objects.filter(code__in=codes).order_by("-code")


def _proposed_route(suggestion, user):
    return suggestion.route_proposal or None


def _leaders_above(suggestion, user):
    return User.objects.filter(
        role=Role.LEADER, is_active=True, region_id__in=lineage(suggestion.handling_region_id)
    ).order_by("region_id", "username")


def _public_title(suggestion, user):
    return suggestion.public_title or publish_preview(suggestion).title


def _public_content(suggestion, user):
    return suggestion.public_content or publish_preview(suggestion).content


STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        # 梳理: review what came in
        Step(Action.ACCEPT, SUGGESTION, i.AcceptSerializer, intake.suggestion_accept,
             confirm=_("受理此事项，进入交办？"), initial={"route_proposal": _proposed_route},
             description="submitted → accepted；可同时确认或改定五分类（route_proposal）"),
        Step(Action.DECLINE, SUGGESTION, i.DeclineSerializer, intake.suggestion_decline,
             confirm=_("不予受理此事项？提出人将看到理由。"), description="submitted → declined，须写明理由"),
        Step(Action.RESOLVE_ON_SPOT, SUGGESTION, i.ResolveOnSpotSerializer, intake.suggestion_resolve_on_spot,
             confirm=_("此事项已当场解决（代表即办）？"),
             description=(
                 "submitted → replied：当场解决，note 即答复内容。工作人员，或接待代表（接待时录入或群众通过其二维码"
                 "提交的群众意见上的代表）、代表建议的领衔代表可用；工作人员代代表即办代表建议时，办理记录注明代办"
                 "（data.on_behalf_of）。"
             )),
        Step(Action.REOPEN, SUGGESTION, i.NoteSerializer, routing.suggestion_reopen,
             confirm=_("撤销代表即办，退回已受理，另行交办？"),
             description="replied → accepted：代表即办的事项（route=on_spot）由工作人员撤销即办、另行交办；其他事项 409"),
        Step(Action.MERGE, SUGGESTION, i.MergeSerializer, intake.suggestion_merge,
             confirm=_("把此事项并入另一件？提出人凭原查询码跟踪并入后的事项。"),
             description="submitted → merged：并入另一件（id 或查询码），提出人凭原查询码跟踪其进展"),
        Step(Action.CONVERT, SUGGESTION, i.ConvertSerializer, intake.suggestion_convert_to_deputy_suggestion,
             confirm=_("把此群众意见转为代表的闭会建议？"), creates=True, choices={"deputies": _own_deputies},
             description="群众意见转为代表的闭会建议：返回新建的代表建议（201）；原意见标记为并入该建议，群众凭原查询码跟踪"),
        Step(Action.ESCALATE, SUGGESTION, i.EscalateSerializer, routing.suggestion_escalate,
             confirm=_("把此事项转报上级人大常委会？"), choices={"to_region": _regions_above},
             description=(
                 "→ submitted，交上级人大常委会工作人员审核（escalated_to）：默认为本人所在人大的上一级"
                 "（乡镇→县、县→市、市→省），不越级；指定 to_region 时可更高，但不能是本级或下级（400）。"
                 "原区划仍可查看办理过程和结果。"
             )),
        # 附议: a deputy asked to co-sign answers
        Step(Action.COSIGN, SUGGESTION, i.CosignSerializer, routing.suggestion_cosign,
             confirm=_("确认是否附议此建议？"),
             description="被邀请附议的代表确认（agree=true，成为附议代表）或谢绝（agree=false）；状态不变"),
        # 交: assign
        Step(Action.ASSIGN, SUGGESTION, i.AssignSerializer, handling.suggestion_assign,
             confirm=_("按所选单位和期限交办？"), choices={"lead_unit": _active_units, "co_units": _active_units},
             initial={"route": _proposed_route},
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
        Step(Action.REQUEST_EXTENSION, ASSIGNMENT, i.ExtensionRequestSerializer, extensions.assignment_request_extension,
             confirm=_("申请延长办理期限？每项交办只能申请一次。"),
             description="延期：承办单位在期限届满前申请一次，写明延至日期和理由；由工作人员审批"),
        Step(Action.DECIDE_EXTENSION, ASSIGNMENT, i.ExtensionDecisionSerializer, extensions.assignment_decide_extension,
             confirm=_("提交延期审批意见？"),
             description="工作人员审批延期申请：同意则办理期限改为申请的日期，到期提醒按新期限重新发送"),
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
        Step(Action.SIGN_OFF, SUGGESTION, i.NoteSerializer, closing.suggestion_sign_off,
             confirm=_("回头看均已完成，销号？"),
             description="销号：全部回头看完成后，replied → closed（已办结的事项记销号时间），设置 signed_off_at"),
        Step(Action.PUBLISH, SUGGESTION, i.EmptySerializer, closing.suggestion_publish,
             confirm=_("公开公示此事项的办理结果？"), description="已办结的意见建议公开公示"),
        Step(Action.PUBLISH, SUGGESTION, i.PublishSerializer, closing.suggestion_publish,
             confirm=_("按以下标题和内容公开公示此事项的办理结果？请确认已隐去个人信息。"), initial={"public_title": _public_title, "public_content": _public_content},
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
#: suggestions at once, 回头看 completes a follow-up record. (批量交办, `suggestions/batch-assign/`,
#: is the assign step taken on each of several suggestions: `suggestions.api.batch`.)
NOT_ON_ONE_OBJECT = frozenset({Action.BUNDLE, Action.FOLLOW_UP})


def steps_on(kind: str) -> list[Step]:
    return [step for step in STEPS.values() if step.on == kind]
