"""Everyone signed in: my notifications."""

from django.urls import reverse

from tests.factories import NotificationFactory
from tests.suggestions.views.pages import assigned, page_text


def test_notifications_list_mine_and_mark_read(officer_client, world):
    suggestion = assigned(world)  # the assignment notifies the unit's officer
    mine = world["officer"].notifications.get()
    NotificationFactory(recipient=world["co_officer"], title="别人的通知")
    nav = page_text(officer_client.get(reverse("suggestions:inbox")))
    assert '<span class="visually-hidden">1 条未读</span>' in nav
    response = officer_client.get(reverse("suggestions:notifications"))
    text = page_text(response)
    assert mine.title in text and "别人的通知" not in text
    assert reverse("suggestions:assignment", args=[suggestion.assignments.get().pk]) in text
    officer_client.post(reverse("suggestions:notification_read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert list(officer_client.get(reverse("suggestions:notifications")).context["page"].object_list) == []
    assert officer_client.get(reverse("suggestions:notifications"), {"show": "all"}).context["page"].paginator.count == 1


def test_someone_elses_notification_is_404(officer_client, world):
    other = NotificationFactory(recipient=world["co_officer"])
    assert officer_client.post(reverse("suggestions:notification_read", args=[other.pk])).status_code == 404
    assert officer_client.get(reverse("suggestions:notifications"), {"show": "odd"}).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
