"""The read-only admins around the suggestions: events, notifications, supervision bundles."""

from django.urls import reverse

from suggestions.models import Status
from tests.factories import NotificationFactory


def login(client, user):
    client.force_login(user)
    return client


def test_events_and_notifications_are_read_only_and_scoped(client, world):
    mine = world.drive(world.submit(), Status.ASSIGNED)
    world.submit(region=world.other_township, by=world.other_staff, title="外区")
    NotificationFactory(recipient=world.staff, suggestion=mine, title="本区通知")
    login(client, world.staff)
    events = client.get(reverse("admin:suggestions_event_changelist"))
    assert events.status_code == 200
    assert {e.suggestion_id for e in events.context["cl"].result_list} == {mine.pk}
    event = mine.events.first()
    page = client.get(reverse("admin:suggestions_event_change", args=[event.pk])).content.decode()
    assert 'name="_save"' not in page
    assert client.get(reverse("admin:suggestions_event_add")).status_code == 403
    notices = client.get(reverse("admin:suggestions_notification_changelist"))
    assert "本区通知" in notices.content.decode()


def test_bundles_are_listed_read_only(client, world):
    from suggestions.services.oversight import bundle_create

    first = world.drive(world.submit(), Status.ASSIGNED)
    second = world.drive(world.submit(title="相似问题"), Status.ASSIGNED)
    bundle = bundle_create(by=world.staff, title="路灯问题打捆督办", suggestions=[first, second], leader=world.leader)
    login(client, world.staff)
    page = client.get(reverse("admin:suggestions_supervisionbundle_changelist")).content.decode()
    assert "路灯问题打捆督办" in page
    page = client.get(reverse("admin:suggestions_supervisionbundle_change", args=[bundle.pk])).content.decode()
    assert first.code in page and second.code in page
