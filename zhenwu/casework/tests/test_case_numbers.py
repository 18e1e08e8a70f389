import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from zhenwu.casework.models import Case
from zhenwu.casework.services import case_create, case_number_allocate
from zhenwu.testing import GRID_A, OTHER_TEST_KIND, TEST_KIND, TOWN


@pytest.mark.django_db
def test_numbers_are_sequential_per_kind_town_and_day(make_case, clock):
    numbers = [make_case().number for _ in range(3)]
    assert numbers == [f"{TEST_KIND}-{TOWN}-20250930-000{i}" for i in (1, 2, 3)]
    assert make_case(kind=OTHER_TEST_KIND).number == f"{OTHER_TEST_KIND}-{TOWN}-20250930-0001"
    clock.advance(days=1)
    assert make_case().number == f"{TEST_KIND}-{TOWN}-20251001-0001"


@pytest.mark.django_db
def test_a_rollback_gives_the_number_back(make_case, clock):
    make_case()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case()
        raise RuntimeError
    assert make_case().number.endswith("-0002")


@pytest.mark.django_db
def test_more_than_9999_uses_more_digits(db):
    day = dt.date(2026, 11, 21)
    from zhenwu.casework.models import CaseCounter
    CaseCounter.objects.create(kind="AJ", town_code=TOWN, day=day, last=9999)
    assert case_number_allocate(kind="AJ", town_code=TOWN, day=day) == f"AJ-{TOWN}-20261121-10000"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_16_concurrent_creators_get_unique_gap_free_numbers(personas):
    barrier = threading.Barrier(16)
    errors: list[BaseException] = []

    def create() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                case_create(kind=TEST_KIND, process="generic", area_code=GRID_A, title="并发",
                            actor=personas.town_staff)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in Case.objects.values_list("number", flat=True))
    assert seqs == list(range(1, 81))
