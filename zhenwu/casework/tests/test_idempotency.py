"""Idempotency-Key: the first use runs once and its answer is replayed; another body is a 409; a failed
first use leaves the key free; concurrent first uses of one key do the work once (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.test import RequestFactory

from zhenwu.casework.idempotency import (
    body_digest,
    idempotency_key,
    idempotency_purge,
    idempotent,
    idempotent_run,
)
from zhenwu.casework.models import Case, IdempotencyRecord
from zhenwu.casework.services import case_create
from zhenwu.errors import Conflict, FieldError
from zhenwu.testing import GRID_A, TEST_KIND


def _file(actor, title="井盖缺失"):
    def call():
        case = case_create(kind=TEST_KIND, process="generic", area_code=GRID_A, title=title, actor=actor)
        return 201, {"number": case.number, "at": case.created_at}
    return call


@pytest.mark.django_db
def test_a_replay_answers_the_same_and_does_nothing(personas):
    digest = body_digest({"title": "井盖缺失"})
    first = idempotent_run(owner="user:1", key="k-1", digest=digest, call=_file(personas.town_staff))
    again = [idempotent_run(owner="user:1", key="k-1", digest=digest, call=_file(personas.town_staff))
             for _ in range(4)]
    assert first[0] == 201 and all(a == first for a in again)
    assert Case.objects.count() == 1
    assert isinstance(first[1]["at"], str)  # the answer is stored as JSON and replayed as stored


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_409_and_another_owner_has_its_own_keys(personas):
    idempotent_run(owner="user:1", key="k", digest=body_digest({"a": 1}), call=_file(personas.town_staff))
    with pytest.raises(Conflict) as caught:
        idempotent_run(owner="user:1", key="k", digest=body_digest({"a": 2}), call=_file(personas.town_staff))
    assert caught.value.field == "Idempotency-Key" and caught.value.status == 409
    idempotent_run(owner="user:2", key="k", digest=body_digest({"a": 2}), call=_file(personas.town_staff))
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_first_use_leaves_nothing_and_the_key_free(personas):
    def failing():
        case_create(kind=TEST_KIND, process="generic", area_code=GRID_A, title="x", actor=personas.town_staff)
        raise FieldError("title", "bad")

    with pytest.raises(FieldError):
        idempotent_run(owner="user:1", key="k", digest="d", call=failing)
    assert not Case.objects.exists() and not IdempotencyRecord.objects.exists()
    assert idempotent_run(owner="user:1", key="k", digest="d", call=_file(personas.town_staff))[0] == 201


def test_body_digest_ignores_field_order_but_not_files():
    assert body_digest({"a": 1, "b": "x"}) == body_digest({"b": "x", "a": 1})
    assert body_digest({"a": 1}, [("p", b"1")]) != body_digest({"a": 1}, [("p", b"2")])


@pytest.mark.parametrize(("header", "ok"), [("abc-123", True), ("x" * 100, True), ("x" * 101, False),
                                            ("has space", False), ("中文", False)])
def test_the_header_is_1_to_100_printable_characters(header, ok):
    request = RequestFactory().post("/", HTTP_IDEMPOTENCY_KEY=header)
    if ok:
        assert idempotency_key(request) == header
    else:
        with pytest.raises(FieldError) as caught:
            idempotency_key(request)
        assert caught.value.field == "Idempotency-Key"
    with pytest.raises(FieldError):
        idempotency_key(RequestFactory().post("/"), required=True)


@pytest.mark.django_db
def test_without_a_key_or_an_account_the_work_just_runs(personas):
    request = RequestFactory().post("/")
    request.user = personas.town_staff
    assert idempotent(request, "d", _file(personas.town_staff))[0] == 201
    assert idempotent(request, "d", _file(personas.town_staff))[0] == 201
    assert Case.objects.count() == 2 and not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_old_records_are_purged(settings):
    settings.IDEMPOTENCY_KEEP_DAYS = 7
    from django.utils import timezone

    now = timezone.now()
    IdempotencyRecord.objects.create(owner="user:1", key="old", digest="d", status=201,
                                     created_at=now - dt.timedelta(days=8))
    IdempotencyRecord.objects.create(owner="user:1", key="new", digest="d", status=201, created_at=now)
    assert idempotency_purge(now=now) == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_first_uses_of_one_key_do_the_work_once(personas):
    barrier = threading.Barrier(8)
    answers: list[tuple[int, object]] = []
    errors: list[BaseException] = []
    digest = body_digest({"title": "并发"})

    def slow_call():
        case = case_create(kind=TEST_KIND, process="generic", area_code=GRID_A, title="并发", actor=personas.town_staff)
        time.sleep(0.2)  # every other thread reaches its INSERT while this transaction is still open
        return 201, {"number": case.number}

    def use() -> None:
        try:
            barrier.wait()
            answers.append(idempotent_run(owner="user:1", key="same", digest=digest, call=slow_call))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Case.objects.count() == 1
    assert len(answers) == 8 and len(set(map(str, answers))) == 1
