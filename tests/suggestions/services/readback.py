"""Reading back what a service wrote: the row afresh, the timeline's actions, who was notified."""

from suggestions.models import Event, Notification


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def actions_of(suggestion) -> list[str]:
    return list(Event.objects.filter(suggestion=suggestion).order_by("created_at", "id").values_list("action", flat=True))


def notified(kind=None, **filters) -> set:
    qs = Notification.objects.filter(**filters)
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient__username", flat=True))
