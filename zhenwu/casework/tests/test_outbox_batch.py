"""Deliveries waiting together are claimed and marked sent together, with the same guarantees as one."""

import datetime as dt
import threading

import pytest

from zhenwu.casework import background
from zhenwu.casework.models import OutboxMessage
from zhenwu.casework.services import notification_enqueue
from zhenwu.casework.services.outbox import CLAIM_BATCH, outbox_claim, outbox_deliver_many
from zhenwu.casework.sms import FAKE_GATEWAY


@pytest.mark.django_db
def test_waiting_messages_are_sent_in_order_in_one_claim(django_assert_num_queries):
    messages = [notification_enqueue(channel="sms", recipient="13512342210", body=f"第{i}条") for i in range(3)]
    with django_assert_num_queries(2):  # one claim, one "sent"
        assert outbox_deliver_many(pks=[m.pk for m in messages]) == 3
    assert [s.text for s in FAKE_GATEWAY.to("13512342210")] == ["第0条", "第1条", "第2条"]
    rows = OutboxMessage.objects.order_by("pk")
    assert [(m.status, m.attempts, m.sealed_secret) for m in rows] == [("sent", 1, "")] * 3
    assert all(m.sent_at is not None and m.lease_until is None for m in rows)


@pytest.mark.django_db
def test_a_message_held_by_another_worker_or_not_due_is_left_alone():
    held, later, due = (notification_enqueue(channel="sms", recipient="13512342210", body=b) for b in "甲乙丙")
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=later.next_attempt_at + dt.timedelta(hours=1))
    assert outbox_claim(pk=held.pk) is not None  # another worker's lease
    assert outbox_deliver_many(pks=[held.pk, later.pk, due.pk]) == 1
    assert [s.text for s in FAKE_GATEWAY.to("13512342210")] == ["丙"]
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses == {held.pk: "sending", later.pk: "pending", due.pk: "sent"}


@pytest.mark.django_db
def test_one_failing_channel_is_retried_and_the_rest_are_sent(webhook_refusing):
    ok = notification_enqueue(channel="sms", recipient="13512342210", body="好")
    bad = notification_enqueue(channel="webhook", recipient=webhook_refusing, body="坏")
    ok2 = notification_enqueue(channel="sms", recipient="13512342210", body="也好")
    assert outbox_deliver_many(pks=[ok.pk, bad.pk, ok2.pk]) == 2
    rows = {m.pk: m for m in OutboxMessage.objects.all()}
    assert (rows[ok.pk].status, rows[ok2.pk].status) == ("sent", "sent")
    assert (rows[bad.pk].status, rows[bad.pk].attempts) == ("pending", 1) and rows[bad.pk].last_error


@pytest.mark.django_db
def test_more_than_a_batch_is_claimed_batch_by_batch(django_assert_num_queries):
    pks = [notification_enqueue(channel="sms", recipient="13512342210", body=str(i)).pk
           for i in range(CLAIM_BATCH + 1)]
    with django_assert_num_queries(4):
        assert outbox_deliver_many(pks=pks) == CLAIM_BATCH + 1


@pytest.mark.django_db  # the thread checks its database connection before each job
def test_the_background_thread_runs_waiting_jobs_of_one_function_as_one_call():
    calls: list[object] = []
    gate = threading.Event()
    background._submit([gate.wait])  # the thread is busy while the next jobs queue up
    background._submit([background.Many(calls.append, 1), background.Many(calls.append, 2),
                        lambda: calls.append("other"), background.Many(calls.append, 3)])
    gate.set()
    assert background.drain(10)
    assert calls == [[1, 2], "other", [3]]


@pytest.fixture
def webhook_refusing():
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(503)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
