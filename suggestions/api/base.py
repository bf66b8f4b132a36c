"""What the endpoints of the 提-交-办-督-评 workflow share.

`suggestions/`, `assignments/`, `notifications/`, `public/opinions/`, `public/track/{code}/`.
Reads come from the scoped selectors (a suggestion the caller may not see is a 404); every
workflow action validates its body and calls exactly one service, which decides whether
the caller may take the step now (403 `permission_denied` / 409 `invalid_transition`), and
answers with the updated suggestion (or assignment) as a read would show it.
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from liaison.api.meta import register_choices
from liaison.api.schema import ERROR_RESPONSES
from suggestions.models import (
    Action,
    AssignmentRole,
    AssignmentStatus,
    Consent,
    ContactKind,
    DeputyRole,
    FeedbackChannel,
    NotificationKind,
    Rating,
    Result,
    Route,
    Session,
    Source,
    Status,
    SuggestionKind,
    Supervision,
)
from suggestions.selectors import OverdueTier

register_choices("suggestion_kind", SuggestionKind)
register_choices("suggestion_status", Status)
register_choices("suggestion_session", Session)
register_choices("suggestion_source", Source)
register_choices("deputy_role", DeputyRole)
register_choices("cosign_consent", Consent)
register_choices("route", Route)
register_choices("supervision", Supervision)
register_choices("result", Result)
register_choices("rating", Rating)
register_choices("assignment_role", AssignmentRole)
register_choices("assignment_status", AssignmentStatus)
register_choices("contact_kind", ContactKind)
register_choices("feedback_channel", FeedbackChannel)
register_choices("workflow_action", Action)
register_choices("notification_kind", NotificationKind)
register_choices("overdue_tier", OverdueTier)

phone_format_public = RegexValidator(r"^[0-9+\-() ]{5,20}$", _("请填写正确的电话号码（数字，可含 - 和空格）。"))
OVERDUE_TIER_CHOICES = OverdueTier.choices
CONFLICT = ERROR_RESPONSES["409"]


class ActionObjectMixin:
    """Filters and ordering apply to lists only: a workflow action finds its object by id alone
    (query parameters on a POST neither hide the object nor reach annotations it lacks). The
    workflow's errors are `liaison.errors.DomainError`s, answered by the API's exception handler."""

    def filter_queryset(self, queryset):
        if getattr(self, "action", None) not in ("list", "retrieve"):
            return queryset
        return super().filter_queryset(queryset)
