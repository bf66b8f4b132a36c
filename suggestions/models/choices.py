"""The suggestions app's choices (the values its status and kind columns hold), and the groups
of statuses the workflow, the reads and the statistics speak of, each named once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("政府部门")
    SUPERVISORY = "supervisory", _("监察委员会")
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    TOWNSHIP = "township", _("乡镇（街道）")
    OTHER = "other", _("其他单位")


class SuggestionKind(models.TextChoices):
    OPINION = "opinion", _("群众意见")
    DEPUTY_SUGGESTION = "deputy_suggestion", _("代表建议")


class Session(models.TextChoices):
    IN_SESSION = "in_session", _("大会期间")
    INTERIM = "interim", _("闭会期间")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    MERGED = "merged", _("已并案")
    ASSIGNED = "assigned", _("已交办")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


class Route(models.TextChoices):
    """The five handling routes (五分类)."""

    ON_SPOT = "on_spot", _("代表即办")
    GRASSROOTS = "grassroots", _("基层受理")
    TOWNSHIP = "township", _("乡镇主办")
    DISTRICT = "district", _("区级联动")
    ESCALATE = "escalate", _("上报处办")


class Supervision(models.TextChoices):
    NONE = "none", _("未督办")
    NORMAL = "normal", _("一般督办")
    KEY = "key", _("重点督办")


class Source(models.TextChoices):
    """Where a suggestion came in: feeds the statistics, not the workflow."""

    STAFF = "staff", _("工作人员录入")
    DEPUTY = "deputy", _("代表提交")
    RECEPTION = "reception", _("接待活动")
    PUBLIC = "public", _("群众在线提交")
    API = "api", _("接口")
    IMPORT = "import", _("历史导入")


class Result(models.TextChoices):
    A = "A", _("A 已解决或采纳")
    B = "B", _("B 正在解决或列入计划")
    C = "C", _("C 因条件限制暂不能解决")
    D = "D", _("D 留作参考")


class DeputyRole(models.TextChoices):
    LEAD = "lead", _("领衔")
    CO_SIGNER = "co_signer", _("附议")


class Consent(models.TextChoices):
    """A co-signer's (附议) answer to the request: only `confirmed` ones are co-signers."""

    ASKED = "asked", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已谢绝")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    SIGNED = "signed", _("已签收")
    RETURNED = "returned", _("已退回")
    REPLIED = "replied", _("已答复")


class ContactKind(models.TextChoices):
    """三见面: meeting the deputy before, during and after handling."""

    BEFORE = "before", _("办前见面")
    DURING = "during", _("办中见面")
    AFTER = "after", _("办后见面")


class Action(models.TextChoices):
    """What an event records; the workflow's action names (API.md) plus the system's own."""

    SUBMIT = "submit", _("提交")
    ACCEPT = "accept", _("受理")
    DECLINE = "decline", _("不予受理")
    RESOLVE_ON_SPOT = "resolve_on_spot", _("代表即办")
    MERGE = "merge", _("并案")
    CONVERT = "convert", _("转为闭会建议")
    ESCALATE = "escalate", _("转报上级")
    REOPEN = "reopen", _("撤销即办")
    COSIGN = "cosign", _("附议确认")
    ASSIGN = "assign", _("交办")
    SIGN = "sign", _("签收")
    RETURN = "return", _("退回")
    CONTACT = "contact", _("三见面")
    REPLY = "reply", _("答复")
    SUPERVISE = "supervise", _("督办")
    BUNDLE = "bundle", _("打捆督办")
    URGE = "urge", _("催办")
    EVALUATE = "evaluate", _("评价")
    CLOSE = "close", _("办结")
    FEEDBACK = "feedback", _("反馈")
    PUBLISH = "publish", _("公示")
    FOLLOW_UP = "follow_up", _("回头看")
    SIGN_OFF = "sign_off", _("销号")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    DECIDE_EXTENSION = "decide_extension", _("审批延期")
    REMIND = "remind", _("到期提醒")
    # The voter's own rating by tracking code (no account), and staff sending an item back
    # for re-handling after it (the same re-handling as an unsatisfied evaluation).
    VOTER_RATE = "voter_rate", _("群众评价")
    REHANDLE = "rehandle", _("退回重办")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class FollowUpOutcome(models.TextChoices):
    SOLVED = "solved", _("已解决")
    NOT_SOLVED = "not_solved", _("尚未解决，再次回头看")
    SUPERSEDED = "superseded", _("已重新答复（A）")


class FeedbackChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    IN_PERSON = "in_person", _("当面")
    LETTER = "letter", _("书面")
    ONLINE = "online", _("网络")
    OTHER = "other", _("其他")


class NotificationKind(models.TextChoices):
    DUE = "due", _("即将到期")
    OVERDUE = "overdue", _("已超期")
    LONG_OVERDUE = "long_overdue", _("严重超期")
    ASSIGNED = "assigned", _("新交办")
    SIGNED = "signed", _("已签收")
    RETURNED = "returned", _("被退回")
    REPLIED = "replied", _("已答复")
    SUPERVISED = "supervised", _("督办")
    URGED = "urged", _("催办")
    REHANDLE = "rehandle", _("重新办理")
    EVALUATED = "evaluated", _("已评价")
    NOTICE = "notice", _("通知")
    EXTENSION = "extension", _("延期申请")
    VOTER_UNSATISFIED = "voter_unsatisfied", _("群众不满意")
    VOTER_LETTER = "voter_letter", _("群众来信")


class StatPeriod(models.TextChoices):
    YEAR = "year", _("本年")
    MONTH = "month", _("本月")
    ROLLING = "rolling12", _("近12个月")
    TERM = "term", _("本届")


class StatDimension(models.TextChoices):
    REGION = "region", _("区划")
    STATION = "station", _("站点")
    UNIT = "unit", _("承办单位")
    CATEGORY = "category", _("类别")
    DEPUTY = "deputy", _("代表")


# --- status groups ----------------------------------------------------------------------------
# With its units and not yet answered by the lead unit: the deadline's overdue tier applies.
OPEN_SUGGESTION_STATUSES = (Status.ASSIGNED, Status.HANDLING)
# Assignments are still worked on (and reminded of) until the suggestion is closed.
LIVE_SUGGESTION_STATUSES = (Status.ASSIGNED, Status.HANDLING, Status.REPLIED)
# An assignment still to be answered: what reminders and overdue tiers are about.
OPEN_ASSIGNMENT_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.SIGNED)
# An assignment its unit has signed (and may have answered): the unit is working on it.
SIGNED_ASSIGNMENT_STATUSES = (AssignmentStatus.SIGNED, AssignmentStatus.REPLIED)
