import datetime

from zhenwu.registry.choices import Sex
from zhenwu.registry.identity import id_birth_date, id_sex


def test_it_reads_birth_date_and_sex_from_the_id_number():
    assert id_birth_date("11010519491231002X") == datetime.date(1949, 12, 31)
    assert id_sex("11010519491231002X") == Sex.FEMALE
    assert id_sex("11010519491231001X"[:16] + "1X") == Sex.MALE
