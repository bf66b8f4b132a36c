"""The audit trail: one immutable event per step of a suggestion's life."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Action, Status
from .handling import Assignment
from .suggestions import Suggestion


class ImmutableError(Exception):
    """Raised on any attempt to change or delete an event."""

class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("events are immutable")

    def delete(self):
        raise ImmutableError("events are immutable")


class Event(models.Model):
    """One step of a suggestion's life (who, when, from which state to which, note). Never changes."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.PROTECT, related_name="events")
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the audit trail survives an account being deleted.
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=Status.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["suggestion_id", "created_at", "id"]
        indexes = [
            models.Index(fields=["suggestion", "created_at"], name="event_sugg_created"),
            models.Index(fields=["action", "created_at"], name="event_action_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("events are immutable")
