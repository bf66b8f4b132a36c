"""对外消息 in the admin: staff see the messages of their region with their state, and send
failed ones again; nothing can be added or edited by hand."""

from django.urls import reverse

from suggestions.models import MessageState, OutboundMessage


def test_staff_see_their_regions_messages_and_retry_the_failed(client, world):
    mine = world.submit()
    theirs = world.submit(region=world.other_township, by=world.city_staff, title="别处的意见")
    OutboundMessage.objects.update(state=MessageState.FAILED, attempts=5, last_error="SmsError: gateway answered 503")
    client.force_login(world.staff)
    url = reverse("admin:suggestions_outboundmessage_changelist")
    page = client.get(url, {"state__exact": "failed"}).content.decode()
    assert mine.code in page and "gateway answered 503" in page
    assert theirs.code not in page
    message = OutboundMessage.objects.get(suggestion=mine)
    response = client.post(url, {"action": "retry_selected", "_selected_action": [message.pk]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.attempts == 0 and message.state == MessageState.FAILED  # due again; the worker sends it
    assert client.get(reverse("admin:suggestions_outboundmessage_add")).status_code == 403
