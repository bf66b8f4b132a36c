"""What the suggestion pages share: the page size, the service errors a page shows as a
message, a safe `next`, a service's ValidationError on a form, the role check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from liaison.errors import DomainError
from suggestions import workflow

PAGE_SIZE = 20
WORKFLOW_ERRORS = (workflow.WorkflowError, DomainError)


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form."""
    aliases = {"file": "attachments", "deputies": "co_signers"}
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            field = field if field in form.fields else aliases.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def role_required(request, *roles: str) -> None:
    user = request.user
    if user.is_superuser:
        return
    if user.role not in roles:
        raise PermissionDenied(_("您的账号无权使用此页面。"))
