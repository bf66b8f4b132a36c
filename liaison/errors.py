"""Domain errors: what a service refuses, independent of how the caller reached it.

A service raises a `DomainError` subclass; the API's exception handler
(`liaison.api.exceptions.exception_handler`) turns any of them into
`{"detail": <message>, "code": <code>}` with the class's `status_code`, and the web views
and the admin show the message. Subclass it in the app that owns the rule, e.g.::

    class InvalidTransition(DomainError):
        status_code = 409
        code = "invalid_transition"
        default_message = _("当前状态下不能执行该操作。")
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused an operation. Nothing was changed."""

    #: The HTTP status the API answers with.
    status_code: int = 400
    #: A stable machine-readable code, part of the API contract.
    code: str = "domain_error"
    default_message = _("操作不被允许。")

    def __init__(self, message=None, *, code: str | None = None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class Conflict(DomainError):
    """The operation conflicts with the current state of the data (409)."""

    status_code = 409
    code = "conflict"
    default_message = _("操作与当前数据状态冲突。")
