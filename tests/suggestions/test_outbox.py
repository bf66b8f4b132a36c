"""Messages to voters and deputies (suggestions/outbox.py): one row per cause, delivered once by
the worker, failures kept and retried, nothing personal beyond what the recipient gave."""

from __future__ import annotations

import datetime
import http.server
import json
import threading

import pytest
from django.core import mail
from django.utils import timezone

from suggestions import outbox
from suggestions.models import (
    MessageKind,
    MessageState,
    Notification,
    NotificationKind,
    OutboundMessage,
    Status,
)
from suggestions.services.handling import assignment_reply
from suggestions.services.intake import suggestion_resolve_on_spot, suggestion_submit
from suggestions.sms import FileSmsBackend, HttpGatewaySmsBackend, SmsError
from suggestions.tasks import deliver_outbox
from tests.factories import DeputyFactory, UserFactory

SENT: list[tuple[str, str]] = []


class RecordingBackend:
    def send(self, phone, text):
        SENT.append((phone, text))


class BrokenBackend:
    def send(self, phone, text):
        raise SmsError("gateway answered 503")


@pytest.fixture
def recording(settings):
    SENT.clear()
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "tests.suggestions.test_outbox.RecordingBackend"}
    return SENT


@pytest.fixture
def broken(settings):
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "tests.suggestions.test_outbox.BrokenBackend",
                        "OUTBOX_MAX_ATTEMPTS": 3, "OUTBOX_RETRY_SECONDS": 60}


def public_opinion(world, **kwargs):
    defaults = {"kind": "opinion", "title": "路灯不亮", "content": "我叫王小明，幸福小区3栋路灯不亮。",
                "region": world.township, "submitter_name": "王小明", "submitter_phone": "13900001111", "by": None}
    return suggestion_submit(**{**defaults, **kwargs})


def test_a_receipt_with_the_code_goes_to_the_phone_and_the_email_given(world, recording):
    suggestion = public_opinion(world, submitter_email="voter@example.cn", deputies=[])
    rows = OutboundMessage.objects.filter(suggestion=suggestion, kind=MessageKind.RECEIPT)
    assert sorted(rows.values_list("channel", "recipient")) == [("email", "voter@example.cn"), ("sms", "13900001111")]
    result = deliver_outbox()
    assert result == {"sent": 2, "failed": 0}
    (phone, text), = recording
    assert phone == "13900001111" and suggestion.code in text and f"/track/{suggestion.code}/" in text
    assert "王小明" not in text and "幸福小区" not in text and "路灯" not in text  # nothing beyond the code
    message, = mail.outbox
    assert message.to == ["voter@example.cn"] and suggestion.code in message.body
    assert set(rows.values_list("state", flat=True)) == {MessageState.SENT}
    assert deliver_outbox() == {"sent": 0, "failed": 0}  # exactly once
    assert len(recording) == 1


def test_no_phone_no_email_no_message(world):
    suggestion = public_opinion(world, submitter_phone="", deputies=[])
    assert not OutboundMessage.objects.filter(suggestion=suggestion).exists()


def test_the_same_cause_queues_one_message(world):
    suggestion = public_opinion(world, deputies=[])
    outbox.voter_receipt(suggestion)
    outbox.voter_receipt(suggestion)
    assert OutboundMessage.objects.filter(suggestion=suggestion, kind=MessageKind.RECEIPT).count() == 1


def test_the_voter_hears_when_the_lead_unit_answers_once_per_reply(world, recording):
    suggestion = world.drive(world.submit(), Status.HANDLING)
    assert not OutboundMessage.objects.filter(suggestion=suggestion, kind=MessageKind.ANSWERED).exists()
    co = suggestion.assignments.get(role="co")
    from suggestions.services.handling import assignment_sign

    assignment_sign(assignment=co, by=world.co_officer)
    assignment_reply(assignment=co, by=world.co_officer, result="A", content="协办意见")
    assert not OutboundMessage.objects.filter(suggestion=suggestion, kind=MessageKind.ANSWERED).exists()
    assignment_reply(assignment=suggestion.assignments.get(role="lead"), by=world.officer, result="A", content="已修复")
    answered = OutboundMessage.objects.get(suggestion=suggestion, kind=MessageKind.ANSWERED)
    assert answered.recipient == "13900001111" and suggestion.code in answered.body


def test_the_voter_hears_of_an_on_the_spot_resolution(world):
    suggestion = suggestion_resolve_on_spot(suggestion=world.submit(), by=world.staff, note="代表当场协调解决")
    assert OutboundMessage.objects.filter(suggestion=suggestion, kind=MessageKind.ANSWERED).count() == 1


def test_a_broken_gateway_loses_nothing_retries_and_shows_the_failure(world, broken, settings):
    suggestion = public_opinion(world, deputies=[])
    assert deliver_outbox() == {"sent": 0, "failed": 1}
    message = OutboundMessage.objects.get(suggestion=suggestion)
    assert (message.state, message.attempts) == (MessageState.FAILED, 1)
    assert "503" in message.last_error and message.next_attempt_at > timezone.now()
    assert outbox.failed_count() == 1
    assert deliver_outbox() == {"sent": 0, "failed": 0}  # not due yet: no hammering of the gateway
    # Later, the gateway is back: the message goes out once.
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "tests.suggestions.test_outbox.RecordingBackend"}
    SENT.clear()
    assert deliver_outbox() == {"sent": 1, "failed": 0}
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (MessageState.SENT, 2, "")
    assert message.sent_at is not None and len(SENT) == 1


def test_a_message_stays_failed_after_the_last_attempt_until_staff_retry(world, broken):
    suggestion = public_opinion(world, deputies=[])
    message = OutboundMessage.objects.get(suggestion=suggestion)
    for _attempt in range(3):
        OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        deliver_outbox()
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver_outbox() == {"sent": 0, "failed": 0}
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.FAILED, 3)
    assert outbox.retry([message]) == 1
    message.refresh_from_db()
    assert message.attempts == 0


def test_a_deputy_written_to_through_their_code_is_told_in_the_product_and_by_text(world):
    deputy = DeputyFactory(region=world.township, user=UserFactory(role="deputy"), phone="13800002222")
    suggestion = public_opinion(world, deputies=[deputy])
    notice = Notification.objects.get(suggestion=suggestion, kind=NotificationKind.VOTER_LETTER)
    assert notice.recipient == deputy.user and "王小明" not in notice.body and "13900001111" not in notice.body
    text = OutboundMessage.objects.get(suggestion=suggestion, kind=MessageKind.DEPUTY_LETTER)
    assert text.recipient == "13800002222" and suggestion.code in text.body
    assert "王小明" not in text.body and "13900001111" not in text.body and "幸福小区" not in text.body


def test_staff_entering_an_opinion_for_a_deputy_does_not_send_a_letter_notice(world):
    suggestion = world.submit()
    assert not Notification.objects.filter(suggestion=suggestion, kind=NotificationKind.VOTER_LETTER).exists()
    assert not OutboundMessage.objects.filter(suggestion=suggestion, kind=MessageKind.DEPUTY_LETTER).exists()


# --- the SMS backends --------------------------------------------------------------------------
def test_file_backend_appends_one_json_line_per_message(settings, tmp_path):
    path = tmp_path / "sms.log"
    settings.LIAISON = {**settings.LIAISON, "SMS_FILE_PATH": str(path)}
    backend = FileSmsBackend()
    backend.send("13900001111", "查询码 ABC")
    backend.send("13900002222", "查询码 DEF")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(x["phone"], x["text"]) for x in lines] == [("13900001111", "查询码 ABC"), ("13900002222", "查询码 DEF")]


class _Gateway(http.server.BaseHTTPRequestHandler):
    status = 200
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.headers["Authorization"], json.loads(body)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        """Quiet: the gateway's access log would only clutter the test output."""


@pytest.fixture
def gateway(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.received = []
    _Gateway.status = 200
    settings.LIAISON = {**settings.LIAISON, "SMS_GATEWAY_URL": f"http://127.0.0.1:{server.server_port}/send",
                        "SMS_GATEWAY_KEY": "k-123", "SMS_GATEWAY_TIMEOUT_SECONDS": 5}
    yield _Gateway
    server.shutdown()
    server.server_close()


def test_http_gateway_posts_json_with_the_key(gateway):
    HttpGatewaySmsBackend().send("13900001111", "查询码 ABC")
    assert gateway.received == [("Bearer k-123", {"phone": "13900001111", "text": "查询码 ABC"})]


def test_http_gateway_error_and_an_unreachable_gateway_raise(gateway, settings):
    gateway.status = 500
    with pytest.raises(SmsError):
        HttpGatewaySmsBackend().send("13900001111", "x")
    settings.LIAISON = {**settings.LIAISON, "SMS_GATEWAY_URL": "http://127.0.0.1:9/none"}
    with pytest.raises(SmsError):
        HttpGatewaySmsBackend().send("13900001111", "x")


def test_a_gateway_answering_500_leaves_the_message_failed_in_the_outbox(world, gateway, settings):
    gateway.status = 500
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "suggestions.sms.HttpGatewaySmsBackend"}
    suggestion = public_opinion(world, deputies=[])
    assert deliver_outbox() == {"sent": 0, "failed": 1}
    assert OutboundMessage.objects.get(suggestion=suggestion).state == MessageState.FAILED
    assert len(gateway.received) == 1



def test_the_voter_of_a_merged_opinion_hears_by_their_own_code(world):
    from suggestions.services.intake import suggestion_merge

    target = world.submit()
    merged = suggestion_merge(suggestion=world.submit(submitter_phone="13900003333"), by=world.staff, into=target,
                              note="同一问题")
    world.drive(target, Status.REPLIED)
    message = OutboundMessage.objects.get(suggestion=merged, kind=MessageKind.ANSWERED)
    assert message.recipient == "13900003333" and merged.code in message.body and target.code not in message.body
    assert OutboundMessage.objects.filter(suggestion=target, kind=MessageKind.ANSWERED).count() == 1


class SlowRecordingBackend:
    """Sends slowly, so a second worker runs while the first holds its message."""

    def send(self, phone, text):
        import time

        time.sleep(0.2)
        SENT.append((phone, text))


@pytest.mark.postgres
def test_two_workers_at_once_send_each_message_once(transactional_db, world, settings, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to lose")
    monkeypatch.setattr("suggestions.outbox._enqueue", lambda: None)
    monkeypatch.setattr("suggestions.notify._enqueue_delivery", lambda: None)
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "tests.suggestions.test_outbox.SlowRecordingBackend"}
    SENT.clear()
    for n in range(4):
        public_opinion(world, deputies=[], submitter_phone=f"1390000{n:04d}")
    results, errors = [], []

    def work():
        try:
            results.append(outbox.deliver_due())
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(results) == 2
    assert sum(r.sent for r in results) == 4 and len(SENT) == 4
    assert len({phone for phone, _text in SENT}) == 4  # each once
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {MessageState.SENT}
