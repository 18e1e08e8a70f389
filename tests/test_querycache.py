"""zhenwu.querycache: a queryset compiled once answers exactly what the ORM answers, for any later values."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenwu.accounts.models import ApiToken, User
from zhenwu.accounts.services import token_create
from zhenwu.querycache import Compiled
from zhenwu.testing import build_test_town, make_staff

pytestmark = pytest.mark.django_db

BY_NAME = Compiled(lambda username, pk: User.objects.select_related("scope_area", "department")
                   .defer("scope_area__geometry").filter(username=username, pk__gte=pk).order_by("pk"))


def _same(a: User, b: User) -> None:
    assert (a.pk, a.username, a.scope_area_id, a.department_id) == (b.pk, b.username, b.scope_area_id, b.department_id)
    assert a.get_deferred_fields() == b.get_deferred_fields()


def test_later_values_give_what_the_orm_gives():
    town = build_test_town()
    one, two = make_staff("qc_one", roles=[], scope=town.town), make_staff("qc_two", roles=[], scope=town.town)
    for username, pk in (("qc_one", one.pk), ("qc_two", two.pk), ("qc_two", two.pk + 1), ("nobody", 0)):
        orm = list(User.objects.select_related("scope_area", "department").defer("scope_area__geometry")
                   .filter(username=username, pk__gte=pk).order_by("pk"))
        with CaptureQueriesContext(connection) as queries:
            got = BY_NAME.all(username, pk)
            if got:  # the related rows came with it: reading them is no further query
                assert got[0].scope_area.code == town.town.code
        assert len(queries) == 1
        assert len(got) == len(orm)
        for a, b in zip(got, orm, strict=True):
            _same(a, b)
    assert BY_NAME.first("qc_one", 0).pk == one.pk  # type: ignore[union-attr]
    assert BY_NAME.first("qc_one", one.pk + 1) is None


def test_annotations_come_with_the_rows():
    town = build_test_town()
    user = make_staff("qc_roles", roles=["window_clerk", "reviewer"], scope=town.town)
    token = token_create(user=user, device="t")[1]
    from zhenwu.accounts.tokens import token_lookup

    row = token_lookup(token)
    assert isinstance(row, ApiToken) and row.user.pk == user.pk
    assert row.user.roles == frozenset({"window_clerk", "reviewer"})
    assert token_lookup(token[:-1] + ("x" if token[-1] != "x" else "y")) is None


def test_a_value_that_does_not_reach_the_sql_unchanged_is_refused():
    prefix = Compiled(lambda start: User.objects.filter(username__startswith=start))
    with pytest.raises(TypeError):
        prefix.all("qc")
    twice = Compiled(lambda name: User.objects.filter(username=name) | User.objects.filter(full_name=name))
    with pytest.raises(TypeError):
        twice.all("qc")
    with pytest.raises(TypeError):
        BY_NAME.all("qc_one", True)  # a bool is neither str nor int here


def test_insert_writes_the_row_save_writes():
    from django.db.models import signals
    from django.utils import timezone

    from zhenwu.casework.models import OutboxMessage
    from zhenwu.querycache import insert

    def fields(m: OutboxMessage) -> dict[str, object]:
        row = OutboxMessage.objects.filter(pk=m.pk).values().get()
        return {k: v for k, v in row.items() if k not in ("id", "created_at")}

    when = timezone.now()
    ours = OutboxMessage(channel="sms", recipient="13512342210", body="x", payload={"a": [1, "二"]},
                         next_attempt_at=when)
    with CaptureQueriesContext(connection) as queries:
        insert(ours)
    assert len(queries) == 1 and ours.pk and not ours._state.adding and ours.created_at is not None
    theirs = OutboxMessage(channel="sms", recipient="13512342210", body="x", payload={"a": [1, "二"]},
                           next_attempt_at=when)
    theirs.save(force_insert=True)
    assert fields(ours) == fields(theirs)
    assert OutboxMessage.objects.get(pk=ours.pk).created_at == ours.created_at

    seen: list[object] = []

    def receiver(sender: object, instance: object, **kw: object) -> None:
        seen.append(instance)

    signals.post_save.connect(receiver, sender=OutboxMessage)
    try:  # a model with receivers is saved the ORM's way, so they still hear of it
        third = OutboxMessage(channel="sms", recipient="1", body="y", next_attempt_at=when)
        insert(third)
    finally:
        signals.post_save.disconnect(receiver, sender=OutboxMessage)
    assert seen == [third] and third.pk


def test_update_changes_what_the_orm_update_changes():
    import datetime as dt

    from django.utils import timezone

    from zhenwu.casework.models import OutboxMessage
    from zhenwu.querycache import Update

    when = timezone.now()
    a = OutboxMessage.objects.create(channel="sms", recipient="1", body="x", next_attempt_at=when, status="pending")
    b = OutboxMessage.objects.create(channel="sms", recipient="1", body="x", next_attempt_at=when, status="pending")
    later = when + dt.timedelta(minutes=5)
    mark = Update(OutboxMessage, set=("status", "attempts", "lease_until"), where=("pk", "status"))
    assert mark.run({"status": "sent", "attempts": 2, "lease_until": later}, {"pk": a.pk, "status": "pending"}) == 1
    assert mark.run({"status": "sent", "attempts": 3, "lease_until": None}, {"pk": a.pk, "status": "pending"}) == 0
    OutboxMessage.objects.filter(pk=b.pk).update(status="sent", attempts=2, lease_until=later)
    got = OutboxMessage.objects.filter(pk__in=[a.pk, b.pk]).order_by("pk").values_list("status", "attempts",
                                                                                       "lease_until")
    assert got[0] == got[1] == ("sent", 2, later)
    from django.db.models import F

    with pytest.raises(TypeError):
        mark.run({"status": "sent", "attempts": F("attempts") + 1, "lease_until": None}, {"pk": a.pk, "status": "x"})
    with pytest.raises(TypeError):
        mark.run({"status": "sent", "attempts": 1, "lease_until": None}, {"pk": a.pk, "status": None})


def test_rows_from_returning_are_what_a_read_gives():
    from zhenwu.casework.models import OutboxMessage
    from zhenwu.casework.services.outbox import notification_enqueue
    from zhenwu.querycache import returning_all, rows_to_instances

    sent = notification_enqueue(channel="sms", recipient="13900000001", body="您好", payload={"case": "X-1", "n": 2})
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET attempts = attempts + 1 WHERE id = %s "
                       f"{returning_all(OutboxMessage, connection)}", [sent.pk])
        [got] = rows_to_instances(OutboxMessage, connection, cursor.fetchall())
    read = OutboxMessage.objects.get(pk=sent.pk)
    for field in OutboxMessage._meta.concrete_fields:  # datetimes and JSON converted as the ORM converts them
        assert getattr(got, field.attname) == getattr(read, field.attname), field.name
    assert got.payload == {"case": "X-1", "n": 2} and got.attempts == 1 and got.created_at.tzinfo is not None
